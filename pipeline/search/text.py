"""What a record is found by: its searchable fields, normalised the same way as queries (also in search.js).

Normalisation: NFKC (full-width → half-width, ① → 1, （ → (), lower case, every run of whitespace → one space,
none at either end. Fields are normalised one by one and joined by SEPARATOR, which normalisation turns into a
space inside a field and a query word never contains, so no match can span two fields.
"""

from __future__ import annotations

import re
import unicodedata

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


def indexed_fields(record: Achievement) -> list[str]:
    """Everything a visitor may search a record by, title first (search ranks title matches first). Each list
    item is a field of its own, so two tags never join into one word."""
    fields = [record.title, record.title_en, record.summary, markdown_to_plain(record.description),
              *record.innovations, *(u.name for u in record.units), *(p.name for p in record.people),
              record.platform, record.field, record.highland, record.category, *record.tags, record.submitter.name]
    if record.breakthrough:
        fields += [*record.breakthrough.products, *record.breakthrough.users]
    if record.application:
        fields.append(record.application.project)
    for paper in record.papers:
        fields += [paper.title, paper.journal]
    return fields


def indexed_text(record: Achievement) -> str:
    """The normalised text a record is found by: its non-empty fields, each normalised, joined by SEPARATOR.
    The title is always the first field (possibly empty), so a match before the first SEPARATOR is in it."""
    title, *rest = (normalise(f) for f in indexed_fields(record))
    return SEPARATOR.join([title, *(f for f in rest if f)])
