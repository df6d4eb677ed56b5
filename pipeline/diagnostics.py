"""Diagnostics are data: one type, several formatters (human text, GitHub annotations, JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Iterable, Sequence


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in one file. `message` says what is wrong, `hint` how to fix it."""

    file: str
    line: int | None
    column: int | None
    rule: str
    message: str
    hint: str = ""
    field: str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(file: str, rule: str, message: str, *, hint: str = "", field: str = "",
          line: int | None = None, column: int | None = None) -> Diagnostic:
    return Diagnostic(file, line, column, rule, message, hint, field, Severity.ERROR)


def warning(file: str, rule: str, message: str, *, hint: str = "", field: str = "",
            line: int | None = None, column: int | None = None) -> Diagnostic:
    return Diagnostic(file, line, column, rule, message, hint, field, Severity.WARNING)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.file, d.line or 0, d.column or 0, d.rule, d.field, d.message))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def _location(d: Diagnostic) -> str:
    parts = [d.file]
    if d.line is not None:
        parts.append(str(d.line))
        if d.column is not None:
            parts.append(str(d.column))
    return ":".join(parts)


def format_text(diagnostics: Sequence[Diagnostic]) -> str:
    """Human-readable report in Chinese, one block per problem, then a summary line."""
    lines = []
    for d in diagnostics:
        field = f"（字段 {d.field}）" if d.field else ""
        lines.append(f"{_location(d)}: {SEVERITY_LABELS[d.severity]}{field}: {d.message} [{d.rule}]")
        if d.hint:
            lines.append(f"    修改建议：{d.hint}")
    lines.append(summary_line(diagnostics))
    return "\n".join(lines)


def summary_line(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    files = len({d.file for d in diagnostics if d.is_error})
    if not errors and not warnings:
        return "检查通过：没有发现问题。"
    if not errors:
        return f"检查通过，但有 {warnings} 条警告。"
    return f"检查未通过：{files} 个文件共 {errors} 个错误、{warnings} 条警告。"


def _escape_github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_github_property(text: str) -> str:
    return _escape_github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands, so problems show on the changed lines of a pull request."""
    lines = []
    for d in diagnostics:
        props = [f"file={_escape_github_property(d.file)}"]
        if d.line is not None:
            props.append(f"line={d.line}")
            if d.column is not None:
                props.append(f"col={d.column}")
        props.append(f"title={_escape_github_property(d.rule)}")
        text = d.message + (f" 修改建议：{d.hint}" if d.hint else "")
        if d.field:
            text = f"字段 {d.field}：{text}"
        lines.append(f"::{d.severity.value} {','.join(props)}::{_escape_github_data(text)}")
    lines.append(summary_line(diagnostics))
    return "\n".join(lines)


def format_json(diagnostics: Sequence[Diagnostic], **extra) -> str:
    """A stable machine-readable report: sorted keys, one object per problem."""
    items = []
    for d in diagnostics:
        item = asdict(d)
        item["severity"] = d.severity.value
        items.append(item)
    report = {
        "ok": not has_errors(diagnostics),
        "errors": sum(1 for d in diagnostics if d.is_error),
        "warnings": sum(1 for d in diagnostics if not d.is_error),
        "diagnostics": items,
        **extra,
    }
    return json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True)


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}
