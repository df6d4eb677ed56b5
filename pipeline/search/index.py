"""The site's full-text search index: exact substring search, fetched in small pieces by the browser.

A query q finds exactly the public records whose normalised indexed text (`search_text`) contains
normalise(q) (several words separated by spaces: each of them). Chinese has no spaces between words, so the
index is not one of segmented words (jieba misses every query that is not a whole segmenter word) but a
positional index of character bigrams: a word of L ≥ 3 characters is covered by bigrams at offsets 0 … L-2
(steps of 1 or 2); the browser intersects their documents and checks with positions that the bigrams stand
next to each other. Two-character words need only the documents of one bigram, one-character words those of
the character.

Layout (all under `search/`; `query.py` is the reference reader, `site/assets/zlhcg/search.js` the browser one).
Every file but the manifest is fetched as `path?v=<its own content version>` (codec.version), so a deploy
invalidates in browsers and CDNs only the files it changed; the manifest is fetched with no-cache.

- `manifest.json` — format, document count, shard counts, metadata chunk size, `versions` (per folder b, u, m:
  the versions of files 0, 1, 2 … concatenated, VERSION_CHARS each) and `big`: keys too large to share a
  shard, key → [version of its d/ file, bytes of its postings].
- `b/<k>.json` — {bigram: positional postings} for the bigrams with fnv1a(bigram) % bigramShards == k.
- `u/<k>.json` — {character: document list} likewise for characters.
- `d/<hex>.json` — {key, docs: document list, step, pieces: {i: version}} for the big key whose UTF-8 is <hex>.
- `p/<hex>-<i>.json` — {key, postings} of that key for documents i*step … (i+1)*step-1 (about PIECE_BYTES): a
  long query first narrows its candidates with small lists, then fetches only the pieces holding candidates.
- `m/<k>.json` — result metadata of documents k*chunk … (k+1)*chunk-1: [id, title, category, category slug,
  first unit, entry date, short summary, version of its t/ file].
- `t/<doc>.json` — a document's searchable fields but the title as [label number, text] (labels in the
  manifest's `fields`), fetched only for the results shown, so a result can say where the query matched
  (“完成人：…”) with a snippet around it.

Stable bytes: documents are numbered oldest entry first (the publication's order reversed), so a new record
appends and "newest first" is "highest number first"; positions count within a field; shard counts are powers of
two (they change only when the index doubles); a big key's pieces are fixed document ranges and its files are
named by the key. Editing one record's text therefore changes only the files holding what changed.

All numbers use codec's text code. Positional postings list the occurrences in ascending (document, field,
offset) order. An occurrence in the same document and field as the previous one is one number, (gap from the
previous offset - 1) * 2; any other is three: document gap * 2 + 1 (gap 0: the same document; the first gap
counts from -1, or in a piece from i*step - 1), the field number in normalised_fields (0 = title) — or, in the
same document, the field step — and the offset in the field. A document list is, per document,
(gap - 1) * 2 + in-the-title.
"""

from __future__ import annotations

import gzip
import json
import math
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from pipeline.model.publication import Publication
from pipeline.render.pages import shorten
from pipeline.search.codec import decode_numbers, encode_numbers, fnv1a, key_name, version
from pipeline.search.postings import BigramKey, Corpus
from pipeline.search.text import (FIELD_LABELS, SearchSource, indexed_text, labelled_fields, normalise, normalised_fields,
                                  query_words, search_source)

__all__ = ["build_search_index", "indexed_text", "normalise", "query_words", "decode_numbers", "encode_numbers",
           "fnv1a", "gzip_size"]

FORMAT = 2
PREFIX = "search/"
SHARD_BYTES = 32 * 1024  # shard files of about this size (up to twice: their count is a power of two)
BIG_BYTES = 12 * 1024  # postings larger than this get files of their own
PIECE_BYTES = 16 * 1024  # about the size of the pieces a big key's positions are cut into
META_CHUNK = 10  # documents per metadata file: 20 scattered results fetch at most 20 files of ~3.5 KB
SUMMARY_CHARS = 80


