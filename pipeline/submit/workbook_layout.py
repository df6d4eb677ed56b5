"""The batch workbook's layout, derived from the record schema: which sheets, which columns, what each holds.

Never hand-kept. The record's scalar fields (and those of nested objects such as 报送主体) become columns of the
成果 sheet, one row per achievement; every array of objects (完成单位, 完成人, 专利 …) becomes a sheet of its own,
one row per item, keyed by the achievement's 序号. Lists of plain text (创新点, 产品 …) fit in one cell, one item
per line; lists of vocabulary terms (重大意义 …) get one drop-down column per possible item.

Both the writer (template and export) and the importer work from this one object, so what the template asks and
what the import reads cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Iterator

from pipeline.check.schemas import Schemas
from pipeline.submit.record_template import _required_by_default as required_by_default

KEY_TITLE = "序号"
ID_PATH = ("id",)
MAIN_SHEET = "成果"
GUIDE_SHEET = "填表说明"
VOCAB_SHEET = "词表"
TITLE_JOINER = "·"
REQUIRED_MARK = "*"  # before a required column's header
MAX_ENUM_COLUMNS = 8  # a list of vocabulary terms gets one drop-down column per item, up to this many
SHEET_NAME_LIMIT = 31  # Excel's limit
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Identifiers: typed by hand, compared digit for digit, and ruined when a spreadsheet turns them into numbers.
_IDENTIFIER_NAMES = re.compile(r"(^|_)(id|code|number|no|doi|orcid|phone|certificate)$")
_IDENTIFIER_TITLES = re.compile(r"(号|代码|DOI|ORCID)$")


class WorkbookLayoutError(ValueError):
    """The schema has a shape the workbook cannot express (a maintainer's problem, caught by the tests)."""


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: columns key the cells read from a row
class Column:
    """One column: where its value goes in the record (relative to the sheet's item) and how it is typed."""

    title: str  # the header, without the required mark
    path: tuple[str, ...]  # field names from the sheet's item (the record for the 成果 sheet)
    node: dict
    required: bool
    kind: str  # text | lines | enum | enum-item | identifier | date | datetime | integer | number | boolean
    options: tuple[str, ...] = ()
    vocabulary: str = ""
    item: int | None = None  # for enum-item: which item of the list this column holds

    @property
    def description(self) -> str:
        return str(self.node.get("description", ""))

    @property
    def max_length(self) -> int | None:
        return self.node.get("maxLength")


@dataclass(frozen=True)
class Sheet:
    name: str
    path: tuple[str, ...]  # () for the 成果 sheet, else the array of objects this sheet lists
    title: str  # the schema title of that array (or of the record)
    description: str
    required: bool  # the record must have at least one item (a top-level required array)
    columns: tuple[Column, ...]
    evidence_of: str = ""  # the category that must fill this sheet
    constants: tuple[tuple[tuple[str, ...], Any], ...] = ()  # fields with one possible value (schema_version)

    @property
    def is_main(self) -> bool:
        return not self.path

    def column_for(self, path: tuple) -> Column | None:
        """The column holding `path` (names and, for lists in one cell, an item index)."""
        names = tuple(p for p in path if isinstance(p, str))
        for column in self.columns:
            if column.path == names and (column.item is None or (path and path[-1] == column.item)):
                return column
        return next((c for c in self.columns if c.path == names), None)


@dataclass(frozen=True)
class WorkbookLayout:
    sheets: tuple[Sheet, ...]
    evidence: dict[str, str]  # category -> the field carrying its evidence

    @property
    def main(self) -> Sheet:
        return self.sheets[0]

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)

    def sheet_for(self, path: tuple) -> Sheet | None:
        """The group sheet whose array is the longest prefix of `path` (field names only)."""
        names = tuple(p for p in path if isinstance(p, str))
        best = None
        for sheet in self.sheets[1:]:
            if names[: len(sheet.path)] == sheet.path and (best is None or len(sheet.path) > len(best.path)):
                best = sheet
        return best

    def vocabularies(self) -> dict[str, tuple[str, ...]]:
        """Every vocabulary used by a column, in first-use order."""
        found: dict[str, tuple[str, ...]] = {}
        for sheet in self.sheets:
            for column in sheet.columns:
                if column.vocabulary:
                    found.setdefault(column.vocabulary, column.options)
        return found


def _kind(name: str, node: dict) -> str:
    kind = node.get("type")
    if "const" in node and isinstance(node["const"], bool) or kind == "boolean":
        return "boolean"
    if kind in ("integer", "number"):
        return kind
    if "enum" in node:
        return "enum"
    if node.get("format") == "date":
        return "date"
    if node.get("format") == "date-time":
        return "datetime"
    if _IDENTIFIER_NAMES.search(name) or _IDENTIFIER_TITLES.search(str(node.get("title", ""))):
        return "identifier"
    return "text"


def _vocabulary(node: dict) -> str:
    return str(node.get("x-vocabulary") or "")


