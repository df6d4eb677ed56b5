"""What a record is found by: its searchable fields, normalised the same way as queries (also in search.js).

Normalisation: NFKC (full-width → half-width, ① → 1, （ → (), lower case, every run of whitespace → one space,
none at either end. Fields are normalised one by one and joined by SEPARATOR, which normalisation turns into a
space inside a field and a query word never contains, so no match can span two fields.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from pipeline.check.names import fold_middle_dots

from pipeline.render.markdown import markdown_to_plain
from pipeline.model.records import Achievement

SEPARATOR = "\n"

# The same set in search.js: Python's str.isspace() and JavaScript's \s together.
_WHITESPACE = re.compile(
    "[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


def normalise(text: str) -> str:
    """NFKC, lower case, look-alike middle dots → U+00B7 (阿不都•热合曼 finds 阿不都·热合曼), whitespace runs →
    one space, no space at either end."""
    return _WHITESPACE.sub(" ", fold_middle_dots(unicodedata.normalize("NFKC", text).lower())).strip(" ")


def query_words(query: str) -> list[str]:
    """The words a query must all contain (none for an empty query)."""
    normal = normalise(query)
    return normal.split(" ") if normal else []


# Labels of the fields a record is found by, as a search result names them (“完成人：…”).
FIELD_LABELS = ("成果名称", "英文名称", "成果简介", "详细介绍", "创新点", "完成单位", "完成人", "依托平台", "战略领域",
                "科创高地", "成果类别", "关键词", "报送主体", "产品", "主要用户", "应用工程", "论文", "期刊")


DESCRIPTION = FIELD_LABELS.index("详细介绍")


class SearchSource(NamedTuple):
    """What the index needs of a record, as plain strings: a large library's records cross to the index's
    worker process as these, not as whole records (a tenth of the memory there, and quicker to send)."""

    id: str
    title: str
    category: str
    first_unit: str
    entered: str  # ISO date, "" when unknown
    summary: str
    fields: tuple[tuple[int, str], ...]  # (index into FIELD_LABELS, text); the description still in Markdown


def search_source(record: Achievement) -> SearchSource:
    fields = [(0, record.title), (1, record.title_en), (2, record.summary), (DESCRIPTION, record.description),
              *((4, i) for i in record.innovations), *((5, u.name) for u in record.units),
              *((6, p.name) for p in record.people), (7, record.platform), (8, record.field), (9, record.highland),
              (10, record.category), *((11, t) for t in record.tags), (12, record.submitter.name)]
    if record.breakthrough:
        fields += [*((13, p) for p in record.breakthrough.products), *((14, u) for u in record.breakthrough.users)]
    if record.application:
        fields.append((15, record.application.project))
    for paper in record.papers:
        fields += [(16, paper.title), (17, paper.journal)]
    return SearchSource(record.id, record.title, record.category, record.first_unit.name if record.units else "",
                        record.entered.date().isoformat() if record.entered else "", record.summary, tuple(fields))


def labelled_fields(source: SearchSource) -> list[tuple[int, str]]:
    """(index into FIELD_LABELS, text) for everything a visitor may search a record by, title first."""
    return [(label, markdown_to_plain(text) if label == DESCRIPTION else text) for label, text in source.fields]


def normalised_fields(labelled: list[tuple[int, str]]) -> list[str]:
    """The non-empty fields of `labelled_fields(record)`, each normalised; the title is always the first (possibly
    empty). The index numbers a position by its field in this list and its offset in that field."""
    title, *rest = (normalise(text) for _, text in labelled)
    return [title, *(f for f in rest if f)]


def indexed_text(record: Achievement) -> str:
    """The normalised text a record is found by: its normalised fields joined by SEPARATOR, so a match before
    the first SEPARATOR is in the title."""
    return SEPARATOR.join(normalised_fields(labelled_fields(search_source(record))))
