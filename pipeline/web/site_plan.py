"""Everything the public site consists of, computed from a Publication before anything is written:
rendered pages, generated files (feeds, search index, exports) and the media files to copy.

Pure: no disk, no MkDocs. The adapter hands the plan to MkDocs. Two items for one output path are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from pipeline.render.exports import Streamed, export_files
from pipeline.render.stats import figures_json
from pipeline.render.page_browse import has_own_page, render_browse_index, render_facet, render_unit_index, \
    unit_page_keys
from pipeline.render.page_editions import edition_pages
from pipeline.render.page_records import render_record, render_tombstone
from pipeline.render.page_site import render_data_page, render_field_reference, render_home, render_stats
from pipeline.render.pages import RenderedPage
from pipeline.model.publication import Publication
from pipeline.model.views import browse_facets


class PlanConflict(Exception):
    """Two pages or files would be written to the same path: a bug or a hostile id, never silently resolved."""


@dataclass(frozen=True)
class MediaCopy:
    source: str  # repository-relative path
    target: str  # site-relative path


@dataclass(frozen=True)
class SitePlan:
    pages: tuple[RenderedPage, ...]
    files: Mapping[str, bytes | Streamed]
    media: tuple[MediaCopy, ...]

    def page(self, url: str) -> RenderedPage | None:
        return next((p for p in self.pages if p.url == url), None)


@dataclass(frozen=True)
class SiteOptions:
    targets: Mapping[str, int]
    collection_page: str | None = None  # HTML of the collection statistics page, when an export exists


def _browse_pages(pub: Publication, facets: dict, targets: Mapping[str, int]) -> Iterable[RenderedPage]:
    yield render_home(pub, facets, dict(targets))
    yield render_browse_index(pub, facets)
    for kind in ("highland", "field", "city", "category", "unit-type", "unit"):
        for facet in filter(has_own_page, facets[kind]):
            yield from render_facet(facet, pub, facets)
    yield from render_unit_index(facets["unit"])


def _site_pages(pub: Publication, options: SiteOptions) -> Iterable[RenderedPage]:
    yield render_stats(pub, dict(options.targets), options.collection_page is not None)
    if options.collection_page is not None:
        yield RenderedPage("stats/collection/", "成果征集情况", options.collection_page,
                           description="重大科技成果征集、受理和办结的汇总统计。", hide=("toc",))
    yield render_field_reference(pub)
    yield render_data_page(pub)


def _unique(items: Iterable, key, what: str) -> list:
    seen: dict[str, object] = {}
    for item in items:
        k = key(item)
        if k in seen:
            raise PlanConflict(f"{what} {k!r} 被生成了两次。")
        seen[k] = item
    return list(seen.values())


def plan_site(pub: Publication, options: SiteOptions, extra_pages: Iterable[RenderedPage] = (),
              extra_files: Mapping[str, bytes] | None = None) -> SitePlan:
    facets = browse_facets(pub)
    unit_pages = unit_page_keys(facets["unit"])
    pages = [*(render_record(r, pub, unit_pages) for r in pub.records), *(render_tombstone(r) for r in pub.tombstones),
             *edition_pages(pub, options.targets), *_browse_pages(pub, facets, options.targets), *_site_pages(pub, options),
             *extra_pages]
    pages = _unique(pages, lambda p: p.url, "页面")
    files = {**export_files(pub), "data/figures.json": figures_json(pub, dict(options.targets))}
    for path, content in (extra_files or {}).items():
        if path in files:
            raise PlanConflict(f"文件 {path!r} 被生成了两次。")
        files[path] = content
    media = tuple(MediaCopy(f"{r.folder}/{m.file}", f"{r.url}{m.file}") for r in pub.records for m in r.media)
    return SitePlan(tuple(pages), files, media)
