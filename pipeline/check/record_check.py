"""One record file, checked in one round: its version, values typed by the schema, the schema, then every
rule on every part the schema found well-formed. Nothing waits for a second run."""

from __future__ import annotations

from datetime import date

from pipeline.check.rules import at, check_record
from pipeline.check.schema_messages import schema_diagnostics
from pipeline.check.schemas import Schemas
from pipeline.check.typing import typed_document
from pipeline.check.vocab import Vocabularies
from pipeline.diagnostics import Diagnostic
from pipeline.read.sources import RecordSource
from pipeline.read.strictyaml import LoadedDocument

CURRENT_VERSION = "2.0"


def version_diagnostic(doc: LoadedDocument, schemas: Schemas) -> Diagnostic | None:
    """Records in an older format are refused as a whole, with the command that upgrades them."""
    stated = doc.data.get("schema_version")
    if isinstance(stated, (int, float)) and not isinstance(stated, bool):
        stated = doc.plain_text.get(("schema_version",), str(stated))
    current = schemas.documents["result"]["properties"]["schema_version"]["const"]
    if stated == current:
        return None
    folder = doc.file.rsplit("/", 1)[0] if "/" in doc.file else doc.file
    said = f"“{stated}”" if isinstance(stated, str) and stated else "（未写明，即 1.0）"
    return at(doc, ("schema_version",) if "schema_version" in doc.data else (), "schema.version",
              f"本记录的格式版本为{said}，现行版本是 {current}。",
              f"运行 zlhcg migrate {folder} 自动升级（不会丢失任何内容），再运行 zlhcg validate 检查。")


def check_record_document(doc: LoadedDocument, source: RecordSource, schemas: Schemas, vocab: Vocabularies,
                          today: date) -> tuple[LoadedDocument, list[Diagnostic]]:
    """The record typed by the schema, and every diagnostic of it."""
    old = version_diagnostic(doc, schemas)
    if old:
        return doc, [old]
    doc, found = typed_document(schemas, "result", doc)
    schema_found = schema_diagnostics(schemas, "result", doc)
    blocked = {d.field for d in found + schema_found}
    return doc, found + schema_found + check_record(doc, source, vocab, today, blocked)
