"""Controlled vocabularies (cities, unit types, the "315" fields …), read from `schema/vocab/*.yaml`.

Coordinators amend these files by pull request; the schema and the validator read them, so no code changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pipeline.read.strictyaml import load_bytes, load_mapping


@dataclass(frozen=True)
class Term:
    """One allowed value: what editors type (`name`), its URL key (`slug`), an official code if any."""

    name: str
    slug: str
    code: str = ""
    description: str = ""
    parent: str = ""  # for strategic fields: the highland's name
    evidence: str = ""  # for categories: the field that carries the category's evidence
    in_315: bool = True  # for highlands and fields: part of the "315" system (statistics show the focus)
    grades: tuple[str, ...] | None = None  # for awards: the grades it can carry (None: not stated)
    pattern: str = ""  # for certificate kinds: the number's layout (a full-match regular expression)
    example: str = ""  # … and an example number for the hint
    words: tuple[str, ...] = ()  # for benefit qualifiers: how people write them inside a number


@dataclass(frozen=True)
class Route:
    """Where a unit that is not one of the nine submitter types reports through."""

    words: tuple[str, ...]
    route: str


@dataclass(frozen=True)
class Vocabulary:
    key: str
    title: str
    terms: tuple[Term, ...]
    routes: tuple[Route, ...] = ()

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.terms]

    def get(self, name: str) -> Term | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, Term]:
        return {t.name: t for t in self.terms}

    def __getitem__(self, name: str) -> Term:
        term = self.get(name)
        if term is None:
            raise KeyError(name)
        return term


@dataclass(frozen=True)
class Vocabularies:
    by_key: dict[str, Vocabulary]

    def __getitem__(self, key: str) -> Vocabulary:
        return self.by_key[key]

    @property
    def highlands(self) -> Vocabulary:
        return self.by_key["highlands"]

    @property
    def fields(self) -> Vocabulary:
        return self.by_key["fields"]

    def fields_of(self, highland: str) -> list[Term]:
        return [t for t in self.fields.terms if t.parent == highland]


def _term(entry: dict, parent: str = "", in_315: bool = True) -> Term:
    grades = entry.get("grades")
    return Term(
        name=str(entry["name"]), slug=str(entry["slug"]), code=str(entry.get("code", "")),
        description=str(entry.get("description", "")), parent=parent, evidence=str(entry.get("evidence", "")),
        in_315=bool(entry.get("in_315", in_315)), grades=None if grades is None else tuple(map(str, grades)),
        pattern=str(entry.get("pattern", "")), example=str(entry.get("example", "")),
        words=tuple(str(w) for w in entry.get("words") or ()),
    )


def _read(path: Path) -> dict:
    return load_mapping(load_bytes(path.read_bytes(), path.as_posix()), "词表文件").data


def load_vocabularies(vocab_dir: Path) -> Vocabularies:
    """Reads every vocabulary file; `fields.yaml` yields two vocabularies, highlands and fields."""
    by_key: dict[str, Vocabulary] = {}
    for path in sorted(vocab_dir.glob("*.yaml")):
        data = _read(path)
        if path.stem == "fields":
            highlands = tuple(_term(h) for h in data["highlands"])
            fields = tuple(_term(f, h["name"], h.get("in_315", True)) for h in data["highlands"] for f in h["fields"])
            by_key["highlands"] = Vocabulary("highlands", "科创高地", highlands)
            by_key["fields"] = Vocabulary("fields", str(data["title"]), fields)
        else:
            routes = tuple(Route(tuple(map(str, r["words"])), str(r["route"])) for r in data.get("routes") or ())
            by_key[path.stem] = Vocabulary(path.stem, str(data["title"]), tuple(_term(e) for e in data["entries"]),
                                           routes)
    return Vocabularies(by_key)
