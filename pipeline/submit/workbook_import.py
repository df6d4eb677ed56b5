"""A filled workbook → records, each checked by the project's own validator, every problem at its cell.

Straight through, two phases: read and check everything, then (only if the caller decides so) write. Each
achievement is assembled from its 成果 row and its rows in the group sheets, turned into the record file text
exactly as it would be written, and validated as that file (schema and rules, like `zlhcg validate`). Each
diagnostic's JSON path is then mapped back to the cell the value came from: `完成人!D7（所在单位）`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from pipeline.check.ids import ID_PATTERN
from pipeline.diagnostics import Diagnostic, Severity
from pipeline.model.library import Rules
from pipeline.read.sources import record_file, record_folder
from pipeline.submit.intake_record import check_record_text, order_like_schema, parse_path, record_yaml
from pipeline.submit.plain_words import PlainWords
from pipeline.submit.workbook_guard import inspect_workbook
from pipeline.submit.workbook_layout import ID_PATH, KEY_TITLE, MAIN_SHEET, Column, Sheet, WorkbookLayout
from pipeline.submit.workbook_read import Problem, ReadResult, Row, read_workbook
from pipeline.submit.workbook_values import CellProblem, read_value


@dataclass(frozen=True)
class Place:
    """Where a value sits in the workbook, as shown to the unit: 完成人!D7（所在单位）."""

    sheet: str
    cell: str = ""
    title: str = ""
    note: str = ""  # when there is no single cell: "第 7 行", "序号 3 的成果"

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        detail = self.title or self.note
        return f"{where}（{detail}）" if detail else where


@dataclass
class Achievement:
    """One achievement of the workbook: its 序号, the record data, where each value came from, what is wrong."""

    key: int
    row: int  # its row on the 成果 sheet
    data: dict[str, Any] = field(default_factory=dict)
    places: dict[tuple, Place] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    record_id: str = ""
    text: str = ""  # the record file, when it could be made
    updates: bool = False  # the record already exists in the repository

    @property
    def ok(self) -> bool:
        return bool(self.text) and not any(p.is_error for p in self.problems)

    @property
    def file(self) -> str:
        return record_file(self.record_id)

    def title(self) -> str:
        return str(self.data.get("title") or "")

    def place_of(self, path: tuple) -> Place:
        for length in range(len(path), -1, -1):
            found = self.places.get(path[:length])
            if found:
                return found
        return Place(MAIN_SHEET, f"A{self.row}", note=f"序号 {self.key}")


@dataclass
class ImportResult:
    file: str
    achievements: list[Achievement]
    problems: list[Diagnostic]  # problems of the file itself, not of one achievement

    @property
    def all_problems(self) -> list[Diagnostic]:
        return [*self.problems, *(p for a in self.achievements for p in a.problems)]

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.all_problems) and bool(self.achievements)


def diagnostic(file: str, place: Place, rule: str, message: str, hint: str, severity=Severity.ERROR,
               row: int | None = None, column: int | None = None) -> Diagnostic:
    return Diagnostic(file, row, column, rule, message, hint, str(place), severity)


def _from_problem(file: str, problem: Problem) -> Diagnostic:
    return diagnostic(file, Place(problem.sheet, problem.cell, problem.title), problem.rule, problem.message,
                      problem.hint, Severity.ERROR if problem.error else Severity.WARNING)


def _put(data: dict, path: tuple, value: Any) -> None:
    for name in path[:-1]:
        data = data.setdefault(name, {})
    data[path[-1]] = value


class _Assembler:
    def __init__(self, layout: WorkbookLayout, file: str):
        self.layout, self.file = layout, file

    def fill(self, achievement: Achievement, row: Row, sheet: Sheet, base: tuple) -> dict:
        """The values of one row, put under `base` in the record; every cell registered as a place."""
        item: dict = {}
        lists: dict[tuple, list] = {}
        for column in sheet.columns:
            ref = row.cells.get(column)
            if ref is None:
                continue
            place = Place(sheet.name, ref, column.title)
            if column.kind == "enum-item":
                achievement.places.setdefault(base + column.path, place)
                if column in row.values:
                    items = lists.setdefault(column.path, [])
                    achievement.places[base + column.path + (len(items),)] = place
                    self.value(achievement, column, row, place, items.append)
                continue
            achievement.places[base + column.path] = place
            if column in row.values:
                self.value(achievement, column, row, place, lambda v, c=column: _put(item, c.path, v))
        for path, items in lists.items():
            if items:
                _put(item, path, items)
        for path, value in sheet.constants:
            _put(item, path, value)
        return item

    def value(self, achievement: Achievement, column: Column, row: Row, place: Place, store: Callable) -> None:
        try:
            value = read_value(column, row.values[column])
        except CellProblem as problem:
            achievement.problems.append(diagnostic(self.file, place, "workbook.cell", problem.message, problem.hint))
            return
        if value not in (None, "", []):
            store(value)

    def main_row(self, row: Row) -> Achievement:
        achievement = Achievement(row.key, row.number)
        achievement.places[()] = Place(MAIN_SHEET, f"A{row.number}", note=f"序号 {row.key}")
        achievement.data = self.fill(achievement, row, self.layout.main, ())
        return achievement

    def group_rows(self, achievement: Achievement, sheet: Sheet, rows: list[Row]) -> None:
        achievement.places[sheet.path] = Place(sheet.name, note=f"序号 {achievement.key} 的成果")
        items = []
        for row in rows:
            base = sheet.path + (len(items),)
            achievement.places[base] = Place(sheet.name, f"A{row.number}", note=f"第 {row.number} 行")
            items.append(self.fill(achievement, row, sheet, base))
        if items:
            _put(achievement.data, sheet.path, items)


def _assemble(read: ReadResult, layout: WorkbookLayout, file: str) -> tuple[list[Achievement], list[Diagnostic]]:
    assembler, problems = _Assembler(layout, file), []
    main = read.sheets.get(MAIN_SHEET)
    achievements: dict[int, Achievement] = {}
    for row in main.rows if main else ():
        if row.key in achievements:
            problems.append(diagnostic(file, Place(MAIN_SHEET, f"A{row.number}", KEY_TITLE), "workbook.key-duplicate",
                                       f"序号 {row.key} 已用于第 {achievements[row.key].row} 行。",
                                       "每个成果一个序号，不能重复。"))
            continue
        achievements[row.key] = assembler.main_row(row)
    for sheet in layout.sheets[1:]:
        rows = read.sheets.get(sheet.name).rows if sheet.name in read.sheets else []
        for row in rows:
            if row.key not in achievements:
                problems.append(diagnostic(file, Place(sheet.name, f"A{row.number}", KEY_TITLE), "workbook.key-unknown",
                                           f"序号 {row.key} 在“{MAIN_SHEET}”表中没有对应的成果。",
                                           f"填写所属成果在“{MAIN_SHEET}”表中的序号。"))
        for key, achievement in achievements.items():
            assembler.group_rows(achievement, sheet, [r for r in rows if r.key == key])
    return list(achievements.values()), problems


@dataclass(frozen=True)
class Target:
    """Where the records go: the repository root, today's date (new ids, date rules), the YAML header."""

    root: Path
    rules: Rules
    today: date
    new_id: Callable[[], str]
    header: tuple[str, ...]


