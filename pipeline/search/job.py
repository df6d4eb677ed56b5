"""The search index is the largest single piece of build work; for a large library it is built in a second
process while this one renders the pages, so a two-core machine uses both cores. Small libraries (and tests)
build it in this process when the site is written: starting a process would cost more than it saves.

The worker writes the index files into a folder of its own and exits as soon as it is done; the build process
moves them into the site at the end. The index (46 MB at 10,000 records, 478 MB at 100,000) is never held whole,
never pickled, never crosses the pipe and is never held by the build process.
"""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Mapping, Sequence

from pipeline.model.publication import Publication
from pipeline.search.index import category_slugs, write_index_records
from pipeline.search.text import SearchSource, search_source

IN_BACKGROUND_FROM = 2000  # public records


def write_index(records: Sequence[SearchSource], slugs: Mapping[str, str], folder: str) -> list[str]:
    """Makes the index, writing each file under `folder` as it is made; returns the files' site-relative paths
    (sorted)."""
    written: list[str] = []

    def write(path: str, content: bytes) -> None:
        target = Path(folder, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(path)

    write_index_records(records, slugs, write)
    return sorted(written)


class SearchJob:
    """Either the records to index when the site is written, or a worker process writing the index into a
    folder of its own."""

    def __init__(self, sources: Sequence[SearchSource] = (), slugs: Mapping[str, str] | None = None,
                 future: Future | None = None, pool: ProcessPoolExecutor | None = None, folder: Path | None = None):
        self._sources, self._slugs = sources, slugs or {}
        self._future, self._pool, self._folder = future, pool, folder

    @classmethod
    def start(cls, pub: Publication) -> "SearchJob":
        sources, slugs = [search_source(record) for record in pub.records], category_slugs(pub)
        if len(sources) < IN_BACKGROUND_FROM:
            return cls(sources, slugs)
        folder = Path(tempfile.mkdtemp(prefix="zlhcg-search-"))
        # "spawn": a fresh interpreter, safe even when the caller runs threads (mkdocs serve). One task per
        # worker: the process exits, and gives its memory back, the moment the index is written.
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), max_tasks_per_child=1)
        return cls(future=pool.submit(write_index, sources, slugs, str(folder)), pool=pool, folder=folder)

    def write_into(self, site: Path) -> list[str]:
        """Puts the index files into `site`; returns their site-relative paths (sorted)."""
        if self._future is None:
            return write_index(self._sources, self._slugs, str(site))
        try:
            paths = self._future.result()
            _move_into(self._folder, site)
            return paths
        finally:
            self.discard()

    def discard(self) -> None:
        """Stops the worker and removes its folder (also when the build fails before the index is used)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            shutil.rmtree(self._folder, ignore_errors=True)


def _move_into(source: Path, target: Path) -> None:
    """Moves everything under `source` into `target`: a folder `target` does not have yet in one move (the index's
    13,000 files at 10,000 records in six), one it has already entry by entry."""
    for entry in sorted(source.iterdir()):
        destination = target / entry.name
        if entry.is_dir() and destination.is_dir():
            _move_into(entry, destination)
        else:
            shutil.move(entry, destination)
