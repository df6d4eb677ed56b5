"""Postings of the whole library at once, with numpy: the hot part of the index build.

The documents' normalised fields are laid end to end, each followed by SEPARATOR, as one array of character
numbers. A bigram occurrence is a position whose character and the next are both searchable (neither a space
nor SEPARATOR), so every occurrence of every bigram is found by one comparison over the array, and a stable sort
by bigram lists each key's occurrences in text order — ascending (document, field, offset), the order of the
file format. The code of every key (the rule in index.py) is then worked out column by column for all keys
together, and each key's code is a slice of one string.

Keys are taken in partitions (first character's number modulo P) of about PARTITION occurrences, so the
temporary arrays stay near 60 MB however large the library: at 100,000 records the text is 72 million
characters, held only as 16-bit character numbers.
Positions count within their field, so an edit shifts nothing outside the field it changes.
"""

from __future__ import annotations

from array import array
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from pipeline.search.codec import ALPHABET, LEADING, TERMINAL, code
from pipeline.search.text import SEPARATOR

_UNSEARCHABLE = (" ", SEPARATOR)  # a query word contains neither, so no key does
BATCH = 1000  # documents turned into character numbers at once
PARTITION = 1 << 19  # occurrences sorted and coded at once (~60 MB of temporary arrays)
Keyed = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # positions → the ones with a key, and their keys
_ALPHABET = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


def encode_all(numbers: np.ndarray) -> tuple[str, np.ndarray]:
    """The code of each number (codec's rule, vectorised), end to end, and where each number's code starts (one
    more entry: the end)."""
    small = not len(numbers) or int(numbers.max()) < 2 ** 31  # 32-bit arithmetic: half the memory
    lead = numbers.astype(np.int32 if small else np.int64) // TERMINAL
    # bijective base LEADING: `lead` has k leading digits from (LEADING**k - 1) / (LEADING - 1) on
    lengths, k = np.ones(len(numbers), np.uint8), 1
    while len(numbers) and (LEADING ** k - 1) // (LEADING - 1) <= lead.max():
        lengths += lead >= (LEADING ** k - 1) // (LEADING - 1)
        k += 1
    ends = np.cumsum(lengths, dtype=np.int64)
    del lengths
    out = np.empty(int(ends[-1]) if len(ends) else 0, np.uint8)
    out[ends - 1] = _ALPHABET[numbers % TERMINAL]
    digit = 1
    while len(active := np.flatnonzero(lead)):  # leading digits, least significant next to the last character
        rest = lead[active] - 1
        out[ends[active] - 1 - digit] = _ALPHABET[TERMINAL + rest % LEADING]
        lead[active] = rest // LEADING
        digit += 1
    return out.tobytes().decode("ascii"), np.concatenate(([0], ends))


def _previous(values: np.ndarray, first: np.ndarray, before: int) -> np.ndarray:
    """Each value's predecessor, `before` at the first of each key."""
    previous = np.empty(len(values), np.int64)
    previous[1:] = values[:-1]
    previous[first] = before
    return previous


def _document_numbers(docs: np.ndarray, first: np.ndarray, in_title: np.ndarray) -> np.ndarray:
    """The numbers of document lists (the rule in index.py), for several keys at once: per document, (gap from the
    previous one - 1) * 2 + in the title; the first document of each key counts from -1."""
    return (docs - _previous(docs, first, -1) - 1) * 2 + in_title


