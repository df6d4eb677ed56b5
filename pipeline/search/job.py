"""The search index is the largest single piece of build work; for a large library it is built in a second
process while this one renders the pages, so a two-core machine uses both cores. Small libraries (and tests)
build it inline: starting a process would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

from pipeline.model.publication import Publication
from pipeline.search.index import category_slugs, index_records
from pipeline.search.text import search_source

IN_BACKGROUND_FROM = 2000  # public records


class SearchJob:
    """Either the finished index, or a future for it from a worker process."""

    def __init__(self, files: dict[str, bytes] | None = None, future: Future | None = None,
                 pool: ProcessPoolExecutor | None = None):
        self._files, self._future, self._pool = files, future, pool

    @classmethod
    def start(cls, pub: Publication) -> "SearchJob":
        sources = [search_source(record) for record in pub.records]
        if len(sources) < IN_BACKGROUND_FROM:
            return cls(files=index_records(sources, category_slugs(pub)))
        # "spawn": a fresh interpreter, safe even when the caller runs threads (mkdocs serve).
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        return cls(future=pool.submit(index_records, sources, category_slugs(pub)), pool=pool)

    def result(self) -> dict[str, bytes]:
        if self._files is None:
            try:
                self._files = self._future.result()
            finally:
                self._pool.shutdown()
        return self._files
