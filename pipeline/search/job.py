"""The search index of the site build: written into the site when the pages are (small libraries), or by the
build's worker process while the pages render (see pipeline/worker.py).

The index (46 MB at 10,000 records, 478 MB at 100,000) is never held whole, never pickled, never crosses the
pipe and is never held by the build process: the worker writes it into a folder of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from pipeline.model.publication import Publication
from pipeline.search.index import category_slugs, write_index_records
from pipeline.search.text import SearchSource, search_source
from pipeline.worker import Staged, Worker, file_writer


def write_index(folder: str, records: Sequence[SearchSource], slugs: Mapping[str, str]) -> list[str]:
    """Makes the index, writing each file under `folder` as it is made; returns the files' site-relative paths
    (sorted)."""
    written: list[str] = []
    write_file = file_writer(folder)

    def write(path: str, content: bytes) -> None:
        write_file(path, content)
        written.append(path)

    write_index_records(records, slugs, write)
    return sorted(written)


class SearchJob:
    """Either the records to index when the site is written, or the index being written by the worker."""

    def __init__(self, sources: Sequence[SearchSource] = (), slugs: Mapping[str, str] | None = None,
                 staged: Staged | None = None):
        self._sources, self._slugs, self._staged = sources, slugs or {}, staged

    @classmethod
    def start(cls, pub: Publication, worker: Worker | None = None) -> "SearchJob":
        sources, slugs = [search_source(record) for record in pub.records], category_slugs(pub)
        return cls(sources, slugs) if worker is None else cls(staged=worker.run(write_index, sources, slugs))

    def write_into(self, site: Path) -> list[str]:
        """Puts the index files into `site`; returns their site-relative paths (sorted)."""
        if self._staged is None:
            return write_index(str(site), self._sources, self._slugs)
        return self._staged.move_into(site)

    def discard(self) -> None:
        """Removes the worker's folder (when the build fails before the index is used)."""
        if self._staged is not None:
            self._staged.discard()
