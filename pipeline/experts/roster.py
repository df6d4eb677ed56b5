"""The expert roster (`.github/experts.yaml`): who may review which strategic fields, and where they work.

The roster is validated against `schema/experts.schema.yaml` (Chinese messages from the shared formatter) and
a few rules the schema cannot express: check digits, handles unique regardless of case. It is never published.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from jsonschema import Draft202012Validator

from pipeline.check import checkdigits
from pipeline.diagnostics import Diagnostic, Severity, has_errors, sort_diagnostics
from pipeline.check.rules import at
from pipeline.check.schema_messages import explain
from pipeline.check.schemas import Schemas
from pipeline.read.strictyaml import LoadedDocument, YamlRejected, load_bytes, load_mapping

ROSTER_PATH = ".github/experts.yaml"
SCHEMA_KIND = "experts"


@dataclass(frozen=True)
class ExpertUnit:
    name: str
    credit_code: str


@dataclass(frozen=True)
class Expert:
    handle: str
    name: str
    fields: tuple[str, ...]
    unit: ExpertUnit
    active: bool
    note: str = ""

    @property
    def key(self) -> str:
        """GitHub logins are case-insensitive; every comparison goes through this."""
        return self.handle.lower()


@dataclass(frozen=True)
class Roster:
    file: str
    experts: tuple[Expert, ...]
    demo: bool = False

    @cached_property
    def by_key(self) -> dict[str, Expert]:
        return {e.key: e for e in self.experts}

    def get(self, login: str) -> Expert | None:
        return self.by_key.get(login.lower())

    @property
    def active(self) -> tuple[Expert, ...]:
        return tuple(e for e in self.experts if e.active)


class RosterInvalid(Exception):
    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} problems")
        self.diagnostics = diagnostics


def _schema_problems(doc: LoadedDocument, schemas: Schemas) -> list[Diagnostic]:
    validator = Draft202012Validator(schemas.documents[SCHEMA_KIND], registry=schemas.registry,
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    found: list[Diagnostic] = []
    for error in validator.iter_errors(doc.data):
        found.extend(explain(schemas, SCHEMA_KIND, doc, error))
    return found


def _rule_problems(doc: LoadedDocument) -> list[Diagnostic]:
    found, seen, unit_names = [], {}, {}
    for i, expert in enumerate(doc.data["experts"]):
        key = expert["handle"].lower()
        if key in seen:
            found.append(at(doc, ("experts", i, "handle"), "experts.duplicate-handle",
                            f"GitHub 账号“{expert['handle']}”重复（第一次出现在第 {seen[key] + 1} 位专家）。",
                            "每位专家只登记一次；账号不区分大小写。"))
        seen.setdefault(key, i)
        code = expert["unit"]["credit_code"]
        if not checkdigits.credit_code_is_valid(code):
            found.append(at(doc, ("experts", i, "unit", "credit_code"), "experts.credit-code",
                            f"统一社会信用代码“{code}”的校验码不正确。", "请对照单位的法人证书逐位核对。"))
        other = unit_names.setdefault(code, expert["unit"]["name"])
        if other != expert["unit"]["name"]:
            found.append(at(doc, ("experts", i, "unit", "name"), "experts.unit-name",
                            f"同一统一社会信用代码 {code} 登记了两个单位名称：“{other}”和“{expert['unit']['name']}”。",
                            "请统一为单位全称；利益冲突按信用代码和名称同时核对。", Severity.WARNING))
    return found


def check_roster(doc: LoadedDocument, schemas: Schemas) -> list[Diagnostic]:
    found = _schema_problems(doc, schemas)
    if found:
        return sort_diagnostics(found)
    return sort_diagnostics(_rule_problems(doc))


def _expert(entry: dict) -> Expert:
    unit = entry["unit"]
    return Expert(handle=entry["handle"], name=entry["name"], fields=tuple(entry["fields"]),
                  unit=ExpertUnit(unit["name"], unit["credit_code"]), active=entry["active"],
                  note=entry.get("note", ""))


def roster_from_document(doc: LoadedDocument, schemas: Schemas) -> tuple[Roster | None, list[Diagnostic]]:
    found = check_roster(doc, schemas)
    if has_errors(found):
        return None, found
    experts = tuple(_expert(e) for e in doc.data["experts"])
    return Roster(doc.file, experts, bool(doc.data.get("demo", False))), found


def load_roster(path: Path, file: str, schemas: Schemas) -> tuple[Roster, list[Diagnostic]]:
    """Raises RosterInvalid with every problem; returns warnings alongside a valid roster."""
    if not path.is_file():
        raise RosterInvalid([Diagnostic(file, None, None, "experts.missing", "找不到评审专家名册。",
                                        f"名册应位于 {ROSTER_PATH}，可用 --roster 指定其他位置。")])
    try:
        doc = load_mapping(load_bytes(path.read_bytes(), file), "专家名册")
    except YamlRejected as rejected:
        raise RosterInvalid([rejected.diagnostic]) from None
    roster, found = roster_from_document(doc, schemas)
    if roster is None:
        raise RosterInvalid(found)
    return roster, found
