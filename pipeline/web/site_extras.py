"""The parts of the site produced by their own renderers (feeds, search, collection statistics), joined here
so the plan and the adapter see one list of pages and files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping


from pipeline.experts.collection import CollectionStats, render_collection_page
from pipeline.feeds.calendar import render_calendars
from pipeline.kinds import all_kinds
from pipeline.feeds.render import MIME, feed_links, render_feeds, render_subscribe_page
from pipeline.render.pages import RenderedPage
from pipeline.model.publication import Publication
from pipeline.search.page import render_search_page
from pipeline.submit.workbook_write import workbook_file



@dataclass(frozen=True)
class ExtraOutputs:
    pages: list[RenderedPage]
    files: dict[str, bytes]
    collection_page: str | None  # HTML of the collection statistics page, when an export exists


TEMPLATE_PATH = "submit/zlhcg-template.xlsx"  # the Excel batch template the 报送指南 offers for download


def extra_outputs(pub: Publication, media_sizes: Mapping[str, int],
                  collection: CollectionStats | None, submit_contact: Mapping | None = None,
                  press_contact: tuple[str, ...] = ()) -> ExtraOutputs:
    """Feeds and the subscribe page, the search page, the collection statistics page, the Excel batch
    template. (The search index itself is a SearchJob, built alongside.) `press_contact`: the 媒体联系 lines
    edition feed items end with."""
    pages = [
        RenderedPage("subscribe/", "订阅", render_subscribe_page(pub),
                     description="用 RSS/Atom 订阅最新成果、" + "、".join(k.label for k in all_kinds())
                     + "和各战略领域的成果，或把发布活动加入日历。",
                     feeds=("results", *(f"kind:{k.name}" for k in all_kinds())), hide=("toc",)),
        RenderedPage("search/", "搜索成果", render_search_page(pub),
                     description="按名称、单位、完成人、关键词等全文检索全省重大科技成果库。", feeds=("results",),
                     hide=("toc",), extra_scripts=("assets/zlhcg/search.js",),
                     extra_styles=("assets/zlhcg/search.css",)),
    ]
    collection_page = render_collection_page(collection) if collection is not None else None
    feeds = render_feeds(pub, media_sizes, press_contact)
    files = {**feeds, **render_calendars(pub), TEMPLATE_PATH: workbook_file(pub.schemas, pub.vocab, submit_contact)}
    return ExtraOutputs(pages, files, collection_page)


def feed_links_for(pub: Publication, page: RenderedPage, formats: tuple[str, ...] = tuple(MIME)) -> list[dict]:
    """Links to a page's feeds (title, site-relative href, MIME type) in `formats`, from its feed keys."""
    links: dict[str, dict] = {}
    for key in page.feeds:
        kind, _, value = key.partition(":")
        if kind == "kind":
            found = feed_links(pub, "kind", value, formats)
        elif kind == "field":
            found = feed_links(pub, "field", value, formats)
        else:
            found = feed_links(pub, "results", formats=formats)
        for link in found:
            links.setdefault(link.href, {"title": link.title, "href": link.href, "type": link.mime})
    return list(links.values())
