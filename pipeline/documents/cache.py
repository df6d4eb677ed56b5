"""A content-addressed store for generated documents (`.cache/documents/`, gitignored): a document whose
inputs hash to the same key is read back instead of typeset again. Bytes are deterministic, so a cache hit
gives exactly what a fresh run would."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable


def content_key(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class DocumentCache:
    def __init__(self, folder: Path | None):
        self.folder = folder  # None: no cache (every document is made afresh)
        self.hits = self.misses = 0
        self._used: set[Path] = set()

    def get_or_make(self, key: str, suffix: str, make: Callable[[], bytes]) -> bytes:
        path = self.folder / key[:2] / f"{key}.{suffix}" if self.folder else None
        if path is not None:
            self._used.add(path)
        if path is not None and path.is_file():
            self.hits += 1
            return path.read_bytes()
        self.misses += 1
        data = make()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".tmp")
            temporary.write_bytes(data)
            temporary.replace(path)  # atomic: a parallel build never reads half a file
        return data

    def prune(self) -> int:
        """Deletes every cached file this run did not use (after a full run: outdated versions); returns how many."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        stale = [p for p in self.folder.glob("*/*") if p.is_file() and p not in self._used]
        for path in stale:
            path.unlink()
        return len(stale)
