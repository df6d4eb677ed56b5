"""Writes the batch workbook: the empty template (`zlhcg workbook`) or existing records in the same layout
(`zlhcg workbook --from …`), so a coordinator can send a unit its record back for revision.

The bytes depend only on the schema, the vocabularies and the records: workbook properties carry a fixed date
and the zip entries a fixed timestamp (openpyxl stamps both with the current time).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Any, Iterable, Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.check.schemas import Schemas
from pipeline.check.vocab import Vocabularies
from pipeline.submit.record_template import SKIP
from pipeline.submit.workbook_guide import guide_rows
from pipeline.submit.workbook_layout import (GUIDE_SHEET, KEY_TITLE, REQUIRED_MARK, VOCAB_SHEET, Column, Sheet,
                                             WorkbookLayout, build_layout)
from pipeline.submit.workbook_values import export_cells

FIXED_TIME = datetime(2024, 1, 1)  # workbook properties: a constant, so the same schema gives the same bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
VALIDATED_ROWS = 2000  # drop-downs and prompts reach this far down each sheet
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SYSTEM_FILL = PatternFill("solid", fgColor="EDEDED")
HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
BOOLEAN_OPTIONS = ("是", "否")
TEXT_KINDS = {"identifier", "date", "datetime", "text", "lines"}
PROMPT_LIMIT, PROMPT_TITLE_LIMIT = 255, 32  # Excel's limits for an input message


def header_text(column_title: str, required: bool) -> str:
    return f"{REQUIRED_MARK}{column_title}" if required else column_title


def _width(column: Column) -> float:
    by_kind = {"identifier": 24, "date": 14, "datetime": 26, "integer": 10, "number": 12, "boolean": 10, "lines": 40}
    width = by_kind.get(column.kind)
    if width is None and column.options:
        width = max(len(o) for o in column.options) * 2 + 4
    if width is None:
        width = 50 if (column.max_length or 0) > 300 else 30 if (column.max_length or 0) > 60 else 20
    return float(max(min(width, 60), len(column.title) * 2 + 3))


class _VocabularySheet:
    """The hidden 词表 sheet: one column per vocabulary, so drop-downs of any length work in Excel and WPS."""

    def __init__(self, workbook: Workbook, layout: WorkbookLayout):
        self.sheet = workbook.create_sheet(VOCAB_SHEET)
        self.ranges: dict[str, str] = {}
        for index, (key, options) in enumerate(layout.vocabularies().items(), 1):
            letter = get_column_letter(index)
            self.sheet.cell(1, index, key)
            for row, option in enumerate(options, 2):
                self.sheet.cell(row, index, option)
            self.ranges[key] = f"{quote_sheetname(VOCAB_SHEET)}!${letter}$2:${letter}${len(options) + 1}"
        self.sheet.sheet_state = "hidden"
        self.sheet.protection.sheet = True


def _validation(column: Column, vocab: _VocabularySheet) -> DataValidation:
    prompt = column.description[:PROMPT_LIMIT]
    common = dict(showInputMessage=True, promptTitle=column.title[:PROMPT_TITLE_LIMIT], prompt=prompt,
                  allow_blank=True)
    if column.vocabulary:
        return DataValidation(type="list", formula1=vocab.ranges[column.vocabulary], showErrorMessage=True,
                              errorTitle="不在可选范围内", error="请从下拉列表中选择。", **common)
    if column.kind == "boolean":
        return DataValidation(type="list", formula1='"' + ",".join(BOOLEAN_OPTIONS) + '"', showErrorMessage=True,
                              errorTitle="请选择", error="请选择“是”或“否”。", **common)
    return DataValidation(**common)


def _header(ws: Worksheet, index: int, title: str, required: bool, system: bool) -> None:
    cell = ws.cell(1, index, header_text(title, required))
    cell.font = REQUIRED_FONT if required else HEADER_FONT
    cell.fill = REQUIRED_FILL if required else SYSTEM_FILL if system else HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")


def _sheet(workbook: Workbook, sheet: Sheet, vocab: _VocabularySheet, system_paths: set[tuple]) -> Worksheet:
    ws = workbook.create_sheet(sheet.name)
    key_prompt = ("成果的序号，从 1 开始，每个成果一个。" if sheet.is_main
                  else f"所属成果在“成果”表中的序号。一个成果有多项{sheet.title}时，每项一行，填同一个序号。")
    _header(ws, 1, KEY_TITLE, True, False)
    ws.column_dimensions["A"].width = 8
    key = DataValidation(type="whole", operator="greaterThan", formula1="0", showInputMessage=True,
                         promptTitle=KEY_TITLE, prompt=key_prompt, showErrorMessage=True, error="序号填正整数。")
    key.add(f"A2:A{VALIDATED_ROWS}")
    ws.add_data_validation(key)
    for index, column in enumerate(sheet.columns, 2):
        letter = get_column_letter(index)
        _header(ws, index, column.title, column.required, column.path[:1] in system_paths)
        ws.column_dimensions[letter].width = _width(column)
        if column.kind in TEXT_KINDS:
            ws.column_dimensions[letter].number_format = "@"  # Excel and WPS keep typed digits as text
        validation = _validation(column, vocab)
        validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
        ws.add_data_validation(validation)
    ws.freeze_panes = "B2"
    ws.row_dimensions[1].height = 32
    return ws


def _write_row(ws: Worksheet, row: int, key: int, sheet: Sheet, values: list[Any]) -> None:
    ws.cell(row, 1, key)
    for index, (column, value) in enumerate(zip(sheet.columns, values, strict=True), 2):
        if value is None:
            continue
        cell = ws.cell(row, index, value)
        if isinstance(value, str):
            cell.data_type = "s"  # text beginning with "=" stays text, never becomes a formula
        if column.kind in TEXT_KINDS:
            cell.number_format = "@"
        if column.kind in ("text", "lines") and "\n" in str(value):
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _guide(workbook: Workbook, layout: WorkbookLayout, contact: dict, categories: dict[str, str], version: str) -> None:
    ws = workbook.active
    ws.title = GUIDE_SHEET
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    for row, (label, text) in enumerate(guide_rows(layout, contact, categories, version), 1):
        ws.cell(row, 1, label).font = HEADER_FONT
        cell = ws.cell(row, 2, text)
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def build_workbook(layout: WorkbookLayout, records: Iterable[dict] = (), *, contact: dict | None = None,
                   categories: dict[str, str] | None = None, system_fields: Iterable[str] = (),
                   version: str = "") -> Workbook:
    """The template, with `records` (plain record data) filled in; `categories` maps each category to what it
    means (for the guide), `system_fields` are set by coordinators and shown greyed."""
    workbook = Workbook()
    _guide(workbook, layout, contact or {}, categories or {}, version)
    vocab = _VocabularySheet(workbook, layout)
    system_paths = {(name,) for name in system_fields}
    sheets = {sheet.name: _sheet(workbook, sheet, vocab, system_paths) for sheet in layout.sheets}
    workbook.move_sheet(vocab.sheet, offset=len(workbook.sheetnames))
    next_row = {name: 2 for name in sheets}
    for key, record in enumerate(records, 1):
        for sheet_name, values in export_cells(layout, record):
            sheet = layout.sheet(sheet_name)
            _write_row(sheets[sheet_name], next_row[sheet_name], key, sheet, values)
            next_row[sheet_name] += 1
    workbook.active = 1  # open on the 成果 sheet
    workbook.properties.creator = "浙里好成果"
    workbook.properties.created = FIXED_TIME
    return workbook


def workbook_file(schemas: Schemas, vocab: Vocabularies, contact: Mapping | None, records: Iterable[dict] = ()
                  ) -> bytes:
    """The .xlsx for this schema and these vocabularies: the template, or `records` exported into it."""
    categories = {t.name: t.description for t in vocab["categories"].terms}
    workbook = build_workbook(build_layout(schemas), records, contact=dict(contact) if isinstance(contact, Mapping) else {},
                              categories=categories, system_fields=SKIP, version=schemas.version("result"))
    return workbook_bytes(workbook)


def workbook_bytes(workbook: Workbook) -> bytes:
    """The .xlsx bytes, with fixed timestamps inside, so the same input gives the same file."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = _fixed_core_dates(content)
            target.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _fixed_core_dates(xml: bytes) -> bytes:
    """openpyxl sets `modified` to now while saving; put the fixed date back."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", xml)
