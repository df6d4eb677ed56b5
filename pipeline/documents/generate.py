"""Every document file of a publication, and what each edition page links to.

Files sit beside the edition page (`monthly/2025-03/zlhcg-monthly-2025-03.pdf`); the Chinese name is offered
through the link's `download` attribute. Each file is cached by a key over everything it is made from:
the document's content (JSON), the engine versions and the templates; for a press kit, also its images.
"""

from __future__ import annotations

import gc
import importlib.metadata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable

from pipeline.documents.cache import DocumentCache, content_key
from pipeline.documents.content import Document
from pipeline.documents.kinds import document_kind
from pipeline.documents.pdf import PdfEngine, document_json
from pipeline.documents.presskit import ReadMedia, press_kit
from pipeline.documents.settings import DocumentSettings
from pipeline.documents.word import render_docx
from pipeline.model.editions import Edition
from pipeline.model.publication import Publication

FORMATS = (("pdf", "PDF"), ("docx", "Word"))


@dataclass(frozen=True)
class Download:
    label: str  # PDF, Word, 媒体资料包
    path: str  # site-relative
    filename: str  # offered to the browser
    size: int  # bytes


@dataclass(frozen=True)
class EditionDownloads:
    documents: tuple[Download, ...]
    press_kit: Download | None


@dataclass(frozen=True)
class GeneratedDocuments:
    files: dict[str, bytes]  # site-relative path → bytes
    downloads: dict[str, EditionDownloads]  # edition page URL → its links


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """Changes whenever a template or an engine changes, so that the cache never serves stale layout."""
    templates = resources.files("pipeline.documents").joinpath("templates")
    sources = [(t.name, t.read_bytes()) for t in sorted(templates.iterdir(), key=lambda t: t.name) if t.is_file()]
    modules = [resources.files("pipeline.documents").joinpath(f"{m}.py").read_bytes()
               for m in ("word", "presskit", "stable_zip", "pdf")]
    versions = [importlib.metadata.version(p) for p in ("typst", "python-docx", "openpyxl")]
    return content_key(*versions, *(name for name, _ in sources), *(data for _, data in sources), *modules)


def _collecting(make: Callable[[], bytes]) -> Callable[[], bytes]:
    """`make`, then a collection of the youngest generation. python-docx's objects refer to each other in cycles
    that only the cyclic collector frees, and the site build runs with it switched off (mkdocs_plugin.py): without
    this each Word file would hold about 5 MB to the end of the build (1 GB more at 10,000 records)."""
    def made() -> bytes:
        data = make()
        gc.collect(0)
        return data
    return made


class DocumentMaker:
    """Makes (or reads from the cache) the files of one run; collects them with the links they get."""

    def __init__(self, cache: DocumentCache, engine: PdfEngine, pub: Publication, read_media: ReadMedia):
        self.cache, self.engine, self.pub, self.read_media = cache, engine, pub, read_media
        self.files: dict[str, bytes] = {}

    def file(self, doc: Document, suffix: str) -> bytes:
        key = content_key(engine_fingerprint(), suffix, document_json(doc))
        make = (lambda: self.engine.render(doc)) if suffix == "pdf" else (lambda: render_docx(doc))
        return self.cache.get_or_make(key, suffix, _collecting(make))

    def place(self, path: str, data: bytes, label: str, filename: str) -> Download:
        self.files[path] = data
        return Download(label, path, filename, len(data))

    def documents(self, edition: Edition, main: Document, release: Document | None) -> list[Download]:
        """The main document as PDF and Word; a separate press release also as PDF."""
        links = [self.place(f"{edition.url}{main.stem}.{suffix}", self.file(main, suffix), label,
                            f"{main.download_name}.{suffix}") for suffix, label in FORMATS]
        if release is not None and release.stem != main.stem:
            links.append(self.place(f"{edition.url}{release.stem}.pdf", self.file(release, "pdf"), "新闻通稿 PDF",
                                    f"{release.download_name}.pdf"))
        return links

    def press_kit(self, edition: Edition, main: Document, release: Document) -> Download:
        release_docx = self.file(release, "docx")
        records = [self.pub.record(item.record_id) for item in main.items]
        images = [self.read_media(record, media.file) for record in records for media in record.media]
        key = content_key(engine_fingerprint(), "kit", document_json(main), release_docx, self.pub.site_url, *images)
        data = self.cache.get_or_make(key, "zip", _collecting(
            lambda: press_kit(main, release, release_docx, self.pub, self.read_media)))
        return self.place(f"{edition.url}zlhcg-{edition.kind}-{edition.key}-press-kit.zip", data, "媒体资料包",
                          f"{main.download_name}-媒体资料包.zip")


def generate_documents(pub: Publication, settings: DocumentSettings, read_media: ReadMedia,
                       cache: DocumentCache, engine: PdfEngine | None = None,
                       only: frozenset[str] | None = None) -> GeneratedDocuments:
    """`only`: edition keys to make documents for (default: every public edition of a kind that has them)."""
    maker = DocumentMaker(cache, engine or PdfEngine(), pub, read_media)
    downloads: dict[str, EditionDownloads] = {}
    for edition in pub.editions:
        kind = document_kind(edition)
        if kind is None or (only is not None and edition.key not in only):
            continue
        main = kind.document(edition, pub, settings)
        release = kind.press_release(edition, pub, settings) if kind.press_release else None
        links = maker.documents(edition, main, release)
        kit = maker.press_kit(edition, main, release) if release is not None else None
        downloads[edition.url] = EditionDownloads(tuple(links), kit)
    return GeneratedDocuments(maker.files, downloads)
