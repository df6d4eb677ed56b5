"""Submission by issue form: the body of a submitted GitHub issue form → a record, with Chinese messages that
point at the form item (and row) to fix.

The body is hostile input like any pull request. It is only ever split into the form's sections and read as
text: nothing in it is executed, interpreted as YAML or rendered. Structure is strict — every section of the
form exactly once, in order — so text typed into one item can never pose as another (a line "### 成果类别"
inside a text box is a duplicate section and refuses the whole form). Values too long for their field are cut
with a message instead of being carried along; lists and tables are read line by line with line-precise errors.

GitHub renders a submitted form as `### <label>`, a blank line, the answer; an empty answer is `_No response_`
(`None` for a dropdown with nothing chosen); a ticked checkbox is `- [X] <option>`; a multiple-choice dropdown
lists the choices separated by ", ".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.diagnostics import Diagnostic, Severity, error
from pipeline.read.strictyaml import FORBIDDEN_CHARS, describe_char, format_path
from pipeline.submit.form_spec import FormSection, FormSpec
from pipeline.submit.list_markers import strip_list_marker

MAX_BODY_CHARS = 100_000  # GitHub itself stops at 65,536
EMPTY_ANSWERS = {"_No response_"}
EMPTY_CHOICE = {"_No response_", "None"}
HEADING = re.compile(r"###[ \t]+(?P<label>.*?)[ \t]*")
CELL_SEPARATOR = re.compile(r"[|｜]")
ITEM_SEPARATOR = re.compile(r"[;；]")
TABLE_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?")
CHECKBOX = re.compile(r"-\s*\[(?P<mark>[ xX])\]\s*(?P<label>.*)")
INTEGER = re.compile(r"[0-9]{1,9}")
NUMBER = re.compile(r"[0-9]{1,15}(\.[0-9]{1,10})?")


@dataclass(frozen=True)
class Block:
    """One section of the submitted body: its heading line and its answer lines (body line numbers)."""

    section: FormSection
    heading_line: int
    lines: tuple[tuple[int, str], ...]

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines)

    @property
    def first_line(self) -> int:
        return self.lines[0][0] if self.lines else self.heading_line


@dataclass(frozen=True)
class Location:
    """Where in the form a value came from: the section, the body line, the row of a list or table."""

    section: FormSection
    line: int
    row: int | None = None


@dataclass
class Parsed:
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    locations: dict[tuple, Location] = field(default_factory=dict)
    fatal: bool = False  # the form's structure is broken: no record can be made from it


def where(location: Location, column: str = "") -> str:
    row = f" 第 {location.row + 1} 行" if location.row is not None else ""
    return f"【{location.section.label}{row}{'（' + column + '）' if column else ''}】"


class _Reader:
    def __init__(self, spec: FormSpec, file: str):
        self.spec, self.file, self.out = spec, file, Parsed()

    # --- structure ---------------------------------------------------------------------------------------

    def fatal(self, rule: str, message: str, hint: str, line: int | None = None) -> None:
        self.out.fatal = True
        self.out.problems.append(error(self.file, rule, message, hint=hint, line=line))

    def blocks(self, body: str) -> dict[str, Block]:
        lines = body.split("\n")
        starts = self.headings(lines)
        if not self.out.fatal:
            self.check_order(starts)
        if self.out.fatal:
            return {}
        found = {}
        for k, (number, section) in enumerate(starts):
            end = starts[k + 1][0] - 1 if k + 1 < len(starts) else len(lines)
            content = [(n, lines[n - 1].rstrip()) for n in range(number + 1, end + 1)]
            while content and not content[0][1].strip():
                content.pop(0)
            while content and not content[-1][1].strip():
                content.pop()
            found[section.id] = Block(section, number, tuple(content))
        return found

    def headings(self, lines: list[str]) -> list[tuple[int, FormSection]]:
        """(line number, section) of every line that is exactly a form label's heading."""
        by_label = {s.label: s for s in self.spec.sections}
        starts = [(number, by_label[match.group("label")]) for number, line in enumerate(lines, 1)
                  if (match := HEADING.fullmatch(line)) and match.group("label") in by_label]
        if not starts:
            self.fatal("intake.not-a-form", "议题内容不是成果报送表单。",
                       "请通过“新建议题 → 重大科技成果报送”表单提交，不要删除或修改各项标题。")
        for section in self.spec.sections:
            seen = [number for number, s in starts if s is section]
            if len(seen) > 1:
                self.fatal("intake.duplicate-section",
                           f"表单中“{section.label}”一节出现了 {len(seen)} 次（第 " + " 行、第 ".join(map(str, seen))
                           + " 行）。", "填写内容中不要使用以“### ”开头的行；请删除多余的一节后保存。", seen[1])
        return starts

    def check_order(self, starts: list[tuple[int, FormSection]]) -> None:
        order = [self.spec.sections.index(s) for _, s in starts]
        for (number, section), previous, current in zip(starts[1:], order[:-1], order[1:], strict=True):
            if current < previous:
                self.fatal("intake.section-order", f"表单中“{section.label}”一节的位置不对（第 {number} 行）。",
                           "请不要调整表单各节的顺序或标题；可以重新用表单提交。", number)
        present = {s.id for _, s in starts}
        missing = [s.label for s in self.spec.sections if s.id not in present]
        if missing:
            self.fatal("intake.missing-section", "表单缺少以下各节：" + "、".join(missing) + "。",
                       "请不要删除或修改表单各项的标题（以“### ”开头的行）；可以重新用表单提交。")

    # --- values ------------------------------------------------------------------------------------------

    def problem(self, location: Location, rule: str, message: str, hint: str, path: tuple, column: str = "",
                severity: Severity = Severity.ERROR) -> None:
        self.out.problems.append(Diagnostic(self.file, location.line, None, rule, where(location, column) + message,
                                            hint, format_path(path), severity))

    def text(self, raw: str, node: dict, location: Location, path: tuple, column: str = "") -> str | None:
        bad = FORBIDDEN_CHARS.search(raw)
        if bad:
            self.problem(location, "intake.forbidden-char", f"内容中含有不允许的{describe_char(bad.group())}。",
                         "删除该字符（常由复制粘贴带入，肉眼看不见），可逐字删除后重新输入。", path, column)
            return None
        limit = node.get("maxLength")
        if limit is not None and len(raw) > limit:
            self.problem(location, "intake.too-long", f"内容有 {len(raw)} 个字，超过上限 {limit} 个字，已截断。",
                         "请精简到上限以内后重新保存表单。", path, column)
            return raw[:limit]
        return raw

    def scalar(self, block: Block, path: tuple) -> str | None:
        location = Location(block.section, block.first_line)
        raw = block.text.strip()
        if not raw or raw in EMPTY_ANSWERS or (block.section.widget == "dropdown" and raw in EMPTY_CHOICE):
            return None  # nothing typed: the validator then says 尚未填写 where the item is required
        if block.section.widget in ("input", "dropdown") and "\n" in raw:
            self.problem(location, "intake.one-line", "这里只能填写一行。", "请把内容合并为一行。", path)
            return None
        if block.section.widget == "dropdown" and raw not in block.section.options:
            self.problem(location, "intake.option", f"“{raw[:40]}”不是可选的值。",
                         "请从下拉列表中选择：" + "、".join(block.section.options) + "。", path)
            return None
        return self.text(raw, block.section.node, location, path)

    def rows(self, block: Block, path: tuple) -> list[tuple[int, int, str]]:
        """(row index, body line, text) of a list or table answer; blank lines skipped."""
        if block.text.strip() in EMPTY_ANSWERS:
            return []
        kept = [(n, t.strip()) for n, t in block.lines if t.strip()]
        limit = block.section.node.get("maxItems")
        if limit is not None and len(kept) > limit:
            self.problem(Location(block.section, kept[limit][0], limit), "intake.too-many",
                         f"最多填写 {limit} 项，现在有 {len(kept)} 项，超出的已忽略。", "请删减到上限以内。", path)
            kept = kept[:limit]
        return [(i, n, t) for i, (n, t) in enumerate(kept)]

    def lines(self, block: Block, path: tuple) -> list[str] | None:
        items = []
        for row, line, raw in self.rows(block, path):
            location = Location(block.section, line, row)
            self.out.locations[path + (len(items),)] = location
            value = self.text(strip_list_marker(raw),
                              block.section.node.get("items", {}), location, path + (len(items),))
            if value:
                items.append(value)
        return items or None

    def choices(self, block: Block, path: tuple) -> list[str] | None:
        raw = block.text.strip()
        if raw in EMPTY_CHOICE:
            return None
        location = Location(block.section, block.first_line)
        picked = [p.strip() for p in raw.split(",") if p.strip()]
        wrong = [p for p in picked if p not in block.section.options]
        if wrong or "\n" in raw:
            self.problem(location, "intake.option", f"“{wrong[0][:40] if wrong else raw[:40]}”不是可选的值。",
                         "请从下拉列表中选择：" + "、".join(block.section.options) + "。", path)
            return None
        return list(dict.fromkeys(picked))

    def confirm(self, block: Block, path: tuple) -> bool | None:
        title = block.section.node.get("title", "")
        location = Location(block.section, block.first_line)
        for _, raw in block.lines:
            match = CHECKBOX.fullmatch(raw.strip())
            if match and match.group("label").strip() == title:
                if match.group("mark") in "xX":
                    return True
                break
        self.problem(location, "intake.unchecked", f"尚未勾选“{title}”。", block.section.description, path)
        return None

    def cells(self, raw: str, count: int) -> list[str]:
        cells = [c.strip() for c in CELL_SEPARATOR.split(raw)]
        if len(cells) > count and raw.lstrip()[:1] in "|｜" and not cells[0]:
            cells = cells[1:]  # Markdown-table style leading pipe
        while len(cells) > count and not cells[-1]:
            cells.pop()
        return cells

    def cell(self, text: str, column, location: Location, path: tuple) -> Any:
        kind = column.node.get("type")
        if kind == "array":  # several values in one cell, separated by semicolons
            values = [v.strip() for v in ITEM_SEPARATOR.split(text) if v.strip()]
            checked = [self.text(v, column.node.get("items", {}), location, path + (i,), column.title)
                       for i, v in enumerate(values)]
            return checked if all(v is not None for v in checked) else None
        if kind in ("integer", "number"):
            pattern = INTEGER if kind == "integer" else NUMBER
            if not pattern.fullmatch(text):
                self.problem(location, "intake.number", f"“{text[:20]}”不是{'整数' if kind == 'integer' else '数字'}。",
                             "只填阿拉伯数字" + ("" if kind == "integer" else "（可带小数点）")
                             + "，不要加单位或逗号。",
                             path, column.title)
                return None
            return int(text) if kind == "integer" else (float(text) if "." in text else int(text))
        return self.text(text, column.node, location, path, column.title)

    def table(self, block: Block, path: tuple) -> list[dict] | None:
        columns = block.section.columns
        least = max(i for i, c in enumerate(columns) if c.required) + 1
        titles = [c.title for c in columns]
        items = []
        for row, line, raw in self.rows(block, path):
            location = Location(block.section, line, row)
            if TABLE_RULE.fullmatch(raw):
                continue
            cells = self.cells(raw, len(columns))
            if cells[: len(titles)] == titles[: len(cells)]:
                continue  # the header line copied from the help text
            index = len(items)
            self.out.locations[path + (index,)] = location
            if not least <= len(cells) <= len(columns):
                self.column_count(location, columns, cells, least, path + (index,))
                self.row_values(columns, cells, location, path + (index,))  # reported too, not hidden
                continue
            self.shifted(location, columns, cells, path + (index,))
            item = self.row_values(columns, cells, location, path + (index,))
            items.append(item)
        return items or None

    def row_values(self, columns, cells: list[str], location: Location, path: tuple) -> dict:
        item = {}
        for column, text in zip(columns, cells, strict=False):  # trailing optional cells may be left off
            if not text:
                if column.required:
                    self.problem(location, "intake.cell-empty", "尚未填写。", column.description,
                                 path + (column.name,), column.title)
                continue
            value = self.cell(text, column, location, path + (column.name,))
            if value is not None:
                item[column.name] = value
        return item

    def column_count(self, location: Location, columns, cells: list[str], least: int, path: tuple) -> None:
        count, most = len(cells), len(columns)
        wanted = f"{least}" + (f" 至 {most}" if least < most else "")
        if count > most:
            message = f"这一行多了 {count - most} 列：应有 {wanted} 列（以“|”分隔），现在有 {count} 列。"
            hint = "多出的列通常是某一列的内容里含有“|”，请删去内容中的“|”。" + _read_as(columns, cells)
        else:
            message = f"这一行少了 {least - count} 列：应有 {wanted} 列（以“|”分隔），现在有 {count} 列。"
            hint = "选填的列可以留空，但不能省略中间的“|”。" + _read_as(columns, cells)
        self.problem(location, "intake.columns", message, hint, path)

    def shifted(self, location: Location, columns, cells: list[str], path: tuple) -> None:
        """A full row whose optional last column holds something that cannot be in it: most likely a “|”
        typed inside an earlier column pushed the following values one column to the right."""
        last = columns[-1]
        if len(cells) < len(columns) or last.required or not cells[-1] or _fits(cells[-1], last.node):
            return
        self.problem(location, "intake.extra-column",
                     f"这一行可能多了一个“|”：“{cells[-1][:20]}”落在了最后一列“{last.title}”，但不符合这一列的格式。",
                     "请检查前面各列的内容中是否含有“|”（内容本身不要包含“|”）。" + _read_as(columns, cells),
                     path + (last.name,), last.title)

    def value(self, block: Block) -> Any:
        path = block.section.path
        self.out.locations.setdefault(path, Location(block.section, block.first_line))
        widget = block.section.widget
        if widget == "lines":
            return self.lines(block, path)
        if widget == "table":
            return self.table(block, path)
        if widget == "multi":
            return self.choices(block, path)
        if widget == "confirm":
            return self.confirm(block, path)
        return self.scalar(block, path)


