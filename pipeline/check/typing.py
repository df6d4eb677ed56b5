"""Values typed by the schema, not by YAML.

YAML guesses a type for every unquoted value: `007` stays text but `2024` becomes a number, `yes` a boolean,
an empty value nothing. Where the schema wants text, the loader's raw text of that value is used instead,
exactly as written, so identifiers never need quotes; an empty value (or `~`, `null`) is empty text, which the
schema then reports as not yet filled in. Where the schema wants a number or a boolean, YAML's
reading stands and the schema reports anything else.

Also here: text fields that lost the end of their line to a ` #` (YAML reads it as a comment).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pipeline.check.schemas import Schemas
from pipeline.diagnostics import Diagnostic, error
from pipeline.read.strictyaml import NULLS, LoadedDocument, format_path, replaced
from pipeline.read.yaml_mistakes import SENTENCE_FIX


def wants_text(node: dict | None) -> bool:
    if not node:
        return False
    if "type" in node:
        return node["type"] == "string"
    values = node.get("enum") or ([node["const"]] if "const" in node else [])
    return bool(values) and all(isinstance(v, str) for v in values)


def is_free_text(node: dict | None) -> bool:
    """Prose: text with no vocabulary, pattern or format, where a lost half sentence would go unnoticed."""
    return wants_text(node) and not any(k in node for k in ("enum", "const", "pattern", "format"))


def typed_document(schemas: Schemas, kind: str, doc: LoadedDocument) -> tuple[LoadedDocument, list[Diagnostic]]:
    """`doc` with every plain value the schema wants as text restored to its raw text, and the diagnostics of
    text cut short by a comment."""
    changes = {path: ("" if raw in NULLS else raw) for path, raw in doc.plain_text.items()
               if wants_text(schemas.subschema_at(kind, path))}
    data = replaced(doc.data, changes)
    found = [_comment_cut(doc, path, position) for path, position in doc.comment_after.items()
             if is_free_text(schemas.subschema_at(kind, path))]
    return (dataclasses.replace(doc, data=data) if data is not doc.data else doc), found


def _comment_cut(doc: LoadedDocument, path: tuple, position) -> Diagnostic:
    kept = _get(doc.data, path)
    return error(doc.file, "yaml.comment-in-text",
                 f"这一行“ #”及其后的内容被 YAML 当作注释丢掉了，“{format_path(path)}”现在只剩“{kept}”。",
                 hint="文字中需要“#”时，" + SENTENCE_FIX, field=format_path(path), line=position.line,
                 column=position.column)


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data
