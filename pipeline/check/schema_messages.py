"""Turns jsonschema's errors into Chinese diagnostics that say what is wrong and how to fix it.

Detection is jsonschema's; this module only formats, keyed by the failing keyword.
"""

from __future__ import annotations

import difflib
import re
from typing import Callable, Iterator

from jsonschema.exceptions import ValidationError

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.check.schemas import Schemas
from pipeline.read.strictyaml import LoadedDocument, format_path

TYPE_NAMES = {
    "string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
    "array": "列表", "object": "包含若干字段的一组内容", "null": "空值",
}

_YES_NO = {"yes", "no", "Yes", "No", "YES", "NO", "on", "off", "On", "Off", "y", "n", "是", "否", "对", "错"}


def _actual_type(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "一组字段"
    return "空值"


def _show(value, limit: int = 40) -> str:
    if value is None:
        return "（未填写）"
    text = value if isinstance(value, str) else repr(value) if not isinstance(value, bool) else str(value).lower()
    return text if len(text) <= limit else text[:limit] + "…"


def _label(node: dict | None, name: str) -> str:
    title = (node or {}).get("title")
    return f"“{title}”（{name}）" if title and name else (f"“{title}”" if title else f"“{name}”")


class _Context:
    def __init__(self, schemas: Schemas, kind: str, doc: LoadedDocument, error: ValidationError):
        self.schemas, self.kind, self.doc, self.error = schemas, kind, doc, error
        self.path = tuple(error.absolute_path)
        self.node = schemas.subschema_at(kind, self.path) or error.schema
        self.name = next((p for p in reversed(self.path) if isinstance(p, str)), "")

    def label(self) -> str:
        if not self.path:
            return "文件"
        if isinstance(self.path[-1], int):
            parent = self.schemas.subschema_at(self.kind, self.path[:-1])
            return f"{_label(parent, self.name)}的第 {self.path[-1] + 1} 项"
        return _label(self.node, self.name)

    def description(self) -> str:
        """The field's help; for an item of a list, the list's help."""
        own = (self.node or {}).get("description", "")
        if own or not self.path or not isinstance(self.path[-1], int):
            return own
        return (self.schemas.subschema_at(self.kind, self.path[:-1]) or {}).get("description", "")


Message = tuple[str, str]  # (what is wrong, how to fix it)


def _type(ctx: _Context) -> Message:
    expected = ctx.error.validator_value
    expected = expected if isinstance(expected, list) else [expected]
    want = "或".join(TYPE_NAMES.get(t, t) for t in expected)
    value = ctx.error.instance
    if value is None:
        return f"{ctx.label()}应为{want}，但没有填写。", ctx.description() or "请按字段说明填写。"
    message = f"{ctx.label()}应为{want}，现在是{_actual_type(value)}“{_show(value)}”。"
    if "string" in expected and isinstance(value, (int, float)) and not isinstance(value, bool):
        return message, "编号、代码、电话等由数字组成的内容，请用英文双引号括起来，例如 \"" + _show(value) + "\"。"
    if "string" in expected and isinstance(value, bool):
        return message, "YAML 会把 yes/no/true/false 等词当作真假值，请用英文双引号括起来。"
    if "boolean" in expected and isinstance(value, str) and value in _YES_NO:
        return message, "这里请写 true（是）或 false（否），不要写 yes/no 或中文。"
    if "array" in expected:
        return message, "写成列表：每项单独一行，以“- ”开头。"
    if "object" in expected:
        return message, "按模板在下一行缩进填写各子字段。"
    if ("integer" in expected or "number" in expected) and isinstance(value, str):
        return message, "填写阿拉伯数字，不要加引号、单位或逗号。"
    return message, ctx.description() or "请对照字段说明修改。"


def _required(ctx: _Context) -> Iterator[tuple[tuple, Message]]:
    instance = ctx.error.instance if isinstance(ctx.error.instance, dict) else {}
    match = re.match(r"^'(.+)' is a required property$", ctx.error.message)
    missing = [match.group(1)] if match else [n for n in ctx.error.validator_value if n not in instance]
    for name in missing:
        node = ctx.schemas.subschema_at(ctx.kind, ctx.path + (name,))
        where = f"{ctx.label()}中" if ctx.path else ""
        why = ""
        category = instance.get("category")
        if not ctx.path and isinstance(category, str) and name in ("papers", "breakthrough", "application"):
            why = f"类别为“{category}”的成果必须提供此项佐证。"
        hint = (node or {}).get("description", "") or f"请补充字段 {name}。"
        yield ctx.path + (name,), (f"{where}缺少必填字段{_label(node, name)}。{why}", f"请补充：{hint}")


def _additional(ctx: _Context) -> Iterator[tuple[tuple, Message]]:
    allowed = list((ctx.node or {}).get("properties", {}))
    instance = ctx.error.instance if isinstance(ctx.error.instance, dict) else {}
    for key in instance:
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"您是否想写“{close[0]}”？" if close else "删除该字段，或对照字段说明改成正确的字段名。"
        yield ctx.path + (key,), (f"不认识的字段“{key}”。", hint + (
            f"此处可用的字段有：{'、'.join(allowed)}。" if allowed and len(allowed) <= 12 else ""))


def _enum(ctx: _Context) -> Message:
    options = ctx.error.validator_value
    value = ctx.error.instance
    close = difflib.get_close_matches(str(value), [str(o) for o in options], n=1, cutoff=0.5)
    listing = "、".join(str(o) for o in options) if len(options) <= 20 else ""
    hint = (f"您是否想写“{close[0]}”？" if close else "") + (f"可选值：{listing}。" if listing else "")
    if value == "":
        return f"{ctx.label()}尚未填写。", hint or ctx.description()
    return f"{ctx.label()}的值“{_show(value)}”不在允许范围内。", hint or ctx.description()


def _const(ctx: _Context) -> Message:
    want = ctx.error.validator_value
    shown = "true" if want is True else str(want)
    return f"{ctx.label()}必须为 {shown}。", ctx.description()


def _pattern(ctx: _Context) -> Message:
    return f"{ctx.label()}的格式不正确：“{_show(ctx.error.instance)}”。", ctx.description()


_FORMAT_TEXT = {
    "date": ("不是有效的日期", "按 YYYY-MM-DD 填写真实存在的日期，例如 2025-03-08，并用英文引号括起来也可以。"),
    "date-time": ("不是有效的时间", "按 2026-03-01T09:00:00+08:00 的格式填写。"),
    "email": ("不是有效的电子邮箱", "填写形如 tto@example.edu.cn 的地址。"),
    "uri": ("不是有效的网址", "填写以 https:// 开头的完整网址。"),
}


def _format(ctx: _Context) -> Message:
    what, fix = _FORMAT_TEXT.get(ctx.error.validator_value, ("格式不正确", ctx.description()))
    return f"{ctx.label()}“{_show(ctx.error.instance)}”{what}。", fix


def _length(ctx: _Context) -> Message:
    n, limit = len(ctx.error.instance), ctx.error.validator_value
    if n == 0:
        return f"{ctx.label()}尚未填写。", ctx.description() or "请填写内容。"
    if ctx.error.validator == "minLength":
        return f"{ctx.label()}过短：现在 {n} 个字，至少需要 {limit} 个字。", ctx.description()
    return f"{ctx.label()}过长：现在 {n} 个字，最多 {limit} 个字。", "请精简内容。" + ctx.description()


def _items(ctx: _Context) -> Message:
    n, limit = len(ctx.error.instance), ctx.error.validator_value
    if ctx.error.validator == "minItems":
        return f"{ctx.label()}至少需要 {limit} 项，现在有 {n} 项。", ctx.description()
    return f"{ctx.label()}最多 {limit} 项，现在有 {n} 项。", "请删减到上限以内。"


def _unique(ctx: _Context) -> Message:
    return f"{ctx.label()}中有重复的项。", "删除重复项。"


def _range(ctx: _Context) -> Message:
    bound = ctx.error.validator_value
    word = "不能小于" if ctx.error.validator in ("minimum", "exclusiveMinimum") else "不能大于"
    return f"{ctx.label()}的值 {_show(ctx.error.instance)} {word} {bound}。", ctx.description()


def _fallback(ctx: _Context) -> Message:
    return f"{ctx.label()}不符合要求（规则 {ctx.error.validator}）。", ctx.description()


_SINGLE: dict[str, Callable[[_Context], Message]] = {
    "type": _type, "enum": _enum, "const": _const, "pattern": _pattern, "format": _format,
    "minLength": _length, "maxLength": _length, "minItems": _items, "maxItems": _items,
    "uniqueItems": _unique, "minimum": _range, "maximum": _range,
    "exclusiveMinimum": _range, "exclusiveMaximum": _range,
}
_MULTI = {"required": _required, "additionalProperties": _additional}


def explain(schemas: Schemas, kind: str, doc: LoadedDocument, error: ValidationError) -> Iterator[Diagnostic]:
    ctx = _Context(schemas, kind, doc, error)
    if error.validator in _MULTI:
        items = list(_MULTI[error.validator](ctx))
    else:
        items = [(ctx.path, _SINGLE.get(error.validator, _fallback)(ctx))]
    for path, (message, hint) in items:
        key_error = error.validator in _MULTI and path != ctx.path
        position = doc.key_position_of(path) if error.validator == "additionalProperties" else (
            doc.position_of(ctx.path) if key_error else doc.position_of(path))
        yield Diagnostic(doc.file, position.line if position else None, position.column if position else None,
                         f"schema.{error.validator}", message, hint, format_path(path), Severity.ERROR)


MAX_PER_FILE = 100  # a hostile file could otherwise produce hundreds of thousands of diagnostics


def schema_diagnostics(schemas: Schemas, kind: str, doc: LoadedDocument) -> list[Diagnostic]:
    """Every schema error of `doc`. jsonschema-rs answers the common case (valid) in microseconds; only an
    invalid document is walked by jsonschema, whose error objects we know how to explain."""
    if schemas.fast[kind].is_valid(doc.data):
        return []
    found: list[Diagnostic] = []
    for error in schemas.validators[kind].iter_errors(doc.data):
        if len(found) >= MAX_PER_FILE:
            found.append(Diagnostic(doc.file, None, None, "schema.too-many-errors",
                                    f"问题过多，只列出前 {MAX_PER_FILE} 个。",
                                    "先改正以上问题后重新检查；大量同类问题通常是结构写错了（例如列表多了空项），请对照模板。"))
            break
        found.extend(explain(schemas, kind, doc, error))
    return found or _unexplained(schemas, kind, doc)


def _unexplained(schemas: Schemas, kind: str, doc: LoadedDocument) -> list[Diagnostic]:
    """The two validators disagree (should not happen; a test checks they agree): report, never accept."""
    found = []
    for error in schemas.fast[kind].iter_errors(doc.data):
        path = tuple(error.instance_path)
        position = doc.position_of(path)
        found.append(Diagnostic(doc.file, position.line if position else None, position.column if position else None,
                                "schema.other", f"不符合数据结构要求：{error.message}", "请对照字段说明修改。",
                                format_path(path), Severity.ERROR))
    return found
