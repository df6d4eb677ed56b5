"""Open data: every public record as JSON (in the record schema's own shape) and CSV, plus the compiled
JSON Schemas. Same exclusions as the pages: nothing embargoed, nothing withdrawn.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from functools import partial
from typing import Callable, Iterable, Iterator

from pipeline.kinds import all_kinds
from pipeline.model.records import Achievement
from pipeline.render.edition_data import editions_json
from pipeline.model.publication import Publication


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


# What the open data adds to each record beyond the source file as the schema describes it. The round-trip
# test (tests/test_exports_roundtrip.py) removes exactly these and compares the rest with the source.
DERIVED_FIELDS = ("url", "entered", "updated", "in_315")
DERIVED_ITEM_FIELDS = {("media", "url"), ("ip", "patents", "canonical")}
DISPLAY_FIELDS = ("summary",)  # exported as shown on the site: line breaks between Chinese characters joined


def record_json(record: Achievement, pub: Publication) -> dict:
    """The record file as the schema describes it (every field, by construction: nothing is mapped by hand),
    plus the derived fields listed above."""
    out: dict = {}
    for key, value in record.data.items():
        out[key] = value
        if key == "id":
            out["url"] = pub.absolute(record.url)
    out["summary"] = record.summary
    if record.media:
        out["media"] = [{**m, "url": pub.absolute(record.url + m["file"])} for m in record.data["media"]]
    if record.patents:
        out["ip"] = {**out["ip"], "patents": [{**p, "canonical": patent.canonical}
                                              for p, patent in zip(record.data["ip"]["patents"], record.patents)]}
    term = pub.vocab.fields.get(record.field)
    out["in_315"] = bool(term and term.in_315)
    for key, value in (("entered", _iso(record.entered)), ("updated", _iso(record.updated))):
        if value:
            out[key] = value
        else:
            out.pop(key, None)
    return out


def results_json_chunks(pub: Publication) -> Iterator[bytes]:
    """results.json a record at a time: the build writes it as it is made, never holding the whole file (41 MB at
    10,000 records, with its text as Python strings and the joined copy: three times that)."""
    records = sorted(pub.records, key=lambda r: r.id)
    head = {"schema": pub.schemas.documents["result"]["$id"], "schema_version": pub.schemas.version("result"),
            "count": len(records)}
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "results": [\n').encode("utf-8")
    # One record a line: readable, diff-friendly, and written by json's C encoder (indent= would use the slow one);
    # no spaces after separators (4 % of the file, which grows with the library).
    for i, record in enumerate(records):
        line = json.dumps(record_json(record, pub), ensure_ascii=False, separators=(",", ":"))
        yield (",\n" + line if i else line).encode("utf-8")
    yield b"\n]}\n"


CSV_COLUMNS = (
    ("id", "成果编号", lambda r, p: r.id), ("title", "成果名称", lambda r, p: r.title),
    ("category", "成果类别", lambda r, p: r.category), ("level", "成果水平", lambda r, p: r.level),
    ("highland", "科创高地", lambda r, p: r.highland), ("field", "领域", lambda r, p: r.field),
    ("in_315", "属于“315”战略领域", lambda r, p: "是" if getattr(p.vocab.fields.get(r.field), "in_315", False) else "否"),
    ("first_unit", "第一完成单位", lambda r, p: r.first_unit.name),
    ("first_unit_city", "第一完成单位所在地", lambda r, p: r.first_unit.location),
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


def results_csv_chunks(pub: Publication) -> Iterator[bytes]:
    """results.csv a record at a time, as results.json: the byte-order mark with the header row, then a row
    per record."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def row(cells: list[str]) -> bytes:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    yield "\ufeff".encode("utf-8") + row([label for _, label, _ in CSV_COLUMNS])
    for record in sorted(pub.records, key=lambda r: r.id):
        yield row([_csv_cell(str(get(record, pub))) for _, _, get in CSV_COLUMNS])


def published_schemas() -> tuple[str, ...]:
    """The record's, each edition kind's and the shared definitions (not the experts roster's)."""
    return ("result", *dict.fromkeys(kind.schema for kind in all_kinds()), "common")


def schema_files(pub: Publication) -> dict[str, bytes]:
    return {f"schema/{pub.schemas.file_name(kind)}": json.dumps(pub.schemas.documents[kind], ensure_ascii=False,
                                                                 indent=2).encode("utf-8")
            for kind in published_schemas()}


# A file made as it is written: a function giving its bytes piece by piece.
Streamed = Callable[[], Iterator[bytes]]


def export_files(pub: Publication) -> dict[str, bytes | Streamed]:
    """The open data and the schemas. The two large files are streamed (`Streamed`): made as they are written."""
    return {"data/results.json": partial(results_json_chunks, pub), "data/results.csv": partial(results_csv_chunks, pub),
            "data/editions.json": editions_json(pub), **schema_files(pub)}


def file_chunks(content: bytes | str | Streamed) -> Iterable[bytes]:
    """A generated file's bytes, however it is given: piece by piece when it is streamed."""
    if callable(content):
        return content()
    return [content.encode("utf-8") if isinstance(content, str) else content]
