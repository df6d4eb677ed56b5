"""What each feed item says: permalink, dates, plain title and the HTML a feed reader shows.

Everything a feed carries passes through here. Text is scrubbed of characters XML 1.0 forbids before any
other code sees it (the validator refuses them, but one bad string must never crash the build, and nh3 and
lxml both raise on them); titles become plain text; item HTML is composed by autoescaping Jinja templates
(`templates/feeds/`) around the same sanitized Markdown the site shows, with absolute URLs so that an item
reads the same in a reader as on the site.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Mapping

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from pipeline.render.markdown import plain_text, render_markdown
from pipeline.model.records import Achievement
from pipeline.kinds import kind_of
from pipeline.model.editions import Edition, MonthlyReport, RankedList, Release
from pipeline.model.publication import Publication

# XML 1.0 forbids C0 controls (except tab, newline, carriage return), lone surrogates, U+FFFE and U+FFFF.
# C1 controls and U+FFFD are allowed but feed validators flag them ("BadCharacters"); they are never
# meaningful in our text, so they go too.
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd\ufffe\uffff]")
_TAG = re.compile(r"<[^>]*>")
_IN_PAGE_LINK = re.compile(r'href="#')  # nh3 always serializes attributes double-quoted
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


def xml_text(text: str) -> str:
    return XML_UNSAFE.sub("", text)


def scrub(value):
    """A copy of `value` (a model dataclass, tuple or string) with every string made XML-safe."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, tuple):
        return tuple(scrub(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: scrub(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value


def plain(text: str) -> str:
    """One line of plain text: no markup (also none that was entity-escaped), no forbidden characters."""
    return " ".join(_TAG.sub("", plain_text(xml_text(text))).split())


def chinese_date(day: date | datetime) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int  # bytes
    mime: str


@dataclass(frozen=True)
class FeedItem:
    guid: str  # the absolute permalink: never changes between builds or when the record is edited
    link: str
    title: str  # plain text
    summary: str  # plain text
    html: str  # sanitized, absolute URLs
    published: datetime
    updated: datetime
    categories: tuple[str, ...] = ()
    enclosure: Enclosure | None = None


@lru_cache(maxsize=1)
def _templates() -> Environment:
    env = Environment(loader=PackageLoader("pipeline.feeds", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      auto_reload=False)
    env.filters["cn_date"] = chinese_date
    return env


def render_template(name: str, **context) -> str:
    return _templates().get_template(name).render(**context)


class ItemSource:
    """The publication as the feeds read it, for one render: each record scrubbed once, URLs absolute."""

    def __init__(self, pub: Publication, media_sizes: Mapping[str, int], limit: int,
                 press_contact: tuple[str, ...] = ()):
        self.pub = pub
        self.media_sizes = media_sizes
        self.limit = limit
        self.press_contact = tuple(xml_text(line) for line in press_contact)  # 媒体联系, for edition items
        self._records: dict[str, Achievement] = {}

    def record(self, record_id: str) -> Achievement | None:
        """The public, not withdrawn record (scrubbed), or None."""
        if record_id not in self._records:
            found = self.pub.record(record_id)
            if found is None:
                return None
            self._records[record_id] = scrub(found)
        return self._records[record_id]

    def newest(self, field: str | None = None) -> list[Achievement]:
        """The newest entries (of one strategic field), newest first — Publication keeps that order."""
        chosen = [r.id for r in self.pub.records if field is None or r.field == field][: self.limit]
        return [self.record(record_id) for record_id in chosen]

    def url(self, site_relative: str) -> str:
        return self.pub.absolute(site_relative)

    def entered(self, record: Achievement) -> datetime:
        # Always set when building (load_library(require_dates=True)); a preview without history falls back.
        return record.entered or self.pub.built_at

    def markdown(self, text: str, page: str, media: frozenset[str] = frozenset()) -> Markup:
        """Sanitized HTML with every URL absolute: images from `page`'s folder, in-page anchors on `page`."""
        base = self.url(page)
        html = render_markdown(text, media_base=base, media_files=media)
        return Markup(_IN_PAGE_LINK.sub(lambda _: f'href="{escape(base)}#', html))

    def lead_image(self, record: Achievement):
        """(media, absolute URL) of the record's lead image, or None."""
        image = record.lead_image
        return (image, self.url(record.url + image.file)) if image else None

    def enclosure(self, record: Achievement) -> Enclosure | None:
        """The lead image as an enclosure; none when its size is unknown (a length is required)."""
        image = record.lead_image
        if image is None:
            return None
        size = self.media_sizes.get(record.url + image.file)
        mime = IMAGE_TYPES.get(image.file.rsplit(".", 1)[-1].lower())
        if size is None or mime is None:
            return None
        return Enclosure(self.url(record.url + image.file), int(size), mime)


def _edition_context(src: ItemSource, edition: Edition, with_body: bool = True) -> dict:
    context = {"edition": edition, "link": src.url(edition.url), "url": src.url, "press": src.press_contact}
    if with_body:
        context["body"] = src.markdown(edition.body, edition.url)
    return context


def record_item(src: ItemSource, record: Achievement) -> FeedItem:
    """A new achievement (new-achievements and per-field feeds): dated when it entered the library."""
    link = src.url(record.url)
    html = render_template(
        "record.html", record=record, link=link, image=src.lead_image(record), entered=src.entered(record),
        description=src.markdown(record.description, record.url, frozenset(m.file for m in record.media)))
    when = src.entered(record)
    return FeedItem(link, link, plain(record.title), plain(record.summary), html, when, when,
                    (record.category, record.field))


def monthly_item(src: ItemSource, report: MonthlyReport) -> FeedItem:
    report = scrub(report)
    featured = [(record, item) for item in report.featured if (record := src.record(item.result_id))]
    html = render_template("monthly.html", featured=featured, **_edition_context(src, report))
    summary = f"本期遴选 {len(featured)} 项成果：" + "、".join(plain(r.title) for r, _ in featured)
    link = src.url(report.url)
    return FeedItem(link, link, plain(report.display_title), summary, html, report.published_at,
                    report.updated_at, (report.kind_info.feed.label,))


def release_item(src: ItemSource, release: Release) -> FeedItem:
    release = scrub(release)
    released = [(record, item) for item in release.released if (record := src.record(item.result_id))]
    verb = "发布" if release.kind_info.role == "released" else "推介"
    html = render_template("release.html", released=released, heading=f"{verb}成果", **_edition_context(src, release))
    event = release.event
    summary = f"{chinese_date(release.day)} {event.time}，{event.city}{event.venue}，{verb} {len(released)} 项成果。"
    if release.outcomes:
        summary += "活动成果：" + "；".join(o.text for o in release.outcomes) + "。"
    link = src.url(release.url)
    return FeedItem(link, link, plain(release.display_title), plain(summary), html, release.published_at,
                    release.updated_at, (release.kind_info.feed.label,))


def edition_items(src: ItemSource, kind: str) -> list[FeedItem]:
    """A kind's feed: one item per edition (a monthly report, a release event), or, for ranked lists, one
    item per listed achievement."""
    editions = src.pub.of_kind(kind)
    shape = kind_of(kind).shape
    if shape == "list":
        return list_items(src, editions)
    make = monthly_item if shape == "monthly-report" else release_item
    return [make(src, edition) for edition in editions]


def list_items(src: ItemSource, lists: tuple[RankedList, ...]) -> list[FeedItem]:
    """One item per listed achievement, newest list first, each list in its own order.

    The GUID is the achievement's permalink. Should an achievement be listed in two years, its first
    listing keeps the plain permalink and the later one gets `#<kind>-<key>` (`#annual-2025`) on it, so GUIDs stay unique
    and never change when a newer list is published."""
    seen: set[str] = set()
    blocks: list[list[FeedItem]] = []
    for annual in sorted(lists, key=lambda a: a.key):
        annual = scrub(annual)
        block = []
        for position, entry in enumerate(annual.entries, 1):
            record = src.record(entry.result_id)
            if record is None:
                continue
            link = src.url(record.url)
            guid = link if link not in seen else f"{link}#{annual.kind}-{annual.key}"
            seen.add(link)
            html = render_template("list.html", entry=entry, record=record, image=src.lead_image(record),
                                   record_link=link, position=position, **_edition_context(src, annual, False))
            block.append(FeedItem(guid, link, plain(record.title), plain(entry.citation), html,
                                  annual.published_at, annual.updated_at,
                                  (plain(annual.display_title), record.category, record.field),
                                  src.enclosure(record)))
        blocks.append(block)
    return [item for block in reversed(blocks) for item in block]
