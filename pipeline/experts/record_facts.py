"""The few facts about a record that routing, conflicts and statistics need, read as plain data.

Records arrive here from pull requests (a checkout, or file contents fetched through the API), so they may be
invalid or hostile. They are only ever parsed by the strict loader, never executed, and a record that fails the
full validation still yields whatever facts it carries: a half-finished submission still needs reviewers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.read.strictyaml import LoadedDocument
from pipeline.check.vocab import Vocabularies

# A record file in a pull request: `results/<year>/<id>/<id>.yaml`, or `results/<id>/<id>.yaml` in pull requests
# made before the library moved into year folders (the ledger reads those too).
RECORD_FILE = re.compile(r"results/(?:(19|20)[0-9]{2}/)?(?P<id>(19|20)[0-9]{2}-[0-9a-hjkmnp-tv-z]{8})/(?P=id)\.yaml")


@dataclass(frozen=True)
class UnitRef:
    name: str
    credit_code: str


@dataclass(frozen=True)
class RecordFacts:
    file: str
    id: str
    field: str  # a known strategic field, or ""
    highland: str  # the field's highland when the field is known, else the record's own if known, or ""
    submitter_name: str
    submitter_type: str
    submitter_city: str
    units: tuple[UnitRef, ...]
    people: tuple[str, ...]
    withdrawn: bool


def normalise_name(text: str) -> str:
    """Names compared for conflicts: full-width forms folded (NFKC), whitespace dropped, case folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def _text(data: dict, key: str) -> str:
    value = data.get(key) if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) else ""


def _mappings(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def facts_from_data(data: dict, file: str, vocab: Vocabularies) -> RecordFacts:
    field_term = vocab.fields.get(_text(data, "field"))
    highland = field_term.parent if field_term else _text(data, "highland")
    if vocab.highlands.get(highland) is None:
        highland = ""
    submitter = data.get("submitter") if isinstance(data.get("submitter"), dict) else {}
    units = tuple(UnitRef(_text(u, "name"), _text(u, "credit_code")) for u in _mappings(data.get("units")))
    people = tuple(name for name in (_text(p, "name") for p in _mappings(data.get("people"))) if name)
    return RecordFacts(
        file=file, id=_text(data, "id"), field=field_term.name if field_term else "", highland=highland,
        submitter_name=_text(submitter, "name"), submitter_type=_text(submitter, "type"),
        submitter_city=_text(submitter, "city"), units=units, people=people,
        withdrawn=isinstance(data.get("withdrawn"), dict),
    )


def facts_from_document(doc: LoadedDocument, vocab: Vocabularies) -> RecordFacts:
    return facts_from_data(doc.data if isinstance(doc.data, dict) else {}, doc.file, vocab)
