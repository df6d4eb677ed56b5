"""The reference reader of the search index: the algorithm of search.js, in Python, over the built files.

Tests run it against a plain substring search to prove the index format is exact, and the benchmark uses it to
count the bytes a query fetches: it reads only the files a browser would fetch, and records them (with the
version each URL carries, as `urls`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping

from pipeline.search.codec import VERSION_CHARS, decode_numbers, fnv1a, key_name
from pipeline.search.text import query_words

PREFIX = "search/"
PAGE_SIZE = 20  # results shown before "显示更多"
SHARD_COST = 32 * 1024  # what a key kept in a shard costs when choosing bigrams (search.js: the same)

STRIDE = 1 << 24  # a position is field * STRIDE + offset in the field (search.js: the same)
Positions = dict[int, list[int]]  # document → positions, ascending


@dataclass(frozen=True)
class Result:
    id: str
    title: str
    category: str
    category_slug: str
    unit: str
    entered: str
    summary: str


def cover(length: int, costs: list[int]) -> list[int]:
    """Offsets of bigrams that cover every character of a word of `length` ≥ 2 characters: from 0 to
    length-2 in steps of 1 or 2, cheapest total of `costs` (one per offset); on a tie the fewer bigrams, then
    the step of 1. search.js makes the same choice."""
    best = [(costs[0], 1, [0])]
    for offset in range(1, length - 1):
        options = [best[offset - 1]] + ([best[offset - 2]] if offset >= 2 else [])
        total, count, path = min(options, key=lambda o: (o[0], o[1]))
        best.append((total + costs[offset], count + 1, path + [offset]))
    return best[-1][2]


def _document_list(code: str) -> dict[int, bool]:
    found, doc = {}, -1
    for value in decode_numbers(code):
        doc += value // 2 + 1
        found[doc] = bool(value % 2)
    return found


def _positional(code: str, before: int = -1) -> Positions:
    """Decodes positional postings (see index.py); the first document gap counts from `before`."""
    numbers, found, doc, field, offset, i = decode_numbers(code), {}, before, 0, 0, 0
    while i < len(numbers):
        head = numbers[i]
        if head % 2 == 0:  # the same document and field: an offset gap
            offset += head // 2 + 1
            i += 1
        else:
            gap = head // 2
            doc, field, offset = doc + gap, numbers[i + 1] if gap else field + numbers[i + 1], numbers[i + 2]
            i += 3
        found.setdefault(doc, []).append(field * STRIDE + offset)
    return found


@dataclass
class SearchIndex:
    files: Mapping[str, bytes]  # as built by build_search_index
    fetched: set[str] = field(default_factory=set)  # every path read so far
    urls: set[str] = field(default_factory=set)  # … and the URL it was read from (path?v=version)

    def _json(self, path: str, version: str = ""):
        self.fetched.add(PREFIX + path)
        self.urls.add(PREFIX + path + (f"?v={version}" if version else ""))
        return json.loads(self.files[PREFIX + path])

    @cached_property
    def manifest(self) -> dict:
        return self._json("manifest.json")

    def _versioned(self, folder: str, k: int) -> dict:
        versions = self.manifest["versions"][folder]
        return self._json(f"{folder}/{k}.json", versions[k * VERSION_CHARS:(k + 1) * VERSION_CHARS])

    def _is_big(self, key: str) -> bool:
        return key in self.manifest["big"]

    def _cost(self, key: str) -> int:
        return self.manifest["big"][key][1] if self._is_big(key) else SHARD_COST

    def _shard_value(self, key: str) -> str:
        kind, count = ("u", "charShards") if len(key) == 1 else ("b", "bigramShards")
        return self._versioned(kind, fnv1a(key) % self.manifest[count]).get(key, "")

    def _big_list(self, key: str) -> dict:
        return self._json(f"d/{key_name(key)}.json", self.manifest["big"][key][0])

    def documents(self, key: str) -> dict[int, bool]:
        """Documents containing a character or bigram → does the title contain it."""
        if self._is_big(key):
            return _document_list(self._big_list(key)["docs"])
        if len(key) == 1:
            return _document_list(self._shard_value(key))
        return {doc: where[0] < STRIDE for doc, where in _positional(self._shard_value(key)).items()}

    def positions(self, pair: str, docs: set[int]) -> Positions:
        """Positions of a bigram in (at least) `docs`: for a big key only the pieces holding them."""
        if not self._is_big(pair):
            return _positional(self._shard_value(pair))
        big = self._big_list(pair)
        found: Positions = {}
        for piece in sorted({doc // big["step"] for doc in docs}):
            path = f"p/{key_name(pair)}-{piece}.json"
            found.update(_positional(self._json(path, big["pieces"][str(piece)])["postings"],
                                     piece * big["step"] - 1))
        return found

    def word_hits(self, word: str) -> dict[int, bool]:
        """Documents whose indexed text contains `word` (normalised, no spaces) → is it in the title."""
        chars = list(word)
        if len(chars) <= 2:
            return self.documents(word)
        pairs = [chars[i] + chars[i + 1] for i in range(len(chars) - 1)]
        offsets = cover(len(chars), [self._cost(p) for p in pairs])
        candidates = set.intersection(*(set(self.documents(pairs[o])) for o in offsets))
        # Shard keys first (their positions came with their documents), then big keys, smallest first: each
        # step keeps only the starts where that bigram stands, so later big keys fetch fewer pieces.
        order = sorted(offsets, key=lambda o: (self._is_big(pairs[o]), self._cost(pairs[o]), o))
        starts: dict[int, list[tuple[int, bool]]] = {}
        for step, offset in enumerate(order):
            if not candidates:
                return {}
            table = self.positions(pairs[offset], candidates)
            for doc in candidates:
                where = table[doc]
                if step == 0:  # a word starts at least `offset` into the field of this bigram: none spans fields
                    starts[doc] = [(p - offset, p < STRIDE) for p in where if p % STRIDE >= offset]
                else:
                    present = set(where)
                    starts[doc] = [(s, t) for s, t in starts[doc] if s + offset in present]
            candidates = {doc for doc in candidates if starts[doc]}
        return {doc: any(t for _, t in starts[doc]) for doc in candidates}

    def search_docs(self, query: str) -> list[int]:
        """Document numbers, title matches (every word in the title) first, then newest entry (highest
        number) first."""
        found: dict[int, bool] | None = None
        for word in dict.fromkeys(query_words(query)):
            hits = self.word_hits(word)
            found = hits if found is None else {d: t and hits[d] for d, t in found.items() if d in hits}
        return sorted(found, key=lambda d: (not found[d], -d)) if found else []

    def results(self, docs: list[int]) -> list[Result]:
        """Metadata of the given documents, fetching only the chunks that hold them."""
        return [Result(*self._row(d)[:-1]) for d in docs]

    def _row(self, doc: int) -> list[str]:
        size = self.manifest["metaChunk"]
        return self._versioned("m", doc // size)[doc % size]

    def fields(self, doc: int) -> list[tuple[str, str]]:
        """A document's searchable fields but the title as (label, text), for the “where it matched” line."""
        labels = self.manifest["fields"]
        return [(labels[label], text) for label, text in self._json(f"t/{doc}.json", self._row(doc)[-1])]

    def search(self, query: str) -> list[str]:
        """Every matching record id, in display order (reads the metadata of all of them)."""
        return [r.id for r in self.results(self.search_docs(query))]


def first_page(files: Mapping[str, bytes], query: str) -> SearchIndex:
    """The reader after it has done what a browser with an empty cache does for `query`: found the results and
    fetched the metadata and fields of the first page of them."""
    index = SearchIndex(files)
    shown = index.search_docs(query)[:PAGE_SIZE]
    index.results(shown)
    for doc in shown:
        index.fields(doc)
    return index


def files_for_first_page(files: Mapping[str, bytes], query: str) -> set[str]:
    """The paths a browser fetches for `query` and its first page of results, starting with an empty cache."""
    return first_page(files, query).fetched
