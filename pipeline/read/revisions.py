"""What a revision changed in a record, field by field, for the public revision log.

The history pass (`history.py`) knows each revision's blob before and after; this module reads all of them
through one `git cat-file --batch` process and compares the *parsed* records, so a reformat (comments, key
order, quoting, line wrapping) is not a content change. A schema migration — the record's `$schema` line
changes version — is not one either, whatever keys it renames: the submitter did not change the achievement.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from pipeline.read import history_cache
from pipeline.read.strictyaml import YamlRejected, load_bytes

_SCHEMA_LINE = re.compile(rb"^#\s*yaml-language-server:\s*\$schema=(\S+)", re.MULTILINE)
_NO_BLOB = "0" * 40


@dataclass(frozen=True)
class FieldChange:
    """One top-level field of a record that a revision changed; counts are list items added, removed or
    changed in place (all 0 for a field that is not a list)."""

    key: str
    added: int = 0
    removed: int = 0
    changed: int = 0


class ContentDiff:
    """Whether a revision changed the record's content, and which fields. `fields` is empty for a content
    change that cannot be told field by field (a file that is not a mapping)."""

    __slots__ = ("content", "fields")

    def __init__(self, content: bool, fields: tuple[FieldChange, ...] = ()):
        self.content, self.fields = content, fields


UNCHANGED = ContentDiff(False)
WHOLE = ContentDiff(True)


DIFFS_NAME = "version-diffs.json.gz"
DIFFS_FORMAT = 1  # raise when `compare` changes what it finds: cached comparisons are then made again


def version_diffs(root: Path, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], ContentDiff]:
    """The comparison of each (old blob, new blob) pair, from the cache or by reading both versions (all
    missing ones through one `git cat-file --batch`). A pair whose blobs cannot be read is left out."""
    with VersionComparisons(root) as comparisons:
        return comparisons.result(pairs)


class VersionComparisons:
    """Version comparisons made on a background thread while the caller is busy with something else (waiting
    for `git log`): `start` hands over pairs that will probably be wanted, `result` waits for them and makes
    any still missing. The thread takes all pairs handed over since it last looked, so it compares in large
    batches when it falls behind. The cache is read on that thread too, and written once, by `result`, when a
    comparison was made (a pair whose blobs are gone stays missing: no rewrite of the cache for it on every
    build)."""

    def __init__(self, root: Path):
        self.root = root
        self.worker = ThreadPoolExecutor(1)  # one thread: its tasks share `known` and `made`
        self.lock = threading.Lock()  # guards `waiting`, shared by the caller and the thread
        self.known: dict[tuple[str, str], ContentDiff] = {}
        self.made = False
        self.asked: set[tuple[str, str]] = set()
        self.waiting: set[tuple[str, str]] = set()
        self.tasks = [self.worker.submit(self._load_cache)]

    def __enter__(self) -> "VersionComparisons":
        return self

    def __exit__(self, *exc_info) -> None:
        self.worker.shutdown(wait=True, cancel_futures=True)

    def start(self, pairs: Iterable[tuple[str, str]]) -> None:
        new = set(pairs) - self.asked
        if new:
            self.asked |= new
            with self.lock:
                self.waiting |= new
            self.tasks.append(self.worker.submit(self._compare_waiting))

    def result(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], ContentDiff]:
        wanted = set(pairs)
        self.start(wanted)
        for task in self.tasks:
            task.result()  # raises what the thread raised (git failing)
        if self.made:
            _write_diffs(self.root, self.known)
            self.made = False
        return {pair: self.known[pair] for pair in wanted if pair in self.known}

    def _load_cache(self) -> None:
        self.known.update(_cached_diffs(self.root))

    def _compare_waiting(self) -> None:
        with self.lock:
            pairs, self.waiting = self.waiting, set()
        missing = [pair for pair in pairs if pair not in self.known]
        if not missing:
            return
        contents = read_blobs(self.root, (sha for pair in missing for sha in pair))
        made = {(old, new): compare(contents[old], contents[new]) for old, new in missing
                if old in contents and new in contents}
        self.known.update(made)
        self.made = self.made or bool(made)


def _cached_diffs(root: Path) -> dict[tuple[str, str], ContentDiff]:
    try:
        found = json.loads(history_cache.read_text(root, DIFFS_NAME) or "{}")
        if found.get("format") != DIFFS_FORMAT:
            return {}
        return {tuple(key.split(" ")): ContentDiff(content, tuple(FieldChange(*f) for f in fields))
                for key, (content, fields) in found["diffs"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write_diffs(root: Path, diffs: dict[tuple[str, str], ContentDiff]) -> None:
    entries = {f"{old} {new}": [diff.content, [[f.key, f.added, f.removed, f.changed] for f in diff.fields]]
               for (old, new), diff in sorted(diffs.items())}
    history_cache.write_text(root, DIFFS_NAME, json.dumps({"format": DIFFS_FORMAT, "diffs": entries},
                                                          ensure_ascii=False, separators=(",", ":")))


def read_blobs(root: Path, shas: Iterable[str]) -> dict[str, bytes]:
    """Every requested blob's bytes, from one `git cat-file --batch` process."""
    wanted = sorted({sha for sha in shas if sha and sha != _NO_BLOB})
    if not wanted:
        return {}
    output = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=("\n".join(wanted) + "\n").encode(),
                            capture_output=True, check=True).stdout
    blobs, offset = {}, 0
    for sha in wanted:
        end = output.index(b"\n", offset)
        header = output[offset:end].split(b" ")
        offset = end + 1
        if header[-1] == b"missing":
            continue
        size = int(header[2])
        blobs[sha] = output[offset:offset + size]
        offset += size + 1
    return blobs


def _parse(raw: bytes) -> Any:
    """The data of a record version, read by the strict loader (several times faster than PyYAML's constructor,
    which dominated the history pass); any version it refuses is compared as bytes."""
    try:
        return load_bytes(raw, "").data
    except YamlRejected:
        return raw


def _schema_of(raw: bytes) -> bytes | None:
    match = _SCHEMA_LINE.search(raw)
    return match.group(1) if match else None


def _list_change(key: str, old: list, new: list) -> FieldChange:
    def frozen(item):
        return json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)  # hashable, key-order-free

    old_count, new_count = Counter(map(frozen, old)), Counter(map(frozen, new))
    added = sum((new_count - old_count).values())
    removed = sum((old_count - new_count).values())
    changed = min(added, removed)  # an item edited in place shows as one removed and one added
    return FieldChange(key, added - changed, removed - changed, changed)


def _field_change(key: str, old: Any, new: Any) -> FieldChange:
    if isinstance(old, list) and isinstance(new, list):
        return _list_change(key, old, new)
    if old is None and isinstance(new, list):
        return FieldChange(key, added=len(new))
    if new is None and isinstance(old, list):
        return FieldChange(key, removed=len(old))
    return FieldChange(key)


def compare(old_raw: bytes, new_raw: bytes) -> ContentDiff:
    """The content difference between two versions of a record file."""
    if old_raw == new_raw:
        return UNCHANGED
    old_schema, new_schema = _schema_of(old_raw), _schema_of(new_raw)
    if old_schema and new_schema and old_schema != new_schema:
        return UNCHANGED  # a schema migration
    old, new = _parse(old_raw), _parse(new_raw)
    if old == new:
        return UNCHANGED
    if not (isinstance(old, Mapping) and isinstance(new, Mapping)):
        return WHOLE
    keys = list(new) + [key for key in old if key not in new]
    return ContentDiff(True, tuple(_field_change(key, old.get(key), new.get(key))
                                   for key in keys if old.get(key) != new.get(key)))
