"""Collecting postings, document by document: the hot loop of the index build (10,000 records: ~5 million
(document, bigram) pairs), so it leans on C-level built-ins (map, Counter, dict(zip), str.find) and touches each
(document, key) pair once in Python.

A bigram's entry for one document is encoded as soon as the document is read (see index.py for the code): its
positions are counted within their field, so an edit shifts nothing outside the field it changes. The entry
starts with the gap from the previous document holding the key; `Postings` keeps the entries apart so the
layout can cut a big key's postings into pieces by document range.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from typing import Iterable, Iterator, Sequence

from pipeline.search.codec import CODES, code, encode_numbers
from pipeline.search.text import SEPARATOR

_UNSEARCHABLE = (" ", SEPARATOR)  # a query word contains neither, so no key does
_UNSEARCHABLE_PAIRS = re.compile("(?=(.[ \n]|[ \n].))", re.DOTALL)  # overlapping: every pair holding one


class Postings:
    """One key's documents (doc * 2 + "in the title") and, for bigrams, each document's entry without its gap
    (gaps depend on the neighbouring documents, so they are added when the postings are laid out)."""

    __slots__ = ("docs", "entries")

    def __init__(self):
        self.docs = array("l")  # machine integers: millions of them at 10,000 records
        self.entries: list[str] = []

    def positional(self) -> str:
        return self._join(0, len(self.docs), -1)

    def pieces(self, step: int) -> Iterator[tuple[int, str]]:
        """(i, positional postings of documents i*step … (i+1)*step-1), for each range holding any. A piece's
        first gap counts from i*step - 1, so each piece decodes on its own."""
        docs, start = self.docs, 0
        while start < len(docs):
            piece = (docs[start] >> 1) // step
            end = bisect_left(docs, (piece + 1) * step * 2, start)
            yield piece, self._join(start, end, piece * step - 1)
            start = end

    def _join(self, start: int, end: int, before: int) -> str:
        numbers = [value >> 1 for value in self.docs[start:end]]
        gaps = [doc - previous - 1 for previous, doc in zip([before, *numbers], numbers)]
        return "".join(map(str.__add__, _codes(gaps), self.entries[start:end]))


def _codes(numbers: list[int]) -> Iterable[str]:
    return map(CODES.__getitem__ if not numbers or max(numbers) < len(CODES) else code, numbers)


def document_list(docs: array) -> str:
    """Documents (doc * 2 + in the title) coded as, per document, (gap from the previous one) * 2 + in the title."""
    previous = [-1, *(value >> 1 for value in docs[:-1])]
    return "".join(_codes([((value >> 1) - before - 1) * 2 + (value & 1) for value, before in zip(docs, previous)]))


class Collector:
    """Bigram and character postings of documents added in increasing document number."""

    def __init__(self):
        self.bigrams: dict[str, Postings] = defaultdict(Postings)
        self.characters: dict[str, array] = {}

    def add(self, doc: int, fields: Sequence[str]) -> None:
        text = SEPARATOR.join(fields)
        field_of, offset_of = [], []
        for k, field in enumerate(fields):
            field_of += [k] * (len(field) + 1)
            offset_of += range(len(field) + 1)
        self._add_bigrams(doc, text, len(fields[0]), field_of, offset_of)
        self._add_characters(doc, text, fields[0])

    def _add_bigrams(self, doc: int, text: str, title: int, field_of: list[int], offset_of: list[int]) -> None:
        pairs = list(map(str.__add__, text, text[1:]))
        counts = Counter(pairs)
        for pair in set(_UNSEARCHABLE_PAIRS.findall(text)):
            del counts[pair]
        fast = len(offset_of) < len(CODES)  # every field number and offset is one lookup in CODES
        singles = [pair for pair, count in counts.items() if count == 1] if fast else []
        if singles:  # most pairs: "one occurrence", field, offset
            last = dict(zip(pairs, range(len(pairs))))  # a pair's only position, when it has one
            where = list(map(last.__getitem__, singles))
            fields = map(CODES.__getitem__, map(field_of.__getitem__, where))
            offsets = map(CODES.__getitem__, map(offset_of.__getitem__, where))
            self._extend(singles, map(str.__add__, map("#".__add__, fields), offsets), doc * 2, title, where)
        repeated = [pair for pair, count in counts.items() if count > 1 or not fast]
        where = list(map(text.find, repeated))
        entries = [_occurrences(text, pair, at, counts[pair], field_of, offset_of) for pair, at in zip(repeated, where)]
        self._extend(repeated, entries, doc * 2, title, where)

    def _extend(self, keys: list[str], entries: Iterable[str], doc2: int, title: int, where: list[int]) -> None:
        """The hot loop: one table lookup and two appends per (document, bigram)."""
        table = self.bigrams
        for key, entry, in_title in zip(keys, entries, map(title.__gt__, where)):
            postings = table[key]
            postings.entries.append(entry)
            postings.docs.append(doc2 + in_title)

    def _add_characters(self, doc: int, text: str, title: str) -> None:
        table, in_title = self.characters, set(title)
        for char in set(text).difference(_UNSEARCHABLE):
            docs = table.get(char)
            if docs is None:
                docs = table[char] = array("l")
            docs.append(doc * 2 + (char in in_title))


def _occurrences(text: str, pair: str, at: int, count: int, field_of: list[int], offset_of: list[int]) -> str:
    """count-1, the first occurrence's field and offset, then per further occurrence the field step and either
    the offset (new field) or the gap-1 from the previous offset (same field)."""
    numbers = [count - 1, field_of[at], offset_of[at]]
    for _ in range(count - 1):
        after = text.find(pair, at + 1)
        step = field_of[after] - field_of[at]
        numbers += (step, offset_of[after] if step else offset_of[after] - offset_of[at] - 1)
        at = after
    return encode_numbers(numbers)