class _Walker:
    def __init__(self, schemas: Schemas):
        self.schemas = schemas
        self.sheets: list[Sheet] = []
        self.constants: dict[tuple[str, ...], list] = {}  # sheet path -> [(field path, value)]

    def columns(self, node: dict, path: tuple[str, ...], titles: tuple[str, ...], required: bool,
                sheet_path: tuple[str, ...]) -> Iterator[Column]:
        """The columns of an object's fields; arrays of objects are handed to `group` as sheets of their own."""
        node = self.schemas.resolve(node)
        needed = set(node.get("required", [])) | required_by_default(node)  # 统一社会信用代码 unless 境外地区
        for name, child in (node.get("properties") or {}).items():
            child = self.schemas.resolve(child)
            title = str(child.get("title", name))
            child_required = required and name in needed
            child_path, child_titles = path + (name,), titles + (title,)
            kind = child.get("type")
            if "const" in child and not isinstance(child["const"], bool):
                self.constants.setdefault(sheet_path, []).append((child_path, child["const"]))
            elif kind == "object" and "properties" in child:
                yield from self.columns(child, child_path, child_titles, child_required, sheet_path)
            elif kind == "array":
                yield from self.array(child, child_path, child_titles, child_required, sheet_path)
            else:
                yield Column(_header(child_titles), child_path, child, child_required, _kind(name, child),
                             tuple(map(str, child.get("enum", ()))), _vocabulary(child))

    def array(self, node: dict, path: tuple[str, ...], titles: tuple[str, ...], required: bool,
              sheet_path: tuple[str, ...]) -> Iterator[Column]:
        items = self.schemas.resolve(node.get("items") or {})
        required = required and node.get("minItems", 0) > 0
        if items.get("type") == "object":
            if sheet_path:
                raise WorkbookLayoutError(f"{'.'.join(sheet_path + path)}：表格中的列表里不能再有表格")
            self.group(node, items, path, required)
        elif "enum" in items:
            count = min(int(node.get("maxItems", MAX_ENUM_COLUMNS)), MAX_ENUM_COLUMNS)
            for n in range(count):
                yield Column(f"{_header(titles)}{n + 1}" if count > 1 else _header(titles), path, node,
                             required and n == 0, "enum-item", tuple(map(str, items["enum"])), _vocabulary(items), n)
        elif items.get("type") == "string":
            yield Column(_header(titles), path, node, required, "lines")
        else:
            raise WorkbookLayoutError(f"{'.'.join(sheet_path + path)}：不支持的列表类型")

    def group(self, node: dict, items: dict, path: tuple[str, ...], required: bool) -> None:
        title = str(node.get("title", path[-1]))
        columns = tuple(self.columns(items, (), (), True, path))
        self.sheets.append(Sheet(_sheet_name(title, [s.name for s in self.sheets]), path, title,
                                 str(node.get("description", "")), required, columns,
                                 constants=tuple(self.constants.get(path, ()))))


def _header(titles: tuple[str, ...]) -> str:
    """The leaf's title, after its top-level group's when nested: 成果转化·联系电话, 报送主体·所在地."""
    return titles[-1] if len(titles) == 1 else titles[0] + TITLE_JOINER + titles[-1]


def _sheet_name(title: str, taken: list[str]) -> str:
    name = _SHEET_NAME_FORBIDDEN.sub("", title)[:SHEET_NAME_LIMIT] or "列表"
    reserved = {MAIN_SHEET, GUIDE_SHEET, VOCAB_SHEET, *taken}
    base, n = name, 2
    while name in reserved:
        name, n = f"{base[: SHEET_NAME_LIMIT - 3]}{n}", n + 1
    return name


def _check_unique_headers(sheet: Sheet) -> None:
    titles = [c.title for c in sheet.columns] + [KEY_TITLE]
    repeated = {t for t in titles if titles.count(t) > 1}
    if repeated:
        raise WorkbookLayoutError(f"工作表“{sheet.name}”的列名重复：{'、'.join(sorted(repeated))}")


def evidence_fields(schemas: Schemas) -> dict[str, str]:
    """From the schema's if/then blocks: category name -> the field carrying its evidence."""
    found = {}
    for rule in schemas.documents["result"].get("allOf", []):
        category = (((rule.get("if") or {}).get("properties") or {}).get("category") or {}).get("const")
        then = (rule.get("then") or {}).get("required") or []
        if category and then:
            found[str(category)] = str(then[0])
    return found


def build_layout(schemas: Schemas) -> WorkbookLayout:
    walker = _Walker(schemas)
    document = schemas.documents["result"]
    main_columns = tuple(replace(c, required=False) if c.path == ID_PATH else c  # the system assigns new ids
                         for c in walker.columns(document, (), (), True, ()))
    main = Sheet(MAIN_SHEET, (), str(document.get("title", "")), str(document.get("description", "")), True,
                 main_columns, constants=tuple(walker.constants.get((), ())))
    evidence = evidence_fields(schemas)
    by_field = {field: category for category, field in evidence.items()}
    groups = tuple(replace(s, evidence_of=by_field.get(s.path[0], "")) for s in walker.sheets)
    layout = WorkbookLayout((main, *groups), evidence)
    for sheet in layout.sheets:
        _check_unique_headers(sheet)
    return layout
