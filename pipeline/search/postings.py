"""Collecting postings, document by document: the hot part of the index build (10,000 records: ~5 million
(document, bigram) pairs). Each pair costs one table lookup and one array extend in Python; everything else —
finding the pairs, counting them, and encoding a key's numbers when it is laid out — is done by C-level
built-ins (map, Counter, dict(zip), str.find, array slices).

A bigram's postings are kept as one flat array of (document, field, offset) per occurrence, ascending, which is
also the file format once documents become gaps (see index.py). Positions count within their field, so an edit
shifts nothing outside the field it changes.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from functools import partial
from itertools import accumulate, chain, compress
from operator import add, mul, not_, sub
from typing import Iterable, Iterator, Sequence

from pipeline.search.codec import CODES, code
from pipeline.search.text import SEPARATOR

_UNSEARCHABLE = (" ", SEPARATOR)  # a query word contains neither, so no key does
_UNSEARCHABLE_PAIRS = re.compile("(?=(.[ \n]|[ \n].))", re.DOTALL)  # overlapping: every pair holding one
# 32-bit integers (every number here — document, field, offset — is far below 2**31), half the size of "l":
# tens of millions of them at 100,000 records, held until the index is laid out.
_numbers = partial(array, "i")


def _encode(numbers: Iterable[int]) -> str:
    numbers = numbers if isinstance(numbers, (list, array)) else list(numbers)
    small = not numbers or max(numbers) < len(CODES)
    return "".join(map(CODES.__getitem__ if small else code, numbers))


def _gaps(docs: Sequence[int], before: int) -> Iterator[int]:
    """doc - previous doc, the first counting from `before`."""
    return map(sub, docs, chain((before,), docs))


def _positional_numbers(occurrences: array) -> tuple[array, array]:
    """The numbers of the positional code of (document, field, offset) triples (the rule in index.py), column by
    column with C-level maps and itertools.compress: no Python step per occurrence. Also, per occurrence, 1 when
    it is written as three numbers (a new document or field), 0 when as one."""
    fields, offsets = occurrences[1::3], occurrences[2::3]
    gaps = array("l", _gaps(occurrences[0::3], -1))
    same_document = array("l", map(not_, gaps))
    same_field = array("l", map(mul, same_document, map(not_, map(sub, fields, chain((0,), fields)))))
    new_field = array("l", map(not_, same_field))
    offset_gaps = map(sub, offsets, map((1).__add__, chain((-1,), offsets)))
    numbers = array("l", occurrences)
    numbers[0::3] = array("l", map(add, map(mul, same_field, map((2).__mul__, offset_gaps)),
                                   map(mul, new_field, map((1).__add__, map((2).__mul__, gaps)))))
    numbers[1::3] = array("l", map(sub, fields, map(mul, same_document, chain((0,), fields))))
    keep = array("b", [1]) * len(occurrences)  # which numbers are written: the second and third only in a new field
    keep[1::3] = keep[2::3] = array("b", new_field)
    return array("l", compress(numbers, keep)), new_field


class Positional:
    """A key's positional code, with its pieces cut from the same numbers: a big key (most of the index's
    occurrences) is worked out once, not once whole and once more piece by piece."""

    def __init__(self, occurrences: array):
        self.occurrences = occurrences
        self.numbers, self.new_field = _positional_numbers(occurrences)
        self.code = _encode(self.numbers)

    def pieces(self, step: int) -> Iterator[tuple[int, str]]:
        """(i, positional code of documents i*step … (i+1)*step-1), for each range holding any. A piece's first
        gap counts from i*step - 1, so each piece decodes on its own. Its first occurrence, in a new document, is
        the only one whose numbers differ from the whole key's: the document gap."""
        docs, start = self.occurrences[0::3], 0
        # where each occurrence's numbers start: one number each, three for a new document or field
        starts = array("l", accumulate(map((1).__add__, map((2).__mul__, self.new_field)), initial=0))
        while start < len(docs):
            piece = docs[start] // step
            end = bisect_left(docs, (piece + 1) * step, start)
            first_gap = 1 + 2 * (docs[start] - (piece * step - 1))
            yield piece, _encode(array("l", [first_gap]) + self.numbers[starts[start] + 1:starts[end]])
            start = end


def document_list(docs: Sequence[int], in_title: Iterable[int]) -> str:
    """Per document: (gap from the previous one - 1) * 2 + in the title; the first counts from -1."""
    return _encode(map(add, map((2).__mul__, map((-1).__add__, _gaps(docs, -1))), in_title))


def bigram_documents(occurrences: array) -> str:
    """The document list of a bigram: a document's first occurrence is in the title when its field is 0."""
    first_field = dict(zip(occurrences[-3::-3], occurrences[-2::-3]))  # backwards: the first occurrence wins
    docs = list(first_field)[::-1]
    return document_list(docs, map(not_, map(first_field.__getitem__, docs)))


def character_documents(values: array) -> str:
    """The document list of a character, from doc * 2 + in the title."""
    return document_list([value >> 1 for value in values], [value & 1 for value in values])


class Collector:
    """Bigram occurrences and character documents of documents added in increasing document number."""

    def __init__(self):
        self.bigrams: dict[str, array] = defaultdict(_numbers)  # key → (doc, field, offset) per occurrence
        self.characters: dict[str, array] = defaultdict(_numbers)  # key → doc * 2 + in the title

    def add(self, doc: int, fields: Sequence[str]) -> None:
        text = SEPARATOR.join(fields)
        field_of, offset_of = [], []
        for k, field in enumerate(fields):
            field_of += [k] * (len(field) + 1)
            offset_of += range(len(field) + 1)
        self._add_bigrams(doc, text, field_of, offset_of)
        self._add_characters(doc, text, fields[0])

    def _add_bigrams(self, doc: int, text: str, field_of: list[int], offset_of: list[int]) -> None:
        pairs = list(map(str.__add__, text, text[1:]))
        counts = Counter(pairs)
        for pair in set(_UNSEARCHABLE_PAIRS.findall(text)):
            del counts[pair]
        last = dict(zip(pairs, range(len(pairs))))  # a pair's only position, when it has one
        singles = [pair for pair, count in counts.items() if count == 1]
        where = list(map(last.__getitem__, singles))
        table = self.bigrams
        for key, occurrence in zip(singles, zip([doc] * len(where), map(field_of.__getitem__, where),
                                                 map(offset_of.__getitem__, where))):
            table[key].extend(occurrence)
        for key in (pair for pair, count in counts.items() if count > 1):
            at, numbers = text.find(key), []
            while at >= 0:
                numbers += (doc, field_of[at], offset_of[at])
                at = text.find(key, at + 1)
            table[key].extend(numbers)

    def _add_characters(self, doc: int, text: str, title: str) -> None:
        table, in_title = self.characters, set(title)
        for char in set(text).difference(_UNSEARCHABLE):
            table[char].append(doc * 2 + (char in in_title))