def _dump(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _power_of_two_at_least(n: float) -> int:
    return 1 << max(0, math.ceil(math.log2(n))) if n > 1 else 1


def _step(size: int, docs: int, piece_bytes: int) -> int:
    """Documents per piece of a big key: a power of two, so a small edit leaves it (and every boundary) alone."""
    per_document = size / max(docs, 1)
    return 1 << max(0, math.floor(math.log2(max(piece_bytes / per_document, 1))))


Write = Callable[[str, bytes], None]  # site-relative path, content


class _Layout:
    """Lays out the files — big keys to files of their own, the other keys to hashed shards — and hands each to
    `write` as soon as it is made, keeping only its version (at 100,000 records the index is 478 MB)."""

    def __init__(self, docs: int, shard_bytes: int, big_bytes: int, piece_bytes: int, write: Write):
        self.docs, self.shard_bytes, self.big_bytes, self.piece_bytes = docs, shard_bytes, big_bytes, piece_bytes
        self.write = write
        self.file_versions: dict[str, str] = {}
        self.big: dict[str, list] = {}

    def put(self, path: str, content: bytes) -> str:
        """Hands the file over; returns its version."""
        self.write(PREFIX + path, content)
        self.file_versions[path] = version(content)
        return self.file_versions[path]

    def place(self, values: dict[str, str], folder: str) -> int:
        """Writes the shards of `values` (key → code of a small key); returns their number."""
        total = sum(len(key.encode()) + len(value) + 6 for key, value in values.items())
        count = _power_of_two_at_least(total / self.shard_bytes)
        shards: list[dict[str, str]] = [{} for _ in range(count)]
        for key, value in values.items():
            shards[fnv1a(key) % count][key] = value
        for k, shard in enumerate(shards):
            self.put(f"{folder}/{k}.json", _dump(shard))
        return count

    def bigrams(self, keys: Iterable[BigramKey]) -> int:
        small = {}
        for key in keys:
            if len(key.code) > self.big_bytes:
                self._own_files(key)
            else:
                small[key.key] = key.code
        return self.place(small, "b")

    def characters(self, table: Iterable[tuple[str, str]]) -> int:
        small = {}
        for key, docs in table:
            if len(docs) > self.big_bytes:
                self._write_big(key, docs, len(docs), 0, {})
            else:
                small[key] = docs
        return self.place(small, "u")

    def _own_files(self, key: BigramKey) -> None:
        size = len(key.code)
        step, name, versions = _step(size, self.docs, self.piece_bytes), key_name(key.key), {}
        for i, code in key.pieces(step):
            versions[str(i)] = self.put(f"p/{name}-{i}.json", _dump({"key": key.key, "postings": code}))
        self._write_big(key.key, key.documents(), size, step, versions)

    def _write_big(self, key: str, docs: str, size: int, step: int, piece_versions: dict[str, str]) -> None:
        content = _dump({"key": key, "docs": docs, "step": step, "pieces": piece_versions})
        self.big[key] = [self.put(f"d/{key_name(key)}.json", content), size]

    def versions(self, folder: str, count: int) -> str:
        return "".join(self.file_versions[f"{folder}/{k}.json"] for k in range(count))


def _metadata(source: SearchSource, category_slugs: Mapping[str, str]) -> list[str]:
    """What a result shows: [id, title, category, category slug, first unit, entry date, short summary]."""
    return [source.id, source.title, source.category, category_slugs.get(source.category, ""), source.first_unit,
            source.entered, shorten(source.summary, SUMMARY_CHARS)]


def _snippet_fields(labelled: list[tuple[int, str]]) -> bytes:
    """The fields a match line may quote: all but the title, which the result shows anyway."""
    return _dump([[label, text] for label, text in labelled if text and label != 0])


def build_search_index(pub: Publication, **sizes) -> dict[str, bytes]:
    """Site-relative path → file content. Only `pub.records` (public, not withdrawn) are indexed; embargoed
    records are not in the publication at all. The sizes are parameters so tests can force many files."""
    return index_records([search_source(r) for r in pub.records], category_slugs(pub), **sizes)


def category_slugs(pub: Publication) -> dict[str, str]:
    return {t.name: t.slug for t in pub.vocab["categories"].terms}


def index_records(records: Sequence[SearchSource], slugs: Mapping[str, str], **sizes) -> dict[str, bytes]:
    """The index of `records` (newest entry first, as published): site-relative path → content."""
    files: dict[str, bytes] = {}
    write_index_records(records, slugs, files.__setitem__, **sizes)
    return dict(sorted(files.items()))


def write_index_records(records: Sequence[SearchSource], slugs: Mapping[str, str], write: Write, *,
                        shard_bytes: int = SHARD_BYTES, big_bytes: int = BIG_BYTES, piece_bytes: int = PIECE_BYTES,
                        meta_chunk: int = META_CHUNK) -> None:
    """Makes the index of `records` and hands each file to `write` as it is made (plain data in, bytes out: it
    can run in another process, and never holds the whole index)."""
    layout, rows = _Layout(len(records), shard_bytes, big_bytes, piece_bytes, write), []

    def documents() -> Iterator[list[str]]:
        """The normalised fields of documents 0, 1, 2, … (oldest entry first); each one's snippet file and
        result row are made on the way, so its labelled fields are worked out once."""
        for doc, record in enumerate(records[::-1]):
            labelled = labelled_fields(record)
            rows.append([*_metadata(record, slugs), layout.put(f"t/{doc}.json", _snippet_fields(labelled))])
            yield normalised_fields(labelled)

    corpus = Corpus(documents())
    bigram_shards = layout.bigrams(corpus.bigrams())
    char_shards = layout.characters(corpus.characters())
    chunks = math.ceil(len(rows) / meta_chunk)
    for k in range(chunks):
        layout.put(f"m/{k}.json", _dump(rows[k * meta_chunk:(k + 1) * meta_chunk]))
    manifest = {
        "format": FORMAT, "docs": len(records), "bigramShards": bigram_shards, "charShards": char_shards,
        "metaChunk": meta_chunk, "big": layout.big, "fields": list(FIELD_LABELS),
        "versions": {"b": layout.versions("b", bigram_shards), "u": layout.versions("u", char_shards),
                     "m": layout.versions("m", chunks)},
    }
    layout.put("manifest.json", _dump(manifest))


def gzip_size(content: bytes) -> int:
    """Bytes on the wire with gzip -9, as static hosts serve JSON."""
    return len(gzip.compress(content, compresslevel=9, mtime=0))
