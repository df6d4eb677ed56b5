"""Everything the site build needs, gathered and checked before anything is written: build time, git
history, the validated library, the publication, and the rendered plan (pages, feeds, search, exports).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Mapping

from pipeline.read.clock import ClockError, build_time
from pipeline.diagnostics import Diagnostic, error, has_errors
from pipeline.experts.collection import EXPORT_PATH, load_collection_export
from pipeline.experts.github_data import ExportError
from pipeline.read.history import HistoryError, read_histories
from pipeline.model.library import load_library
from pipeline.render.pages import RenderedPage
from pipeline.model.publication import Publication, publish
from pipeline.kinds import all_kinds
from pipeline.feeds.render import HEAD_FORMATS
from pipeline.read.site_config import read_site_config
from pipeline.documents.pdf import DocumentEngineError
from pipeline.documents.settings import DocumentSettings
from pipeline.web.site_documents import SiteDocuments
from pipeline.web.site_extras import extra_outputs, feed_links_for
from pipeline.search.job import SearchJob
from pipeline.worker import Worker
from pipeline.render.page_site import edition_cards
from pipeline.web.site_furniture import WORDMARK, card_images, furniture_files
from pipeline.web.site_plan import SiteOptions, SitePlan, plan_site

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SiteInputs:
    diagnostics: list[Diagnostic]
    publication: Publication | None = None
    plan: SitePlan | None = None
    newest: date | None = None
    search: SearchJob | None = None
    documents: SiteDocuments | None = None
    worker: Worker | None = None  # a large library's second process, making the documents and the search index
    # Pages share a handful of feed-key sets; working the links out once per set saves seconds at 10,000 pages.
    _feed_links: dict[tuple[str, ...], list[dict]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def newest_iso(self) -> str:
        return (self.newest or self.publication.built_at.date()).isoformat()

    @property
    def errors(self) -> bool:
        return self.plan is None or has_errors(self.diagnostics)

    def _links_for(self, page: RenderedPage) -> list[dict]:
        key = tuple(page.feeds)
        if key not in self._feed_links:
            self._feed_links[key] = feed_links_for(self.publication, page, HEAD_FORMATS)
        return [dict(link) for link in self._feed_links[key]]

    def page_html(self, page: RenderedPage) -> str:
        """A generated page's content; an edition page's starts with its documents' download links."""
        return self.documents.download_block(page.url) + page.html

    def finish(self, site: Path) -> None:
        """What the worker made (or the search index, for a small library) goes into the site, last."""
        try:
            self.documents.write_into(site)
            self.search.write_into(site)
        finally:
            self.discard()

    def discard(self) -> None:
        """Stops the worker and removes its folders (also when the build fails before they are used)."""
        for job in (self.documents, self.search):
            if job is not None:
                job.discard()
        if self.worker is not None:
            self.worker.close()

    def page_meta(self, page: RenderedPage) -> dict:
        """What the theme templates read from `page.meta` for a generated page."""
        pub = self.publication
        meta = {"title": page.title, "description": page.description, "hide": list(page.hide),
                "zl_feeds": self._links_for(page), "zl_noindex": page.noindex,
                "zl_scripts": list(page.extra_scripts), "zl_styles": list(page.extra_styles)}
        if page.image:
            meta["zl_image"] = pub.absolute(page.image)
        if page.shown_feeds:
            meta["zl_shown_feeds"] = feed_links_for(pub, dataclasses.replace(page, feeds=page.shown_feeds))
        if page.published:
            meta["zl_published"] = page.published.isoformat()
            meta["zl_source"] = page.source
        if page.keywords:
            meta["zl_keywords"] = list(page.keywords)
        return meta


def media_sizes(root: Path, pub: Publication) -> dict[str, int]:
    """Site-relative media path → bytes, for feed enclosures (the renderers themselves never touch disk)."""
    return {f"{r.url}{m.file}": (root / r.folder / m.file).stat().st_size for r in pub.records for m in r.media}


def _newest_date(pub: Publication) -> date | None:
    dates = [r.updated.date() for r in pub.records if r.updated] + [e.updated_at.date() for e in pub.editions]
    return max(dates) if dates else None


def prepare_site(root: Path, environ: Mapping[str, str], progress: Progress = lambda _: None) -> SiteInputs:
    try:
        built_at = build_time(environ)
    except ClockError as exc:
        return SiteInputs([error("SOURCE_DATE_EPOCH", "build.clock", str(exc))])
    progress("正在读取 git 历史…")
    try:
        history = read_histories(root)
    except HistoryError as exc:
        return SiteInputs([error(".git", "history.unavailable", str(exc))])
    progress("正在读取并校验成果库…")
    result = load_library(root, today=built_at.date(), history=history, require_dates=True)
    if not result.ok:
        return SiteInputs(result.diagnostics)
    config = read_site_config(root)
    pub = publish(result.library, built_at, config.site_url, config.site_name)
    progress(f"成果库校验通过：公开成果 {len(pub.records)} 项，撤回 {len(pub.tombstones)} 项，"
             + "，".join(f"{kind.label} {len(pub.of_kind(kind.name))} 期" for kind in all_kinds()) + "。")
    try:
        collection = load_collection_export(root / EXPORT_PATH, pub.vocab)
    except ExportError as exc:
        return SiteInputs([error(EXPORT_PATH, "build.collection-export", str(exc))])
    settings = DocumentSettings.from_extra(config.extra)
    worker = Worker.for_library(len(pub.records), tasks=2)  # documents first: edition pages wait for their links
    progress("正在生成月报、榜单和新闻通稿的 PDF、Word 文件和媒体资料包…" if worker is None else
             "月报、榜单和新闻通稿的文件和搜索索引在另一个进程中生成，与页面同时进行…")
    try:
        documents = SiteDocuments.start(root, pub, settings, worker)
    except DocumentEngineError as exc:
        return SiteInputs([error("mkdocs.yml", "build.documents", str(exc))])
    inputs = SiteInputs(result.diagnostics, pub, None, _newest_date(pub), SearchJob.start(pub, worker), documents,
                        worker)
    progress("正在生成页面、订阅源、搜索索引和开放数据…")
    try:
        extras = extra_outputs(pub, media_sizes(root, pub), collection, config.extra.get("submit_contact"),
                               settings.contact_lines)
        furniture = {**furniture_files(config.site_url, (root / WORDMARK).read_text(encoding="utf-8")),
                     **card_images(edition_cards(pub), lambda path: (root / path).read_bytes())}
        plan = plan_site(pub, SiteOptions(config.targets, extras.collection_page), extras.pages,
                         {**extras.files, **furniture, **documents.files})
    except BaseException:
        inputs.discard()
        raise
    return dataclasses.replace(inputs, plan=plan)