def _read_as(columns, cells: list[str]) -> str:
    """What each column received, so the submitter sees where the values slipped."""
    shown = [f"{c.title}“{t[:12]}”" for c, t in zip(columns, cells, strict=False)]
    extra = [f"多出“{t[:12]}”" for t in cells[len(columns):]]
    return "这一行读到的各列：" + "；".join(shown + extra) + "。"


def _fits(text: str, node: dict) -> bool:
    """Whether `text` could be a value of this column (its pattern, options and type)."""
    if "enum" in node and text not in node["enum"]:
        return False
    if node.get("type") in ("integer", "number"):
        return NUMBER.fullmatch(text) is not None
    pattern = node.get("pattern")
    try:
        return not pattern or re.search(pattern, text) is not None
    except re.error:
        return True


def _put(data: dict, path: tuple, value: Any) -> None:
    for name in path[:-1]:
        data = data.setdefault(name, {})
    data[path[-1]] = value


def parse_form(body: str, spec: FormSpec, file: str) -> Parsed:
    """The record data a submitted form describes (without an id), with every problem found."""
    reader = _Reader(spec, file)
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if len(body) > MAX_BODY_CHARS:
        reader.fatal("intake.body-too-large", f"表单内容有 {len(body)} 个字符，超过上限 {MAX_BODY_CHARS}。",
                     "请精简各项内容后重新提交。")
        return reader.out
    if not body.strip():
        reader.fatal("intake.empty", "议题内容是空的。", "请通过“重大科技成果报送”表单填写后提交。")
        return reader.out
    blocks = reader.blocks(body)
    if reader.out.fatal:
        return reader.out
    for section in spec.sections:
        value = reader.value(blocks[section.id])
        if value is not None:
            _put(reader.out.data, section.path, value)
    return reader.out
