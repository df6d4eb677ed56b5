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
from pipeline.read.yaml_mistakes import SENTENCE_FIX

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
    """A value as the author wrote it, never as Python would print it."""
    if value is None:
        return "（未填写）"
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, float, str)):
        text = f"{value:g}" if isinstance(value, float) else str(value)
    elif isinstance(value, dict):
        text = _sentence_of(value) or "、".join(map(str, value)) + " 等字段"
    else:
        text = f"{len(value)} 项的列表"
    return text if len(text) <= limit else text[:limit] + "…"


def _sentence_of(value: dict) -> str:
    """`{"a，b": "c"}` read back as the line `a，b: c` it came from (a sentence with an unquoted `: `)."""
    if len(value) != 1:
        return ""
    (key, inner), = value.items()
    if isinstance(inner, (str, int, float)) and not isinstance(inner, bool):
        return f"{key}: {inner}"
    return ""


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
    cause = _cause(ctx, expected, value)
    if cause:
        return cause
    if "boolean" in expected and isinstance(value, str) and value in _YES_NO:
        return message, "这里请写 true（是）或 false（否），不要写 yes/no 或中文。"
    if "array" in expected:
        return message, "写成列表：每项单独一行，以“- ”开头。"
    if "object" in expected:
        return message, "按模板在下一行缩进填写各子字段。"
    if ("integer" in expected or "number" in expected) and isinstance(value, str):
        return message, "填写阿拉伯数字，不要加引号、单位或逗号。"
    return message, ctx.description() or "请对照字段说明修改。"


def _cause(ctx: _Context, expected: list[str], value) -> Message | None:
    """The common mistakes behind a type error, named as such."""
    if "string" in expected and isinstance(value, dict) and _sentence_of(value):
        return (f"{ctx.label()}的文字“{_show(value)}”中含有“: ”（冒号后面跟空格），YAML 把它读成了“字段名: 值”。",
                "如果这是一句话：" + SENTENCE_FIX + "\n也可以把冒号改成中文全角冒号“：”。")
    dashed = (isinstance(value, str) and value.startswith("-")) or (
        isinstance(value, dict) and any(str(k).startswith("-") for k in value))
    if "array" in expected and dashed:
        return f"{ctx.label()}应为列表，但列表项的“-”后面缺少空格，YAML 把它读成了普通文字。", "在每个“-”后面加一个空格，写成“- 内容”。"
    if ("number" in expected or "integer" in expected) and isinstance(value, str):
        return _number_with_words(ctx, value)
    return None


_NUMBER_IN_TEXT = re.compile(r"(?P<before>[^0-9]*?)\s*(?P<number>[0-9][0-9,，]*(?:\.[0-9]+)?)\s*(?P<after>.*)")


def _number_with_words(ctx: _Context, value: str) -> Message | None:
    """`约53.7`, `53.7亿元`, `超过100`: the number, and where the words belong instead."""
    match = _NUMBER_IN_TEXT.fullmatch(value.strip())
    if not match:
        return None
    number = match.group("number").replace(",", "").replace("，", "")
    words = (match.group("before") + " " + match.group("after")).strip()
    if not words:
        return None  # only digits (`0012`, `1,200`): the general message fits
    parent = ctx.schemas.subschema_at(ctx.kind, ctx.path[:-1]) or {}
    siblings = parent.get("properties", {})
    qualifier = _qualifier_for(ctx.schemas, words) if "qualifier" in siblings else None
    fixes = [f"{ctx.name} 只填数字 {number}"]
    if qualifier:
        fixes.append(f"“{qualifier[1]}”写在限定词字段：qualifier: {qualifier[0]}")
    unit = match.group("after").strip()
    if unit and "unit" in siblings and not (qualifier and unit == qualifier[1]):
        fixes.append(f"单位写在 unit 字段：unit: {unit}")
    if len(fixes) == 1:
        fixes.append("数字前后的文字请删去" + ("，或写在 qualifier（约、近、超过、累计、其中）和 unit 字段" if "qualifier" in siblings else ""))
    return f"{ctx.label()}只能填数字，现在是“{_show(value)}”。", "；".join(fixes) + "。"


def _qualifier_for(schemas: Schemas, words: str) -> tuple[str, str] | None:
    """(qualifier name, the word as written) for the first qualifier word found in `words`."""
    if schemas.vocab is None or "benefit_qualifiers" not in schemas.vocab.by_key:
        return None
    for term in schemas.vocab["benefit_qualifiers"].terms:
        for word in sorted((term.name, *term.words), key=len, reverse=True):
            if word in words:
                return term.name, word
    return None


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
    if value == "" or value is None:
        return f"{ctx.label()}尚未填写。", hint or ctx.description()
    route = _route_for(ctx, value)
    if route:
        return f"{ctx.label()}“{_show(value)}”不在可以直接报送的九类主体之中。", route + (f"九类主体：{listing}。" if listing else "")
    return f"{ctx.label()}的值“{_show(value)}”不在允许范围内。", hint or ctx.description()


def _route_for(ctx: _Context, value) -> str:
    """For a refused submitter type: the channel that kind of unit reports through."""
    vocabulary = ctx.schemas.vocab.by_key.get("submitter_types") if ctx.schemas.vocab else None
    if not vocabulary or ctx.node.get("x-vocabulary") != "submitter_types" or not isinstance(value, str):
        return ""
    for route in vocabulary.routes:
        if any(word in value for word in route.words):
            return route.route
    return "不属于九类主体的单位，请通过所在设区市科技局或所属行业协会报送。"


def _const(ctx: _Context) -> Message:
    want = ctx.error.validator_value
    shown = "true" if want is True else str(want)
    return f"{ctx.label()}必须为 {shown}。", ctx.description()


def _pattern(ctx: _Context) -> Message:
    if ctx.error.instance == "":
        return f"{ctx.label()}尚未填写。", ctx.description()
    return f"{ctx.label()}的格式不正确：“{_show(ctx.error.instance)}”。", ctx.description()


_FORMAT_TEXT = {
    "date": ("不是有效的日期", "按 YYYY-MM-DD 填写真实存在的日期，例如 2025-03-08。"),
    "date-time": ("不是有效的时间", "按 2026-03-01T09:00:00+08:00 的格式填写。"),
    "email": ("不是有效的电子邮箱", "填写形如 tto@example.edu.cn 的地址。"),
    "uri": ("不是有效的网址", "填写以 https:// 开头的完整网址。"),
}


def _format(ctx: _Context) -> Message:
    if ctx.error.instance == "":
        return f"{ctx.label()}尚未填写。", ctx.description()
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
    return f"{ctx.label()}不符合要求。", ctx.description() or "请对照字段说明修改。"


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
                                "schema.other", "不符合数据结构要求。", "请对照字段说明修改。",
                                format_path(path), Severity.ERROR))
    return found
