"""The site's full-text search index: exact substring search, fetched in small pieces by the browser.

A query q finds exactly the public records whose normalised indexed text (`search_text`) contains
normalise(q) (several words separated by spaces: each of them). Chinese has no spaces between words, so the
index is not one of segmented words (jieba misses every query that is not a whole segmenter word) but a
positional index of character bigrams: a word of L ≥ 3 characters is covered by bigrams at offsets 0 … L-2
(steps of 1 or 2); the browser intersects their documents and checks with positions that the bigrams stand
next to each other. Two-character words need only the documents of one bigram, one-character words those of
the character.

Layout (all under `search/`; `search_query.py` is the reference reader, `site/assets/zlhcg/search.js` the
browser one):

- `manifest.json` — format, content version (cache busting), document count, shard counts, metadata chunk
  size, and `big`: keys too large to share a shard, key → [n, bytes of their postings].
- `b/<k>.json` — {bigram: positional postings} for the bigrams with fnv1a(bigram) % bigramShards == k.
- `u/<k>.json` — {character: document list} likewise for characters.
- `d/<n>.json` — {key, docs: document list, pieces: first document of each piece} for big key n.
- `p/<n>-<i>.json` — {key, postings: positional postings} of big key n for the documents of piece i, about
  16 KB each: a long query first narrows its candidates with small lists, then fetches only the pieces of
  common bigrams that hold candidates.
- `m/<k>.json` — result metadata of documents k*chunk … (k+1)*chunk-1: [id, title, category, category slug,
  first unit, entry date, short summary].
- `t/<doc>.json` — a document's searchable fields as [label number, text] (labels in the manifest's
  `fields`), fetched only for the results shown, so a result can say where the query matched (“完成人：…”)
  with a snippet around it.

Documents are numbered in the publication's order (newest entry first), so "newest first" is "lowest number
first". All numbers use `search_codec`'s text code. Positional postings are, per document: the gap from the
previous document (the first document's number + 1 counts from -1), (occurrences-1)*2 + has-title-occurrence,
[title occurrences-1 when there are any], the first position and the gaps-1 between positions. A document list
is, per document, gap*2 + has-title-occurrence. Title occurrences come first (the title is the first field).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from array import array
from bisect import bisect_left
from collections import defaultdict
from typing import Mapping, Sequence

from pipeline.model.records import Achievement
from pipeline.model.publication import Publication
from pipeline.render.pages import shorten
from pipeline.search.codec import decode_numbers, encode_numbers, fnv1a
from pipeline.search.text import FIELD_LABELS, SEPARATOR, indexed_text, labelled_fields, normalise, query_words

__all__ = ["build_search_index", "indexed_text", "normalise", "query_words", "decode_numbers", "encode_numbers",
           "fnv1a", "gzip_size"]

FORMAT = 1
PREFIX = "search/"
SHARD_BYTES = 32 * 1024  # shard files of about this size
BIG_BYTES = 12 * 1024  # postings larger than this get files of their own
PIECE_BYTES = 16 * 1024  # size of the pieces a big key's positions are cut into
META_CHUNK = 10  # documents per metadata file: 20 scattered results fetch at most 20 files of ~3.5 KB
SUMMARY_CHARS = 80


class _Postings:
    """One key's occurrences, document by document: numbers, has-title flags and, for bigrams, each
    document's entry after the gap (see the module docstring), kept as slices of one flat list."""

    __slots__ = ("docs", "flags", "body", "starts")

    def __init__(self):
        # Machine-integer arrays, not lists: millions of postings at 10,000 records (a list would take ~9x the
        # memory, holding a Python object per number).
        self.docs = array("l")
        self.flags = array("b")
        self.body = array("l")
        self.starts = array("l")

    def add(self, doc: int, in_title: int, positions: list[int] | None = None) -> None:
        self.docs.append(doc)
        self.flags.append(1 if in_title else 0)
        if positions is None:
            return
        body = self.body
        self.starts.append(len(body))
        body.append((len(positions) - 1) * 2 + (1 if in_title else 0))
        if in_title:
            body.append(in_title - 1)
        body.append(positions[0])
        body.extend(b - a - 1 for a, b in zip(positions, positions[1:]))

    def document_list(self) -> str:
        numbers, previous = [], -1
        for doc, flag in zip(self.docs, self.flags):
            numbers.append((doc - previous - 1) * 2 + flag)
            previous = doc
        return encode_numbers(numbers)

    def _entry(self, i: int, previous: int) -> str:
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.body)
        return encode_numbers([self.docs[i] - previous - 1, *self.body[self.starts[i]:end]])

    def positional(self) -> str:
        return "".join(self._entry(i, self.docs[i - 1] if i else -1) for i in range(len(self.docs)))

    def pieces(self, piece_bytes: int) -> list[tuple[int, str]]:
        """(first document, positional postings) of runs of documents, each about `piece_bytes` long."""
        pieces, parts, size, previous = [], [], 0, -1
        for i, doc in enumerate(self.docs):
            if not parts:
                first, previous = doc, -1
            parts.append(self._entry(i, previous))
            size += len(parts[-1])
            previous = doc
            if size >= piece_bytes:
                pieces.append((first, "".join(parts)))
                parts, size = [], 0
        if parts:
            pieces.append((first, "".join(parts)))
        return pieces


def _title_length(text: str) -> int:
    return text.index(SEPARATOR) if SEPARATOR in text else len(text)


