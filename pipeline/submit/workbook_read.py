"""Reads a checked workbook into rows of raw cell values, matched to the layout's columns by header text.

Columns are found by their header, so a unit may reorder columns or add its own (a 备注 column is ignored with a
note). Real files bring merged cells (a 序号 merged down over several rows holds for each of them; a merge across
columns is refused, it hides which column a value belongs to), hidden rows and columns (read, with a note: they
are easy to forget), extra sheets (ignored, with a note) and formulas (the value Excel or WPS last calculated is
used; a formula saved without one is refused at its cell).
"""

from __future__ import annotations

import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.submit.workbook_guard import Inspection, WorkbookRefused
from pipeline.submit.workbook_layout import (GUIDE_SHEET, KEY_TITLE, MAIN_SHEET, REQUIRED_MARK, VOCAB_SHEET, Column,
                                             Sheet, WorkbookLayout)
from pipeline.submit.workbook_guide import VERSION_LABEL, version_text
from pipeline.submit.workbook_values import clean_text, is_empty


@dataclass(frozen=True)
class Problem:
    """A problem found while reading, at a sheet (and cell) of the workbook."""

    sheet: str
    cell: str  # "D7", or "" for the whole sheet
    title: str  # the column title, or ""
    rule: str
    message: str
    hint: str
    error: bool = True


@dataclass(frozen=True)
class Row:
    number: int
    key: int
    values: dict[Column, Any]  # non-empty cells only
    cells: dict[Column, str]  # every column's cell reference on this row, e.g. "D7"


@dataclass
class SheetRows:
    sheet: Sheet
    rows: list[Row] = field(default_factory=list)


@dataclass
class ReadResult:
    sheets: dict[str, SheetRows]
    problems: list[Problem]


def normalise_header(text: Any) -> str:
    return unicodedata.normalize("NFKC", clean_text(str(text or ""))).removeprefix(REQUIRED_MARK).strip()


class _SheetReader:
    def __init__(self, sheet: Sheet, ws: Worksheet, formulas: Worksheet | None, problems: list[Problem]):
        self.sheet, self.ws, self.formulas, self.problems = sheet, ws, formulas, problems
        self.by_title = {normalise_header(c.title): c for c in sheet.columns}

    def problem(self, cell: str, title: str, rule: str, message: str, hint: str, error: bool = True) -> None:
        self.problems.append(Problem(self.sheet.name, cell, title, rule, message, hint, error))

    def header(self) -> dict[int, Column | None]:
        """Column index -> layout column (None for the 序号 column); unknown columns are reported and skipped."""
        found: dict[int, Column | None] = {}
        seen: dict[str, int] = {}
        for index in range(1, (self.ws.max_column or 0) + 1):
            text = normalise_header(self.ws.cell(1, index).value)
            letter = get_column_letter(index)
            if not text:
                continue
            if text in seen:
                self.problem(f"{letter}1", text, "workbook.duplicate-column", f"列“{text}”出现了两次（另一列在 "
                             f"{get_column_letter(seen[text])} 列）。", "删除重复的一列，或把内容合并到一列。")
                continue
            seen[text] = index
            if text == KEY_TITLE:
                found[index] = None
            elif text in self.by_title:
                found[index] = self.by_title[text]
            else:
                self.problem(f"{letter}1", text, "workbook.unknown-column", f"列“{text[:30]}”不是模板中的列，已忽略。",
                             "如果这一列是要报送的内容，请把它移到模板中对应的列。", error=False)
        if KEY_TITLE not in seen:
            self.problem("A1", KEY_TITLE, "workbook.missing-key", f"缺少“{KEY_TITLE}”列。",
                         f"请使用报送模板，不要删除“{KEY_TITLE}”列或修改列名。")
        for column in self.sheet.columns:
            if column.required and normalise_header(column.title) not in seen:
                self.problem("", column.title, "workbook.missing-column", f"缺少必填的列“{column.title}”。",
                             "请使用报送模板，不要删除列或修改列名。")
        return found

    def merged(self, columns: dict[int, Column | None]) -> None:
        """Copies a vertical merge's value into every cell it covers; refuses merges across columns."""
        for merged in list(self.ws.merged_cells.ranges):
            top_left = f"{get_column_letter(merged.min_col)}{merged.min_row}"
            if merged.min_col != merged.max_col or merged.min_row == 1:
                self.problem(top_left, "", "workbook.merged-across", f"单元格 {merged.coord} 是跨列（或表头）合并的单元格。",
                             "请取消合并（“开始 → 合并后居中”再点一次），把内容填在对应的列中。")
                continue
            value = self.ws.cell(merged.min_row, merged.min_col).value
            self.ws.unmerge_cells(merged.coord)
            for row in range(merged.min_row, merged.max_row + 1):
                self.ws.cell(row, merged.min_col).value = value

    def hidden(self, columns: dict[int, Column | None]) -> None:
        for index, column in columns.items():
            letter = get_column_letter(index)
            if self.ws.column_dimensions[letter].hidden:
                self.problem(f"{letter}1", column.title if column else KEY_TITLE, "workbook.hidden-column",
                             f"{letter} 列是隐藏的，其中的内容仍会导入。", "请取消隐藏并核对这一列。", error=False)

    def uncached(self, row: int, index: int) -> bool:
        if self.formulas is None:
            return False
        formula = self.formulas.cell(row, index).value
        return isinstance(formula, str) and formula.startswith("=")

    def rows(self) -> SheetRows:
        columns = self.header()
        self.merged(columns)
        self.hidden(columns)
        out = SheetRows(self.sheet)
        key_index = next((i for i, c in columns.items() if c is None), None)
        for number, values in enumerate(self.ws.iter_rows(min_row=2, values_only=True), 2):
            row = self.row(number, values, columns, key_index)
            if row is not None:
                out.rows.append(row)
        return out

    def row(self, number: int, values: tuple, columns: dict[int, Column | None], key_index: int | None) -> Row | None:
        cells, filled = {}, {}
        for index, column in columns.items():
            raw = values[index - 1] if index - 1 < len(values) else None
            ref = f"{get_column_letter(index)}{number}"
            if raw is None and self.uncached(number, index):
                self.problem(ref, column.title if column else KEY_TITLE, "workbook.uncached-formula",
                             "单元格中是公式，但文件里没有保存公式的计算结果。",
                             "在 Excel 或 WPS 中打开文件、保存一次；或把公式改成数值（复制后“选择性粘贴 → 数值”）。")
                continue
            if column is not None:
                cells[column] = ref
                if not is_empty(raw):
                    filled[column] = raw
        if not filled:
            return None  # an empty row (only a 序号, or nothing): nothing to import
        if self.ws.row_dimensions[number].hidden:
            self.problem(f"A{number}", "", "workbook.hidden-row", f"第 {number} 行是隐藏的，其中的内容仍会导入。",
                         "请取消隐藏并核对这一行；不要报送的行请删除。", error=False)
        key = self.key(number, values[key_index - 1] if key_index and key_index - 1 < len(values) else None,
                       key_index)
        return None if key is None else Row(number, key, filled, cells)

    def key(self, number: int, raw: Any, key_index: int | None) -> int | None:
        ref = f"{get_column_letter(key_index or 1)}{number}"
        if is_empty(raw):
            self.problem(ref, KEY_TITLE, "workbook.key-missing", "这一行有内容，但没有填写序号。",
                         f"填写所属成果在“{MAIN_SHEET}”表中的序号。" if not self.sheet.is_main else "序号从 1 开始依次填写。")
            return None
        text = unicodedata.normalize("NFKC", clean_text(str(raw)))
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if not text.isdigit() or int(text) < 1:
            self.problem(ref, KEY_TITLE, "workbook.key-invalid", f"序号“{text[:20]}”不是正整数。", "序号填 1、2、3 这样的正整数。")
            return None
        return int(text)


