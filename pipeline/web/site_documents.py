"""Printed documents in the site build: generated (or read from `.cache/documents/`), added to the site's
files, and linked from each edition page. The only place documents meet the disk: images and the cache."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pipeline.documents.cache import DocumentCache
from pipeline.documents.generate import GeneratedDocuments, generate_documents
from pipeline.documents.links import downloads_html
from pipeline.documents.settings import DocumentSettings
from pipeline.model.publication import Publication
from pipeline.model.records import Achievement
from pipeline.web.site_plan import SitePlan

CACHE_FOLDER = ".cache/documents"


def build_documents(root: Path, pub: Publication, settings: DocumentSettings) -> GeneratedDocuments:
    def read_media(record: Achievement, name: str) -> bytes:
        return (root / record.folder / name).read_bytes()

    cache = DocumentCache(root / CACHE_FOLDER)
    generated = generate_documents(pub, settings, read_media, cache)
    cache.prune()  # a full run: what it did not use belongs to older content, templates or engines
    return generated


def with_downloads(plan: SitePlan, generated: GeneratedDocuments, settings: DocumentSettings) -> SitePlan:
    """Each edition page with its download block at the top."""
    pages = tuple(dataclasses.replace(page, content=str(downloads_html(page.url, found, settings)) + page.html)
                  if (found := generated.downloads.get(page.url)) else page for page in plan.pages)
    return dataclasses.replace(plan, pages=pages)
