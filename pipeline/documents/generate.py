"""Every document file of a publication, and what each edition page links to.

Files sit beside the edition page (`monthly/2025-03/zlhcg-monthly-2025-03.pdf`); the Chinese name is offered
through the link's `download` attribute. Each file is cached by a key over everything it is made from:
the document's content (JSON), the engine versions and the templates; for a press kit, also its images.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pipeline.documents.cache import DocumentCache, content_key
from pipeline.documents.content import Document
from pipeline.documents.kinds import DOCUMENT_KINDS, documents_for
from pipeline.documents.pdf import PdfEngine, document_json
from pipeline.documents.presskit import ReadMedia, press_kit
from pipeline.documents.settings import DocumentSettings
from pipeline.documents.word import render_docx
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


class DocumentMaker:
    """Makes (or reads from the cache) the files of one document."""

    def __init__(self, cache: DocumentCache, engine: PdfEngine):
        self.cache, self.engine = cache, engine

    def file(self, doc: Document, suffix: str) -> bytes:
        key = content_key(engine_fingerprint(), suffix, document_json(doc))
        make = (lambda: self.engine.render(doc)) if suffix == "pdf" else (lambda: render_docx(doc))
        return self.cache.get_or_make(key, suffix, make)


def generate_documents(pub: Publication, settings: DocumentSettings, read_media: ReadMedia,
                       cache: DocumentCache, engine: PdfEngine | None = None,
                       only: frozenset[str] | None = None) -> GeneratedDocuments:
    """`only`: edition keys to make documents for (default: every public edition of a kind that has them)."""
    maker = DocumentMaker(cache, engine or PdfEngine())
    files: dict[str, bytes] = {}
    downloads: dict[str, EditionDownloads] = {}
    for edition in pub.editions:
        if edition.kind not in DOCUMENT_KINDS or (only is not None and edition.key not in only):
            continue
        docs = documents_for(edition, pub, settings)
        main = docs[0]
        links = []
        for suffix, label in FORMATS:
            path = f"{edition.url}{main.stem}.{suffix}"
            files[path] = maker.file(main, suffix)
            links.append(Download(label, path, f"{main.download_name}.{suffix}", len(files[path])))
        kit = None
        if DOCUMENT_KINDS[edition.kind].press_release is not None:
            release = docs[-1]
            release_docx = maker.file(release, "docx")
            if release is not main:  # the release as PDF too, beside the list
                path = f"{edition.url}{release.stem}.pdf"
                files[path] = maker.file(release, "pdf")
                links.append(Download("新闻通稿 PDF", path, f"{release.download_name}.pdf", len(files[path])))
            images = [read_media(pub.record(item.record_id), m.file) for item in main.items
                      for m in pub.record(item.record_id).media]
            key = content_key(engine_fingerprint(), "kit", document_json(main), release_docx, pub.site_url, *images)
            data = cache.get_or_make(key, "zip", lambda: press_kit(main, release, release_docx, pub, read_media))
            path = f"{edition.url}{main.stem.removesuffix('-list').removesuffix('-press-release')}-press-kit.zip"
            files[path] = data
            kit = Download("媒体资料包", path, f"{main.download_name}-媒体资料包.zip", len(data))
        downloads[edition.url] = EditionDownloads(tuple(links), kit)
    return GeneratedDocuments(files, downloads)