def _assign_id(achievement: Achievement, target: Target, taken: set[str], file: str) -> None:
    given = achievement.data.get(ID_PATH[0])
    if given:
        if given in taken:
            achievement.problems.append(diagnostic(file, achievement.place_of(ID_PATH), "workbook.id-duplicate",
                                                   f"成果编号“{given}”在本表中出现了两次。", "每个成果的编号必须不同；新成果不填编号。"))
        achievement.record_id = str(given)
    else:
        achievement.record_id = target.new_id()
        while achievement.record_id in taken or (target.root / record_folder(achievement.record_id)).exists():
            achievement.record_id = target.new_id()
    taken.add(achievement.record_id)


def _validate(achievement: Achievement, target: Target, file: str, words: PlainWords) -> None:
    schemas = target.rules.schemas
    data = order_like_schema({**achievement.data, "id": achievement.record_id}, schemas.documents["result"], schemas)
    achievement.text = record_yaml(data, list(target.header))
    folder = target.root / record_folder(achievement.record_id)
    achievement.updates = ID_PATTERN.fullmatch(achievement.record_id) is not None and folder.is_dir()
    media = tuple(sorted(p for p in folder.iterdir() if p.suffix not in (".yaml", ".yml"))) if achievement.updates else ()
    broken = {p.field for p in achievement.problems}  # cells already reported: the validator would only repeat them
    for found in check_record_text(achievement.text, achievement.file, target.rules, media):
        path = parse_path(found.field) if found.field else ()
        place = achievement.place_of(path)
        if str(place) in broken and found.rule.startswith("schema.required"):
            continue
        message = words.text(found.message)
        if found.rule == "schema.required" and place.cell and achievement.places.get(path) is place:
            message = "尚未填写。" + message.partition("。")[2]  # the cell reference names the column
        achievement.problems.append(diagnostic(file, place, found.rule, message, words.text(found.hint),
                                               found.severity))


def import_workbook(path: Path, layout: WorkbookLayout, target: Target) -> ImportResult:
    """Reads, assembles and checks every achievement; writes nothing."""
    file = path.name
    inspection = inspect_workbook(path)
    read = read_workbook(path, layout, inspection, target.rules.schemas.version("result"))
    achievements, problems = _assemble(read, layout, file)
    problems = [_from_problem(file, p) for p in read.problems] + problems
    if not achievements and not any(p.is_error for p in problems):
        problems.append(diagnostic(file, Place(MAIN_SHEET), "workbook.empty", f"“{MAIN_SHEET}”表中没有填写任何成果。",
                                   f"每个成果在“{MAIN_SHEET}”表中填一行，从第 2 行开始。"))
    taken: set[str] = set()
    words = PlainWords.of(target.rules.schemas)
    for achievement in achievements:
        _assign_id(achievement, target, taken, file)
        _validate(achievement, target, file, words)
    return ImportResult(file, achievements, problems)


def write_records(achievements: list[Achievement], root: Path) -> list[str]:
    """Writes each achievement's record file; returns the files written."""
    written = []
    for achievement in achievements:
        target = root / achievement.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(achievement.text, encoding="utf-8")
        written.append(achievement.file)
    return written