def _bigrams(texts: Sequence[str]) -> dict[str, _Postings]:
    found: dict[str, _Postings] = defaultdict(_Postings)
    for number, text in enumerate(texts):
        positions: dict[str, list[int]] = defaultdict(list)
        for i, pair in enumerate([text[i:i + 2] for i in range(len(text) - 1)]):
            positions[pair].append(i)
        title_length = _title_length(text)
        for pair, where in positions.items():
            if " " not in pair and SEPARATOR not in pair:  # query words contain neither
                found[pair].add(number, bisect_left(where, title_length), where)
    return found


def _characters(texts: Sequence[str]) -> dict[str, _Postings]:
    found: dict[str, _Postings] = defaultdict(_Postings)
    for number, text in enumerate(texts):
        title = set(text[:_title_length(text)])
        for char in set(text) - {" ", SEPARATOR}:
            found[char].add(number, 1 if char in title else 0)
    return found


def _dump(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _metadata(record: Achievement, category_slugs: dict[str, str]) -> list[str]:
    """What a result shows: [id, title, category, category slug, first unit, entry date, short summary]."""
    short = shorten(record.summary, SUMMARY_CHARS)
    entered = record.entered.date().isoformat() if record.entered else ""
    unit = record.first_unit.name if record.units else ""
    return [record.id, record.title, record.category, category_slugs.get(record.category, ""), unit, entered, short]


class _Layout:
    """Collects the files; big keys are numbered in the order they are placed (sorted keys: deterministic)."""

    def __init__(self, shard_bytes: int, big_bytes: int, piece_bytes: int):
        self.shard_bytes, self.big_bytes, self.piece_bytes = shard_bytes, big_bytes, piece_bytes
        self.files: dict[str, bytes] = {}
        self.big: dict[str, list[int]] = {}

    def place(self, table: dict[str, _Postings], folder: str, positional: bool) -> int:
        """Writes big keys to files of their own and the others to shards; returns the number of shards."""
        small = {}
        for key in sorted(table):
            postings = table[key]
            value = postings.positional() if positional else postings.document_list()
            if len(value) > self.big_bytes:
                self._own_files(key, postings, positional, len(value))
            else:
                small[key] = value
        total = sum(len(key.encode()) + len(value) + 6 for key, value in small.items())
        count = max(1, math.ceil(total / self.shard_bytes))
        shards: list[dict[str, str]] = [{} for _ in range(count)]
        for key, value in small.items():
            shards[fnv1a(key) % count][key] = value
        self.files.update((f"{folder}/{k}.json", _dump(shard)) for k, shard in enumerate(shards))
        return count

    def _own_files(self, key: str, postings: _Postings, positional: bool, size: int) -> None:
        n = len(self.big)
        pieces = postings.pieces(self.piece_bytes) if positional else []
        self.files[f"d/{n}.json"] = _dump({"key": key, "docs": postings.document_list(),
                                           "pieces": [first for first, _ in pieces]})
        for i, (_, code) in enumerate(pieces):
            self.files[f"p/{n}-{i}.json"] = _dump({"key": key, "postings": code})
        self.big[key] = [n, size]


def build_search_index(pub: Publication, **sizes) -> dict[str, bytes]:
    """Site-relative path → file content. Only `pub.records` (public, not withdrawn) are indexed; embargoed
    records are not in the publication at all. The sizes are parameters so tests can force many files."""
    return index_records(pub.records, category_slugs(pub), **sizes)


def category_slugs(pub: Publication) -> dict[str, str]:
    return {t.name: t.slug for t in pub.vocab["categories"].terms}


def index_records(records: Sequence[Achievement], slugs: Mapping[str, str], *, shard_bytes: int = SHARD_BYTES,
                  big_bytes: int = BIG_BYTES, piece_bytes: int = PIECE_BYTES,
                  meta_chunk: int = META_CHUNK) -> dict[str, bytes]:
    """The index of `records` (plain data in, bytes out: it can run in another process)."""
    texts = [indexed_text(r) for r in records]
    layout = _Layout(shard_bytes, big_bytes, piece_bytes)
    bigram_shards = layout.place(_bigrams(texts), "b", positional=True)
    char_shards = layout.place(_characters(texts), "u", positional=False)
    for start in range(0, len(records), meta_chunk):
        chunk = [_metadata(r, slugs) for r in records[start:start + meta_chunk]]
        layout.files[f"m/{start // meta_chunk}.json"] = _dump(chunk)
    for doc, record in enumerate(records):
        layout.files[f"t/{doc}.json"] = _dump([[label, text] for label, text in labelled_fields(record) if text])
    digest = hashlib.sha256()
    for path in sorted(layout.files):
        digest.update(path.encode() + b"\0" + layout.files[path] + b"\0")
    manifest = {
        "format": FORMAT, "version": digest.hexdigest()[:16], "docs": len(records),
        "bigramShards": bigram_shards, "charShards": char_shards, "metaChunk": meta_chunk, "big": layout.big,
        "fields": list(FIELD_LABELS),
    }
    layout.files["manifest.json"] = _dump(manifest)
    return {PREFIX + path: content for path, content in sorted(layout.files.items())}


def gzip_size(content: bytes) -> int:
    """Bytes on the wire with gzip -9, as static hosts serve JSON."""
    return len(gzip.compress(content, compresslevel=9, mtime=0))
