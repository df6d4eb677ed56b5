"""Workbooks as an office would fill them: the generated template, with cells written by header title through
openpyxl (never by a column position hard-coded in a test)."""

from __future__ import annotations

import copy
import functools
import io
import zipfile
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from pipeline.model.library import load_rules
from pipeline.read.sources import Layout
from pipeline.submit.workbook_commands import read_record_data, template_bytes
from pipeline.submit.workbook_layout import REQUIRED_MARK
from tests.factories import REPO

TODAY = date(2026, 11, 20)


@functools.cache
def _rules():
    return load_rules(Layout(REPO), TODAY)
DEMO_RECORDS = sorted((REPO / "results").glob("*/*/*.yaml"))
# Demo records a unit could send as new ones: no image shown in the text (images come as files, not cells).
SUBMITTABLE = [p for p in DEMO_RECORDS if "![" not in p.read_text(encoding="utf-8")]


def demo_data(path: Path, *, new: bool = True) -> dict:
    """A demo record as the validator reads it; `new` drops what a new submission from a unit would not have."""
    data = read_record_data(path, path.relative_to(REPO).as_posix(), _rules())
    if new:
        for name in ("id", "media", "entered", "withdrawn", "publish_at", "progress", "evaluations"):
            data.pop(name, None)
    return data


def write_workbook(root: Path, target: Path, records: list[dict]) -> Path:
    rules = load_rules(Layout(root), TODAY)
    target.write_bytes(template_bytes(root, rules, [copy.deepcopy(r) for r in records]))
    return target


def column_letter(ws, title: str) -> str:
    for cell in ws[1]:
        if str(cell.value or "").removeprefix(REQUIRED_MARK) == title:
            return cell.column_letter
    raise KeyError(title)


def rows_of(ws, key: int) -> list[int]:
    return [cell.row for cell in ws["A"][1:] if cell.value == key]


class Editor:
    """Opens a workbook, changes cells by sheet, header title and 序号, saves it back."""

    def __init__(self, path: Path):
        self.path = path
        self.wb = load_workbook(path)

    def ref(self, sheet: str, title: str, key: int = 1, nth: int = 0) -> str:
        ws = self.wb[sheet]
        return f"{column_letter(ws, title)}{rows_of(ws, key)[nth]}"

    def set(self, sheet: str, title: str, value, key: int = 1, nth: int = 0) -> str:
        ref = self.ref(sheet, title, key, nth)
        self.wb[sheet][ref].value = value
        return ref

    def get(self, sheet: str, title: str, key: int = 1, nth: int = 0):
        return self.wb[sheet][self.ref(sheet, title, key, nth)].value

    def save(self) -> Path:
        self.wb.save(self.path)
        return self.path


def zip_with(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def replace_entries(path: Path, changes: dict[str, bytes]) -> bytes:
    """The .xlsx at `path` with some zip entries replaced or added."""
    with zipfile.ZipFile(path) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    entries.update(changes)
    return zip_with(entries)
