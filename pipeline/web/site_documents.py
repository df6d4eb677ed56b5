"""Printed documents in the site build: made (or read from `.cache/documents/`) here for a small library, in the
build's worker process for a large one (pipeline/worker.py), and linked from the top of each edition page. The
only place documents meet the disk: images and the cache.

What they are made from is read from the library here, before the pages (`plan_documents`); only that plain
data crosses to the worker. An edition page's links carry the files' sizes, so the pages that have documents
wait for them: the plugin writes those pages last.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.documents.cache import DocumentCache
from pipeline.documents.generate import EditionDownloads, EditionPlan, Put, make_documents, plan_documents
from pipeline.documents.links import downloads_html
from pipeline.documents.settings import DocumentSettings
from pipeline.model.publication import Publication
from pipeline.model.records import Achievement
from pipeline.worker import Staged, Worker, file_writer

CACHE_FOLDER = ".cache/documents"


def _made(plans: list[EditionPlan], cache_folder: str, put: Put) -> dict[str, EditionDownloads]:
    cache = DocumentCache(Path(cache_folder))
    downloads = make_documents(plans, cache, put)
    cache.prune()  # a full run: what it did not use belongs to older content, templates or engines
    return downloads


def write_documents(folder: str, plans: list[EditionPlan], cache_folder: str) -> dict[str, EditionDownloads]:
    """In the worker: every file written under `folder` as it is made."""
    return _made(plans, cache_folder, file_writer(folder))


class SiteDocuments:
    """The documents of one build: their files (made here) or the worker making them, and the links."""

    def __init__(self, settings: DocumentSettings, urls: frozenset[str], files: dict[str, bytes],
                 downloads: dict[str, EditionDownloads] | None = None, staged: Staged | None = None):
        self.settings, self.urls, self.files = settings, urls, files
        self._downloads, self._staged = downloads, staged

    @classmethod
    def start(cls, root: Path, pub: Publication, settings: DocumentSettings, worker: Worker | None) -> "SiteDocuments":
        def read_media(record: Achievement, name: str) -> bytes:
            return (root / record.folder / name).read_bytes()

        plans = plan_documents(pub, settings, read_media)
        urls, cache_folder = frozenset(plan.url for plan in plans), str(root / CACHE_FOLDER)
        if worker is not None:
            return cls(settings, urls, {}, staged=worker.run(write_documents, plans, cache_folder))
        files: dict[str, bytes] = {}
        return cls(settings, urls, files, _made(plans, cache_folder, files.__setitem__))

    def download_block(self, page_url: str) -> str:
        """The download links at the top of an edition page ("" for other pages); waits for the worker."""
        if page_url not in self.urls:
            return ""
        if self._downloads is None:
            self._downloads = self._staged.result()
        return str(downloads_html(page_url, self._downloads[page_url], self.settings))

    def write_into(self, site: Path) -> None:
        """Puts the files the worker made into `site` (the ones made here are among the site's files already)."""
        if self._staged is not None:
            self._staged.move_into(site)

    def discard(self) -> None:
        if self._staged is not None:
            self._staged.discard()
