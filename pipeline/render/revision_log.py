"""The public revision log of a record: each content revision as a field-level summary in Chinese
(“更新：最新进展（新增 1 条）、跟踪评价（新增 1 条）、成果简介”), with the submitter's optional note. Commit
subjects and ids stay out of public pages: they are maintainers' words, often English, and mean nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pipeline.check.schemas import Schemas
from pipeline.read.history import Revision
from pipeline.read.revisions import FieldChange


@dataclass(frozen=True)
class RevisionEntry:
    when: datetime
    summary: str
    note: str


def field_labels(schemas: Schemas) -> dict[str, str]:
    """Top-level record field → its Chinese title from the schema."""
    properties = schemas.documents["result"].get("properties", {})
    return {name: schemas.resolve(node).get("title", name) for name, node in properties.items()}


def _counts(change: FieldChange) -> str:
    parts = [f"{verb} {n} 条" for verb, n in (("新增", change.added), ("修改", change.changed), ("删除", change.removed))
             if n]
    return f"（{'，'.join(parts)}）" if parts else ""


def describe(revision: Revision, labels: dict[str, str], entered: date | None = None) -> str:
    if revision.added:
        # a record migrated with its own earlier entry date arrived on this site later than it entered the library
        return "入库" if entered is None or revision.when.date() == entered else "录入本网站"
    if not revision.changes:
        return "更新成果信息"
    return "更新：" + "、".join(labels.get(c.key, c.key) + _counts(c) for c in revision.changes)


def revision_log(revisions: tuple[Revision, ...], schemas: Schemas, entered: date | None = None) -> list[RevisionEntry]:
    """Newest first; reformats and schema migrations left out."""
    labels = field_labels(schemas)
    return [RevisionEntry(r.when, describe(r, labels, entered), r.note) for r in revisions if r.content]
