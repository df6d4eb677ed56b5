"""The search index keeps its bytes where the library did not change: an edit changes only the files holding
what changed, a new record changes a bounded number of files, and every file's URL carries a version of its own
content — so a deploy uploads, and browsers and CDNs refetch, only what changed."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from pipeline.search.codec import VERSION_CHARS, fnv1a, key_name, version
from pipeline.search.index import build_search_index, indexed_text, normalise
from pipeline.search.query import SearchIndex
from tests.corpus import exemplar, publication_with
from tests.test_search_index import Truth, _bare, corpus_files, corpus_pub  # noqa: F401 (fixtures)

APPENDED = "（基准测试追加的一句。）"  # what tests/bench/deploy_delta.py appends to one summary
EDITED = 500  # the edited record's place in the publication (newest first)


@pytest.fixture(scope="module")
def pub(corpus_pub):
    return corpus_pub


@pytest.fixture(scope="module")
def files(corpus_files):
    return corpus_files


def _with_records(pub, records):
    return dataclasses.replace(pub, records=tuple(records))


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """Files added, changed or gone."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def url_versions(files: dict[str, bytes]) -> dict[str, str]:
    """Every index file → the version its URL carries, read the way search.js finds it (manifest, big-key lists,
    metadata rows)."""
    manifest = json.loads(files["search/manifest.json"])
    chunks = math.ceil(manifest["docs"] / manifest["metaChunk"])
    found = {}
    for folder, count in (("b", manifest["bigramShards"]), ("u", manifest["charShards"]), ("m", chunks)):
        codes = manifest["versions"][folder]
        assert len(codes) == count * VERSION_CHARS
        for k in range(count):
            found[f"search/{folder}/{k}.json"] = codes[k * VERSION_CHARS:(k + 1) * VERSION_CHARS]
    for key, (list_version, _) in manifest["big"].items():
        found[f"search/d/{key_name(key)}.json"] = list_version
        for piece, piece_version in json.loads(files[f"search/d/{key_name(key)}.json"])["pieces"].items():
            found[f"search/p/{key_name(key)}-{piece}.json"] = piece_version
    for k in range(chunks):
        for doc, row in enumerate(json.loads(files[f"search/m/{k}.json"]), start=k * manifest["metaChunk"]):
            found[f"search/t/{doc}.json"] = row[-1]
    return found


def _holders(files: dict[str, bytes], keys: set[str], doc: int) -> set[str]:
    """The files that hold `keys` for document `doc`: a shard, or a big key's list and the piece of `doc`."""
    manifest = json.loads(files["search/manifest.json"])
    held = set()
    for key in keys:
        if key in manifest["big"]:
            name = key_name(key)
            step = json.loads(files[f"search/d/{name}.json"])["step"]
            held |= {f"search/d/{name}.json"} | ({f"search/p/{name}-{doc // step}.json"} if step else set())
        else:
            folder, count = ("u", manifest["charShards"]) if len(key) == 1 else ("b", manifest["bigramShards"])
            held.add(f"search/{folder}/{fnv1a(key) % count}.json")
    return held


def test_every_url_carries_the_version_of_its_own_file(files):
    versions = url_versions(files)
    assert set(versions) == set(files) - {"search/manifest.json"}
    assert all(versions[path] == version(files[path]) for path in versions)


def test_a_url_version_changes_iff_its_file_does(pub, files):
    record = pub.records[EDITED]
    edited = _with_records(pub, [*pub.records[:EDITED], dataclasses.replace(record, summary=record.summary + APPENDED),
                                 *pub.records[EDITED + 1:]])
    again = build_search_index(edited)
    before, after = url_versions(files), url_versions(again)
    common = before.keys() & after.keys()
    assert {p for p in common if before[p] != after[p]} == {p for p in common if files[p] != again[p]} != set()


def test_editing_one_summary_changes_only_the_files_holding_the_change(pub, files):
    record = pub.records[EDITED]
    edited = dataclasses.replace(record, summary=record.summary + APPENDED)
    again = build_search_index(_with_records(pub, [*pub.records[:EDITED], edited, *pub.records[EDITED + 1:]]))
    doc = len(pub.records) - 1 - EDITED  # numbered oldest first
    old, new = normalise(record.summary), normalise(edited.summary)
    assert new.startswith(old)
    tail = new[len(old) - 1:]  # the appended text and the pair that joins it to the old summary
    keys = {tail[i:i + 2] for i in range(len(tail) - 1)} | set(tail[1:])
    manifest = json.loads(again["search/manifest.json"])
    named = {"search/manifest.json", f"search/t/{doc}.json", f"search/m/{doc // manifest['metaChunk']}.json"}
    changed = _changed(files, again)
    assert named <= changed <= named | _holders(files, keys, doc) | _holders(again, keys, doc)
    assert len(changed) <= 30, sorted(changed)


def test_adding_a_record_changes_a_bounded_number_of_files(pub, files):
    """The newest record appends a document: earlier documents keep their numbers, pieces and metadata."""
    before = build_search_index(_with_records(pub, pub.records[1:]))
    changed = _changed(before, files)
    manifest = json.loads(files["search/manifest.json"])
    newest, chunk = len(pub.records) - 1, manifest["metaChunk"]
    assert {p for p in changed if p.startswith(("search/t/", "search/m/"))} == {
        f"search/t/{newest}.json", f"search/m/{newest // chunk}.json"}
    for path in (p for p in changed if p.startswith("search/p/")):  # only the last piece of a big key
        name, piece = path.removeprefix("search/p/").removesuffix(".json").rsplit("-", 1)
        assert int(piece) == newest // json.loads(files[f"search/d/{name}.json"])["step"], path
    assert len(changed) < len(files) / 4, (len(changed), len(files))


def test_shard_counts_are_powers_of_two_and_survive_small_growth(pub, files):
    fewer = json.loads(build_search_index(_with_records(pub, pub.records[5:]))["search/manifest.json"])
    manifest = json.loads(files["search/manifest.json"])
    for count in ("bigramShards", "charShards"):
        assert manifest[count] & (manifest[count] - 1) == 0 and manifest[count] == fewer[count]


def test_a_phrase_never_matches_across_fields_even_at_equal_offsets():
    """Positions count within each field: "智能" at offset 0 of the title and "电网" at offset 2 of the summary
    share offsets, yet "智能电网" is in neither field."""
    records = (_bare(exemplar(), 1, "智能", "甲乙电网", ""), _bare(exemplar(), 2, "智能x", "", "电网"),
               _bare(exemplar(), 3, "", "智能电网", ""), _bare(exemplar(), 4, "甲智能", "乙丙电网", "甲乙智能电网"))
    pub = publication_with(records)
    for sizes in ({}, dict(shard_bytes=64, big_bytes=4, piece_bytes=4, meta_chunk=2)):
        index = SearchIndex(build_search_index(pub, **sizes))
        for query in ("智能电网", "能电", "智能 电网", "乙电网", "甲乙"):
            assert index.search(query) == Truth(pub)(query), (query, sizes)
        assert set(index.search("智能电网")) == {records[2].id, records[3].id}
    assert "智能\n" in indexed_text(records[0])