IGNORED_SHEETS = {GUIDE_SHEET, VOCAB_SHEET}


def _open(path: Path, data_only: bool):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read (WPS adds some)
        try:
            return load_workbook(path, data_only=data_only, keep_links=False)
        except Exception as exc:  # noqa: BLE001 - any parser failure on a user's file means "corrupt"
            raise WorkbookRefused(f"文件已损坏，无法读取（{type(exc).__name__}）。") from None


def _template_version(values, version: str) -> Problem | None:
    """An old template (another record format) is named before its columns are: the fix is a new template."""
    if not version or GUIDE_SHEET not in values.sheetnames:
        return None
    ws = values[GUIDE_SHEET]
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 20), max_col=2, values_only=True):
        if row and row[0] == VERSION_LABEL and isinstance(row[1], str) and not row[1].startswith(version_text(version)):
            return Problem(GUIDE_SHEET, "", "", "workbook.old-template",
                           f"这是旧版模板（{row[1].split('（')[0]}），现行为{version_text(version)}，部分列已经变化。",
                           "请下载新模板，把内容逐列复制过去（注意新增和改名的列）后重新提交。")
    return None


def read_workbook(path: Path, layout: WorkbookLayout, inspection: Inspection, version: str = "") -> ReadResult:
    values = _open(path, data_only=True)
    formulas = _open(path, data_only=False) if inspection.sheets_with_formulas else None
    problems: list[Problem] = [p for p in [_template_version(values, version)] if p]
    sheets: dict[str, SheetRows] = {}
    known = {s.name for s in layout.sheets}
    for name in values.sheetnames:
        if name not in known and name not in IGNORED_SHEETS:
            problems.append(Problem(name, "", "", "workbook.extra-sheet", f"工作表“{name[:31]}”不是模板中的工作表，已忽略。",
                                    "如果其中有要报送的内容，请把它复制到模板中对应的工作表。", False))
    for sheet in layout.sheets:
        if sheet.name not in values.sheetnames:
            if sheet.is_main or sheet.required:
                problems.append(Problem(sheet.name, "", "", "workbook.missing-sheet", f"缺少工作表“{sheet.name}”。",
                                        "请使用报送模板，不要删除工作表或修改工作表名。"))
            continue
        formula_ws = formulas[sheet.name] if formulas is not None else None
        sheets[sheet.name] = _SheetReader(sheet, values[sheet.name], formula_ws, problems).rows()
    return ReadResult(sheets, problems)
