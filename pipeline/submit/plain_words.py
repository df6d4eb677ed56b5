"""The validator's messages reworded for people who fill a form or a spreadsheet, not a YAML file.

The validator speaks to editors of record files: “联系电话”（transfer.contact.phone）, 把 highland 改为…,
单位写在 unit 字段：unit: 亿元. Someone who filled a web form or a workbook never saw those names. Here every schema
field name left in a message becomes the field's own Chinese title, and the parenthesised paths go, so the
message reads in the labels the submitter actually saw. Built from the schema, so new fields are covered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterator

from pipeline.check.schemas import Schemas
from pipeline.diagnostics import Diagnostic

_PAREN_NAME = re.compile(r"（[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|\[)[A-Za-z0-9_\]]+)*）")
_FIELD_VALUE = re.compile(r"(?<![A-Za-z0-9_.@/-])(?P<name>[a-z][a-z0-9_]*): (?P<value>[^\s，。；、]+)")
_NAME = re.compile(r" ?(?<![A-Za-z0-9_.@/:%-])(?P<name>[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)(?![A-Za-z0-9_@/%-]|\.[A-Za-z]) ?")
_QUOTED = re.compile(r"(“[^”]*”)")
_LATIN = re.compile(r"[A-Za-z0-9]")
_FILE_REFERENCE = re.compile(r"[（(][^（）()]*\.ya?ml[^（）()]*[）)]")  # （见 schema/vocab/fields.yaml）


def _titles(schemas: Schemas) -> dict[str, str]:
    """Field name (and dotted path) -> title; a name's first, shallowest use wins."""
    found: dict[str, str] = {}
    queue = [((), schemas.resolve(schemas.documents["result"]))]
    while queue:
        path, node = queue.pop(0)
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            queue.append((path, schemas.resolve(node["items"])))
            continue
        for name, child in (node.get("properties") or {}).items():
            child = schemas.resolve(child)
            title = str(child.get("title", ""))
            if title:
                found.setdefault(name, title)
                found.setdefault(".".join(path + (name,)), title)
            queue.append((path + (name,), child))
    return found


@dataclass(frozen=True)
class PlainWords:
    titles: dict[str, str]

    @classmethod
    def of(cls, schemas: Schemas) -> PlainWords:
        return cls(_titles(schemas))

    def text(self, text: str) -> str:
        """Reworded outside quotations: what a submitter typed (quoted “…” in messages) is never touched."""
        parts = _QUOTED.split(text)
        return "".join(part if i % 2 else self._outside_quotes(part) for i, part in enumerate(parts))

    def _outside_quotes(self, text: str) -> str:
        text = _PAREN_NAME.sub(lambda m: "" if self._known(m.group(0)[1:-1]) else m.group(0), text)
        text = _FIELD_VALUE.sub(self._field_value, text)
        text = _FILE_REFERENCE.sub("", text)
        return _NAME.sub(self._name, text)

    def _known(self, dotted: str) -> bool:
        plain = re.sub(r"\[[0-9]*\]", "", dotted)
        return plain in self.titles or plain.rsplit(".", 1)[-1] in self.titles

    def _title(self, dotted: str) -> str | None:
        return self.titles.get(dotted) or (self.titles.get(dotted.rsplit(".", 1)[-1]) if "." in dotted else None)

    def _field_value(self, match: re.Match) -> str:
        title = self._title(match["name"])
        return f"“{title}”填“{match['value']}”" if title else match.group(0)

    def _name(self, match: re.Match) -> str:
        """A field name becomes its quoted title; the spaces that set it apart from Chinese text go with it."""
        title = self._title(match["name"])
        before, after = match.string[: match.start()].rstrip(" ")[-1:], match.string[match.end():].lstrip(" ")[:1]
        if not title or _LATIN.match(before or " ") or _LATIN.match(after or " "):
            return match.group(0)  # a word in a Latin-script phrase, not a field name
        return f"“{title}”"

    def diagnostic(self, d: Diagnostic) -> Diagnostic:
        return replace(d, message=self.text(d.message), hint=self.text(d.hint))

    def all(self, diagnostics) -> Iterator[Diagnostic]:
        return (self.diagnostic(d) for d in diagnostics)
