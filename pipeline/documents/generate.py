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
from pipeline.documents.presskit import KitContents, ReadMedia, kit_contents, press_kit
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


def _collecting(make: Callable[[], bytes]) -> Callable[[], bytes]:
    """`make`, then a collection of the youngest generation. python-docx's objects refer to each other in cycles
    that only the cyclic collector frees, and the site build runs with it switched off (mkdocs_plugin.py): without
    this each Word file would hold about 5 MB to the end of the build (1 GB more at 10,000 records)."""
    def made() -> bytes:
        data = make()
        gc.collect(0)
        return data
    return made


@dataclass(frozen=True)
class EditionPlan:
    """What one edition's files are made from: plain data, read from the library beforehand, so that the files can
    be made in another process (see pipeline/web/site_documents.py)."""

    url: str  # the edition page's
    kit_path: str  # site-relative path of its press kit
    main: Document
    release: Document | None  # the 新闻通稿, when the kind has one
    kit: KitContents | None  # None: no press kit


Put = Callable[[str, bytes], None]  # (site-relative path, bytes): where a made file goes


def plan_documents(pub: Publication, settings: DocumentSettings, read_media: ReadMedia,
                   only: frozenset[str] | None = None) -> list[EditionPlan]:
    """`only`: edition keys to make documents for (default: every public edition of a kind that has them)."""
    plans = []
    for edition in pub.editions:
        kind = document_kind(edition)
        if kind is None or (only is not None and edition.key not in only):
            continue
        main = kind.document(edition, pub, settings)
        release = kind.press_release(edition, pub, settings) if kind.press_release else None
        plans.append(EditionPlan(edition.url, f"{edition.url}zlhcg-{edition.kind}-{edition.key}-press-kit.zip",
                                 main, release, kit_contents(main, pub, read_media) if release else None))
    return plans


class DocumentMaker:
    """Makes (or reads from the cache) the files of one run and hands each to `put` as it is made."""

    def __init__(self, cache: DocumentCache, engine: PdfEngine, put: Put):
        self.cache, self.engine, self.put = cache, engine, put

    def file(self, doc: Document, suffix: str) -> bytes:
        key = content_key(engine_fingerprint(), suffix, document_json(doc))
        make = (lambda: self.engine.render(doc)) if suffix == "pdf" else (lambda: render_docx(doc))
        return self.cache.get_or_make(key, suffix, _collecting(make))

    def place(self, path: str, data: bytes, label: str, filename: str) -> Download:
        self.put(path, data)
        return Download(label, path, filename, len(data))

    def documents(self, plan: EditionPlan) -> list[Download]:
        """The main document as PDF and Word; a separate press release also as PDF."""
        main, release = plan.main, plan.release
        links = [self.place(f"{plan.url}{main.stem}.{suffix}", self.file(main, suffix), label,
                            f"{main.download_name}.{suffix}") for suffix, label in FORMATS]
        if release is not None and release.stem != main.stem:
            links.append(self.place(f"{plan.url}{release.stem}.pdf", self.file(release, "pdf"), "新闻通稿 PDF",
                                    f"{release.download_name}.pdf"))
        return links

    def press_kit(self, plan: EditionPlan) -> Download:
        main, release, contents = plan.main, plan.release, plan.kit
        release_docx = self.file(release, "docx")
        key = content_key(engine_fingerprint(), "kit", document_json(main), release_docx, *contents.key_parts())
        data = self.cache.get_or_make(key, "zip", _collecting(lambda: press_kit(main, release, release_docx, contents)))
        return self.place(plan.kit_path, data, "媒体资料包", f"{main.download_name}-媒体资料包.zip")


def make_documents(plans: list[EditionPlan], cache: DocumentCache, put: Put,
                   engine: PdfEngine | None = None) -> dict[str, EditionDownloads]:
    """Makes every planned file, handing each to `put`; returns each edition page's links."""
    maker = DocumentMaker(cache, engine or PdfEngine(), put)
    return {plan.url: EditionDownloads(tuple(maker.documents(plan)), maker.press_kit(plan) if plan.kit else None)
            for plan in plans}


def generate_documents(pub: Publication, settings: DocumentSettings, read_media: ReadMedia,
                       cache: DocumentCache, engine: PdfEngine | None = None,
                       only: frozenset[str] | None = None) -> GeneratedDocuments:
    """Every document file in memory, with the links (for `zlhcg documents` and small libraries)."""
    files: dict[str, bytes] = {}
    downloads = make_documents(plan_documents(pub, settings, read_media, only), cache, files.__setitem__, engine)
    return GeneratedDocuments(files, downloads)
