"""How each file of the built site is stored: Content-Type, Cache-Control and upload phase (from object_kinds.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

RULES_FILE = Path(__file__).with_name("object_kinds.yaml")


@dataclass(frozen=True)
class ObjectKind:
    """What a key is, and the headers and phase that follow from it."""

    name: str
    content_type: str
    cache_control: str
    phase: str


@dataclass(frozen=True)
class Phase:
    name: str
    label: str


@dataclass(frozen=True)
class _KindRule:
    name: str
    pattern: re.Pattern
    cache_control: str
    phase: str


@dataclass(frozen=True)
class KindRules:
    """The parsed rules file; `classify` is the only question asked of it."""

    content_types: dict[str, str]
    default_content_type: str
    content_type_overrides: tuple[tuple[re.Pattern, str], ...]
    phases: tuple[Phase, ...]
    kinds: tuple[_KindRule, ...]

    def classify(self, key: str) -> ObjectKind:
        rule = next(rule for rule in self.kinds if rule.pattern.search(key))
        return ObjectKind(rule.name, self.content_type(key), rule.cache_control, rule.phase)

    def content_type(self, key: str) -> str:
        for pattern, content_type in self.content_type_overrides:
            if pattern.search(key):
                return content_type
        name = key.rsplit("/", 1)[-1]
        extension = name.rpartition(".")[2].lower() if "." in name else ""
        return self.content_types.get(extension, self.default_content_type)

    def phase_names(self) -> tuple[str, ...]:
        return tuple(phase.name for phase in self.phases)


def _media_type(entry: dict) -> str:
    return f"{entry['type']}; charset=utf-8" if entry.get("text") else entry["type"]


def parse_rules(data: dict) -> KindRules:
    caches = data["cache_control"]
    phases = tuple(Phase(p["name"], p["label"]) for p in data["phases"])
    kinds = tuple(_KindRule(k["name"], re.compile(k["pattern"]), caches[k["cache"]], k["phase"]) for k in data["kinds"])
    unknown = {k.phase for k in kinds} - {p.name for p in phases}
    if unknown or kinds[-1].pattern.pattern != "":
        raise ValueError(f"{RULES_FILE.name}: unknown phases {sorted(unknown)} or no catch-all last rule")
    return KindRules(
        content_types={ext: _media_type(entry) for ext, entry in data["content_types"].items()},
        default_content_type=data["default_content_type"],
        content_type_overrides=tuple((re.compile(o["pattern"]), _media_type(o)) for o in data["content_type_overrides"]),
        phases=phases,
        kinds=kinds,
    )


@cache
def load_rules() -> KindRules:
    return parse_rules(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")))
