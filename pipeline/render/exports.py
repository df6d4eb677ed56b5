"""Open data: every public record as JSON (in the record schema's own shape) and CSV, plus the compiled
JSON Schemas. Same exclusions as the pages: nothing embargoed, nothing withdrawn.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

from pipeline.kinds import all_kinds
from pipeline.model.records import Achievement
from pipeline.render.edition_data import editions_json
from pipeline.model.publication import Publication


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def _drop_empty(data: dict) -> dict:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def record_json(record: Achievement, pub: Publication) -> dict:
    """The record as the schema describes it, plus `url`, `entered` (resolved) and `updated`."""
    b = record.breakthrough
    t = record.transfer
    return _drop_empty({
        "id": record.id, "url": pub.absolute(record.url), "title": record.title, "title_en": record.title_en,
        "summary": record.summary, "description": record.description, "innovations": list(record.innovations),
        "category": record.category,
        "papers": [_drop_empty(vars(p).copy()) for p in record.papers],
        "breakthrough": {"bottleneck": b.bottleneck, "replaces": b.replaces, "industrialization": {
            "products": list(b.products), "users": list(b.users), "output": b.output}} if b else None,
        "application": vars(record.application).copy() if record.application else None,
        "level": record.level, "significance": list(record.significance), "highland": record.highland,
        "field": record.field, "submitter": vars(record.submitter).copy(),
        "units": [vars(u).copy() for u in record.units], "people": [_drop_empty(vars(p).copy()) for p in record.people],
        "platform": record.platform, "projects": [_drop_empty(vars(p).copy()) for p in record.projects],
        "ip": _drop_empty({"patents": [vars(p).copy() for p in record.patents],
                           "software": [vars(s).copy() for s in record.software],
                           "standards": [vars(s).copy() for s in record.standards]}),
        "ip_statement": {"confirmed": True, "confirmed_by": record.ip_statement.confirmed_by,
                         "confirmed_on": _iso(record.ip_statement.confirmed_on)},
        "benefits": [_drop_empty(vars(x).copy()) for x in record.benefits],
        "transfer": _drop_empty({"status": t.status, "modes": list(t.modes),
                                 "contact": _drop_empty(vars(t.contact).copy()) if t.contact else None,
                                 "market_url": t.market_url}) if t else None,
        "media": [_drop_empty({**vars(m), "url": pub.absolute(record.url + m.file)}) for m in record.media],
        "progress": [{"date": _iso(p.date), "text": p.text} for p in record.progress],
        "evaluations": [{**vars(e), "date": _iso(e.date)} for e in record.evaluations],
        "entered": _iso(record.entered), "updated": _iso(record.updated),
        "tags": list(record.tags), "demo": record.demo or None,
    })


def results_json(pub: Publication) -> bytes:
    records = sorted(pub.records, key=lambda r: r.id)
    head = {"schema": pub.schemas.documents["result"]["$id"], "schema_version": pub.schemas.version("result"),
            "count": len(records)}
    # One record a line: readable, diff-friendly, and written by json's C encoder (indent= would use the slow one).
    lines = ",\n".join(json.dumps(record_json(r, pub), ensure_ascii=False) for r in records)
    return (json.dumps(head, ensure_ascii=False)[:-1] + ', "results": [\n' + lines + "\n]}\n").encode("utf-8")


CSV_COLUMNS = (
    ("id", "成果编号", lambda r, p: r.id), ("title", "成果名称", lambda r, p: r.title),
    ("category", "成果类别", lambda r, p: r.category), ("level", "成果水平", lambda r, p: r.level),
    ("highland", "科创高地", lambda r, p: r.highland), ("field", "战略领域", lambda r, p: r.field),
    ("first_unit", "第一完成单位", lambda r, p: r.first_unit.name),
    ("first_unit_city", "第一完成单位所在地", lambda r, p: r.first_unit.city),
    ("units", "完成单位", lambda r, p: "；".join(u.name for u in r.units)),
    ("people", "完成人", lambda r, p: "；".join(x.name for x in r.people)),
    ("submitter", "报送主体", lambda r, p: r.submitter.name),
    ("submitter_type", "报送主体类型", lambda r, p: r.submitter.type),
    ("submitter_city", "报送主体所在地", lambda r, p: r.submitter.city),
    ("entered", "入库日期", lambda r, p: _iso(r.entered.date()) if r.entered else ""),
    ("url", "网址", lambda r, p: p.absolute(r.url)), ("summary", "成果简介", lambda r, p: r.summary),
    ("tags", "关键词", lambda r, p: "；".join(r.tags)),
)


def _csv_cell(text: str) -> str:
    """Neutralises spreadsheet formulas (a cell starting with = + - @ runs in Excel)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def results_csv(pub: Publication) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _, label, _ in CSV_COLUMNS])
    for record in sorted(pub.records, key=lambda r: r.id):
        writer.writerow([_csv_cell(str(get(record, pub))) for _, _, get in CSV_COLUMNS])
    return "\ufeff".encode("utf-8") + buffer.getvalue().encode("utf-8")


def published_schemas() -> tuple[str, ...]:
    """The record's, each edition kind's and the shared definitions (not the experts roster's)."""
    return ("result", *dict.fromkeys(kind.schema for kind in all_kinds()), "common")


def schema_files(pub: Publication) -> dict[str, bytes]:
    return {f"schema/{pub.schemas.file_name(kind)}": json.dumps(pub.schemas.documents[kind], ensure_ascii=False,
                                                                 indent=2).encode("utf-8")
            for kind in published_schemas()}


def export_files(pub: Publication) -> dict[str, bytes]:
    return {"data/results.json": results_json(pub), "data/results.csv": results_csv(pub),
            "data/editions.json": editions_json(pub), **schema_files(pub)}