def _starts(keys: np.ndarray) -> np.ndarray:
    first = np.ones(len(keys), bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


class BigramKey:
    """One bigram's positional code; a big key can also be cut into pieces and give its document list."""

    def __init__(self, key: str, code: str, part: "_BigramPart", first: int, end: int):
        self.key, self.code = key, code
        self._part, self._first, self._end = part, first, end

    def pieces(self, step: int) -> Iterator[tuple[int, str]]:
        """(i, positional code of documents i*step … (i+1)*step-1), for each range holding any. A piece's first
        gap counts from i*step - 1, so each piece decodes on its own. Its first occurrence, in a new document, is
        the only one whose numbers differ from the whole key's: the document gap."""
        part, docs = self._part, self._part.docs[self._first:self._end]
        start = 0
        while start < len(docs):
            piece = int(docs[start]) // step
            end = int(np.searchsorted(docs, (piece + 1) * step, "left"))
            first_gap = 1 + 2 * (int(docs[start]) - (piece * step - 1))
            numbers_from = part.first_number[self._first + start] + 1
            numbers_to = part.first_number[self._first + end]
            yield piece, code(first_gap) + part.code[int(part.char_at[numbers_from]):int(part.char_at[numbers_to])]
            start = end

    def documents(self) -> str:
        """The document list of the bigram: per document, (gap from the previous one - 1) * 2 + in the title; a
        document's first occurrence is in the title when its field is 0."""
        new = ~self._part.same_document[self._first:self._end]
        docs = self._part.docs[self._first:self._end][new]
        in_title = self._part.fields[self._first:self._end][new] == 0
        only_key = np.zeros(len(docs), bool)
        only_key[:1] = True
        return encode_all(_document_numbers(docs, only_key, in_title))[0]


class _BigramPart:
    """The occurrences of one partition's bigrams, sorted by key, and their positional code."""

    def __init__(self, keys: np.ndarray, docs: np.ndarray, fields: np.ndarray, offsets: np.ndarray):
        self.docs, self.fields = docs, fields
        first = _starts(keys)
        gaps = docs - _previous(docs, first, -1)
        self.same_document = gaps == 0
        previous_fields = _previous(fields, first, 0)
        same_field = self.same_document & (fields == previous_fields)
        new = np.flatnonzero(~same_field)
        # one number in the same document and field (the offset gap), three in a new one
        self.first_number = np.concatenate(([0], np.cumsum(1 + 2 * ~same_field)))
        wide = len(docs) and int(docs.max()) >= 2 ** 30  # a document gap takes 2 * gap + 1
        numbers = np.empty(int(self.first_number[-1]), np.int64 if wide else np.int32)
        leading = self.first_number[:-1]
        numbers[leading] = np.where(same_field, (offsets - _previous(offsets, first, -1) - 1) * 2, gaps * 2 + 1)
        numbers[leading[new] + 1] = np.where(self.same_document[new], fields[new] - previous_fields[new], fields[new])
        numbers[leading[new] + 2] = offsets[new]
        self.code, self.char_at = encode_all(numbers)
        del numbers
        key_starts = np.append(np.flatnonzero(first), len(keys))
        self.key_starts = key_starts.tolist()
        self.key_chars = self.char_at[self.first_number[key_starts]].tolist()  # where each key's code starts
        self.key_numbers = keys[first].tolist()


class Corpus:
    """Documents 0, 1, 2, … — each its normalised fields, the title first — end to end as arrays."""

    def __init__(self, documents: Iterable[Sequence[str]]):
        self.chars: list[str] = []  # character number → character, numbered in order of first appearance
        self._number = np.full(0x110000, -1, np.int32)  # code point → character number
        pieces, batch, lengths, field_counts = [], [], array("q"), array("q")
        for fields in documents:
            batch.append("".join(field + SEPARATOR for field in fields))
            lengths.extend(map(len, fields))
            field_counts.append(len(fields))
            if len(batch) == BATCH:
                pieces.append(self._numbers("".join(batch)))
                batch.clear()
        pieces.append(self._numbers("".join(batch)))
        # The text is never held whole: at 100,000 records it would be 144 MB as a string, 288 MB as code points.
        wide = len(self.chars) > 1 << 16
        self.ids = np.concatenate(pieces, dtype=np.int32 if wide else np.uint16, casting="unsafe")
        del pieces
        spans = np.frombuffer(lengths, np.int64) + 1  # each field and its SEPARATOR
        self.field_starts = np.cumsum(spans) - spans
        counts = np.frombuffer(field_counts, np.int64)
        self.field_docs = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
        self.field_numbers = (np.arange(len(lengths)) - np.repeat(np.cumsum(counts) - counts, counts)).astype(np.int32)
        # Positions are sorted partition by partition: a character and the bigram it starts go to the partition
        # of the character's number modulo `parts`; space and SEPARATOR to none (number `parts`).
        self.parts = max(1, -(-len(self.ids) // PARTITION))
        self.part_of = (self.ids % self.parts).astype(np.min_scalar_type(self.parts))
        for char in _UNSEARCHABLE:
            if char in self.chars:
                self.part_of[self.ids == self.chars.index(char)] = self.parts

    def _numbers(self, text: str) -> np.ndarray:
        """The character numbers of `text`, numbering the characters not seen before."""
        codepoints = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        unseen = np.unique(codepoints[self._number[codepoints] < 0])
        self._number[unseen] = np.arange(len(self.chars), len(self.chars) + len(unseen), dtype=np.int32)
        self.chars += map(chr, unseen.tolist())
        return self._number[codepoints].astype(np.uint16 if len(self.chars) <= 1 << 16 else np.int32)

    def _where(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(document, field, offset in the field) of text positions."""
        field = np.searchsorted(self.field_starts, positions, "right") - 1
        offsets = (positions - self.field_starts[field]).astype(np.int32)
        return self.field_docs[field], self.field_numbers[field], offsets

    def _sorted(self, keyed: Keyed) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(positions, their keys) partition by partition, sorted by key and, for one key, by position."""
        for part in range(self.parts):
            positions, keys = keyed(np.flatnonzero(self.part_of == part))
            order = np.argsort(keys, kind="stable")
            yield positions[order], keys[order]

    def bigrams(self) -> Iterator[BigramKey]:
        count = len(self.chars)
        key_type = np.int64 if count * count >= 2 ** 31 else np.int32

        def keyed(positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            # the text ends with SEPARATOR, so a searchable character always has a next one
            positions = positions[self.part_of[positions + 1] != self.parts]
            return positions, self.ids[positions].astype(key_type) * count + self.ids[positions + 1]

        for positions, part_keys in self._sorted(keyed):
            part = _BigramPart(part_keys, *self._where(positions))
            starts = part.key_starts
            for j, number in enumerate(part.key_numbers):
                yield BigramKey(self.chars[number // count] + self.chars[number % count],
                                part.code[part.key_chars[j]:part.key_chars[j + 1]], part, starts[j], starts[j + 1])

    def characters(self) -> Iterator[tuple[str, str]]:
        """(character, document list): per document, (gap from the previous one - 1) * 2 + in the title."""
        for positions, keys in self._sorted(lambda positions: (positions, self.ids[positions])):
            docs, fields, _ = self._where(positions)
            first = _starts(keys)
            new = first.copy()
            new[1:] |= docs[1:] != docs[:-1]
            keys, docs, fields = keys[new], docs[new], fields[new]  # a document's first occurrence of each character
            first = _starts(keys)
            # the title comes first in a document, so its first occurrence is in the title if any is
            text, char_at = encode_all(_document_numbers(docs, first, fields == 0))
            bounds = char_at[np.append(np.flatnonzero(first), len(keys))].tolist()  # where each key's code starts
            for j, number in enumerate(keys[first].tolist()):
                yield self.chars[number], text[bounds[j]:bounds[j + 1]]
