"""RSS 2.0 and Atom feeds, the OPML list of them, and the 订阅 page: Publication in, bytes and HTML out.

Pure: no disk, no git, no clock. Every date comes from the data (when a record entered the library, when an
edition was published or corrected), so two builds of the same repository give byte-identical feeds. Feed
names and descriptions live in `feed_settings.yaml`; what an item says is in `feed_content`.

Files (site-relative): `feeds/<name>.rss.xml` and `feeds/<name>.atom.xml` for new results, one per registered
edition kind (`pipeline/kinds.yaml` names its path and wording), `field/<slug>` (one per strategic field of the
vocabulary, empty or not), and `feeds/feeds.opml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from functools import lru_cache
from importlib import resources
from typing import Mapping

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree
from markupsafe import escape

from pipeline.feeds.jsonfeed import JSON_MIME, JSON_NAME, json_feed, json_file
from pipeline.feeds.items import FeedItem, ItemSource, edition_items, record_item, render_template, xml_text
from pipeline.feeds.calendar import COMBINED_PATH, calendar_kinds
from pipeline.kinds import all_kinds
from pipeline.model.publication import Publication
from pipeline.read.strictyaml import load_bytes, load_mapping

MIME = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": JSON_NAME}
OPML_FORMATS = ("rss", "atom", "json")  # the OPML lists JSON Feed too
# A page's <head> names each of its feeds once, in RSS, which every feed reader takes: the Atom links beside
# them cost 300 bytes on each of ten thousand pages and served no reader. Both formats stay listed on the
# 订阅 page, in the OPML file and on the feeds' own browse pages.
HEAD_FORMATS = ("rss",)
OPML_PATH = "feeds/feeds.opml"


@dataclass(frozen=True)
class FeedText:
    """One feed family's wording and addresses, as written in `feed_settings.yaml` (with placeholders)."""

    path: str
    page: str
    label: str
    title: str
    description: str


@dataclass(frozen=True)
class FeedSettings:
    author: str
    language: str
    limit: int
    generator: str
    feeds: Mapping[str, FeedText]  # results, field (edition kinds' feeds are in the kinds registry)


SETTINGS_FILE = "pipeline/feeds/settings.yaml"
FAMILIES = ("results", "field")
_PLACEHOLDERS = {"slug": "x", "field": "x", "highland": "x", "limit": 1, "lists": "x"}


class FeedSettingsError(ValueError):
    """feed_settings.yaml is edited by hand: say in Chinese what is wrong instead of failing later."""


def parse_feed_settings(raw: bytes) -> FeedSettings:
    data = load_mapping(load_bytes(raw, SETTINGS_FILE), "订阅源设置").data
    try:
        feeds = {key: FeedText(**{name: str(value) for name, value in data["feeds"][key].items()})
                 for key in FAMILIES}
        for text in feeds.values():
            for value in (text.path, text.page, text.label, text.title, text.description):
                value.format(**_PLACEHOLDERS)
        return FeedSettings(str(data["author"]), str(data["language"]), int(data["limit"]),
                            str(data["generator"]), feeds)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise FeedSettingsError(
            f"{SETTINGS_FILE} 有误（{type(exc).__name__}: {exc}）：需要 author、language、limit（整数）、generator，"
            f"以及 feeds 下的 {'、'.join(FAMILIES)}，每项都有 path、page、label、title、description；"
            "花括号中只能使用文件开头说明的占位符。") from exc


@lru_cache(maxsize=1)
def feed_settings() -> FeedSettings:
    return parse_feed_settings(resources.files("pipeline.feeds").joinpath("settings.yaml").read_bytes())


@dataclass(frozen=True)
class FeedSpec:
    """One feed (both formats): what it is called, where it lives, which items it carries."""

    kind: str  # results | field | an edition kind's name
    path: str  # site-relative, without the format suffix
    page: str  # the site page it mirrors
    label: str  # short name, for tables
    title: str
    description: str
    field: str = ""  # field feeds: the field's name …
    highland: str = ""  # … and its highland's

    def file(self, fmt: str) -> str:
        return f"{self.path}.{fmt}.xml"


@dataclass(frozen=True)
class FeedLink:
    """A feed a page advertises with <link rel="alternate">."""

    title: str
    href: str  # site-relative
    mime: str


def feed_specs(pub: Publication) -> list[FeedSpec]:
    """Every feed, in the order the OPML file and the 订阅 page list them."""
    settings = feed_settings()
    text = settings.feeds["results"]
    specs = [FeedSpec("results", text.path, text.page, text.label, text.title,
                      text.description.format(limit=settings.limit))]
    for kind in all_kinds():
        lists = "、".join(e.display_title for e in sorted(pub.of_kind(kind.name), key=lambda e: e.key)) or "（尚未发布）"
        specs.append(FeedSpec(kind.name, kind.feed.path, kind.index_url, kind.feed.label, kind.feed.title,
                              kind.feed.description.format(lists=lists)))
    text = settings.feeds["field"]
    for term in pub.vocab.fields.terms:
        values = {"slug": term.slug, "field": term.name, "highland": term.parent, "limit": settings.limit}
        specs.append(FeedSpec("field", text.path.format(**values), text.page.format(**values),
                              text.label.format(**values), text.title.format(**values),
                              text.description.format(**values), term.name, term.parent))
    return specs


def content_date(pub: Publication) -> datetime:
    """The date of an empty feed: the newest date of any public record or edition, so that it changes only
    with the content; for an empty library, the build time (SOURCE_DATE_EPOCH in a reproducible build)."""
    dates = [r.entered for r in pub.records if r.entered] + [e.updated_at for e in pub.editions]
    return max(dates, default=pub.built_at)


def _items(spec: FeedSpec, src: ItemSource) -> list[FeedItem]:
    if spec.kind in ("results", "field"):
        return [record_item(src, record) for record in src.newest(spec.field or None)]
    return edition_items(src, spec.kind)


class _AtomEntryLinks(BaseEntryExtension):
    """Writes an Atom entry's links. feedgen 1.0.0 drops their rel, type and length (python-feedgen issue
    #135), which would turn the enclosure into a second, untyped "alternate" link."""

    def __init__(self):
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry):
        for attributes in self.links:
            etree.SubElement(entry, "link", attributes)
        return entry


def _channel(spec: FeedSpec, updated: datetime, pub: Publication, fmt: str) -> FeedGenerator:
    settings = feed_settings()
    own_url = pub.absolute(spec.file(fmt))
    fg = FeedGenerator()
    fg.id(own_url)
    fg.title(xml_text(spec.title))
    fg.description(xml_text(spec.description))  # RSS description and Atom subtitle
    fg.author(name=xml_text(settings.author), uri=pub.site_url)
    fg.language(settings.language)  # RSS <language> and Atom xml:lang
    fg.generator(settings.generator)  # feedgen's default carries its version: bytes would change on upgrade
    # feedgen uses the *last* link() call as the RSS channel <link>: the self link first, the page last.
    fg.link(href=own_url, rel="self", type=MIME[fmt])
    fg.link(href=pub.absolute(spec.page), rel="alternate", type="text/html")
    fg.updated(updated)  # Atom <updated> and RSS <lastBuildDate>; feedgen's default is the wall clock
    if fmt == "atom":
        fg.register_extension("atom_links", BaseExtension, _AtomEntryLinks, atom=True, rss=False)
    return fg


def _add_entry(fg: FeedGenerator, item: FeedItem, fmt: str) -> None:
    entry = fg.add_entry(order="append")  # feedgen prepends by default
    entry.guid(item.guid, permalink=True)  # also the Atom <id>
    entry.title(xml_text(item.title))
    entry.summary(str(escape(xml_text(item.summary))), type="html")  # RSS <description>
    entry.content(xml_text(item.html), type="html")  # RSS <content:encoded>
    entry.published(item.published)  # Atom <published>, RSS <pubDate>
    entry.updated(item.updated)  # feedgen's default is the wall clock
    if item.categories:
        entry.category([{"term": xml_text(c)} for c in item.categories])
    enclosure = item.enclosure
    if fmt == "atom":
        entry.atom_links.links.append({"rel": "alternate", "type": "text/html", "href": item.link})
        if enclosure:
            entry.atom_links.links.append({"rel": "enclosure", "type": enclosure.mime, "href": enclosure.url,
                                           "length": str(enclosure.length)})
    else:
        entry.link(href=item.link, rel="alternate")  # RSS <link>
        if enclosure:
            entry.enclosure(enclosure.url, str(enclosure.length), enclosure.mime)


def _feed_xml(spec: FeedSpec, items: list[FeedItem], updated: datetime, pub: Publication, fmt: str) -> bytes:
    fg = _channel(spec, updated, pub, fmt)
    for item in items:
        _add_entry(fg, item, fmt)
    return fg.rss_str(pretty=True) if fmt == "rss" else fg.atom_str(pretty=True)


def _feed_json(spec: FeedSpec, items: list[FeedItem], pub: Publication) -> bytes:
    settings = feed_settings()
    return json_feed(title=xml_text(spec.title), description=xml_text(spec.description),
                     home_page_url=pub.absolute(spec.page), feed_url=pub.absolute(json_file(spec.path)),
                     author=xml_text(settings.author), author_url=pub.site_url, language=settings.language,
                     items=items)


def render_feeds(pub: Publication, media_sizes: Mapping[str, int], press_contact: tuple[str, ...] = ()
                 ) -> dict[str, bytes]:
    """Every feed file and the OPML list: site-relative path → bytes. `media_sizes` maps site-relative
    media paths (`results/<id>/<file>`) to their size in bytes, for the annual list's enclosures;
    `press_contact` is the 媒体联系 lines edition items end with (none when unset)."""
    settings = feed_settings()
    src = ItemSource(pub, media_sizes, settings.limit, press_contact)
    fallback = content_date(pub)
    specs = feed_specs(pub)
    files: dict[str, bytes] = {}
    for spec in specs:
        items = _items(spec, src)
        updated = max((item.updated for item in items), default=fallback)
        for fmt in MIME:
            files[spec.file(fmt)] = _feed_xml(spec, items, updated, pub, fmt)
        files[json_file(spec.path)] = _feed_json(spec, items, pub)
    files[OPML_PATH] = render_opml(pub, specs)
    return files


def _outline(parent, spec: FeedSpec, fmt: str, pub: Publication, language: str) -> None:
    title = xml_text(f"{spec.title}（{FORMAT_NAMES[fmt]}）")
    address = json_file(spec.path) if fmt == "json" else spec.file(fmt)
    attributes = {"text": title, "title": title, "type": "rss", "xmlUrl": pub.absolute(address),
                  "htmlUrl": pub.absolute(spec.page), "description": xml_text(spec.description),
                  "language": language}
    if fmt == "rss":
        attributes["version"] = "RSS2"  # OPML 2.0 defines versions for RSS only
    etree.SubElement(parent, "outline", attributes)


def render_opml(pub: Publication, specs: list[FeedSpec] | None = None) -> bytes:
    """OPML 2.0 listing every feed file, grouped by format and, for fields, by highland."""
    settings = feed_settings()
    specs = specs if specs is not None else feed_specs(pub)
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = "浙里好成果 · 全部订阅源"
    etree.SubElement(head, "dateModified").text = format_datetime(content_date(pub))
    etree.SubElement(head, "ownerName").text = xml_text(settings.author)
    etree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    for fmt in OPML_FORMATS:
        group = etree.SubElement(body, "outline", text=f"{FORMAT_NAMES[fmt]} 格式订阅源")
        for spec in specs:
            if spec.kind != "field":
                _outline(group, spec, fmt, pub, settings.language)
        fields = etree.SubElement(group, "outline", text="按战略领域")
        for highland, members in _by_highland(specs):
            branch = etree.SubElement(fields, "outline", text=xml_text(f"{highland}科创高地"))
            for spec in members:
                _outline(branch, spec, fmt, pub, settings.language)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _by_highland(specs: list[FeedSpec]) -> list[tuple[str, list[FeedSpec]]]:
    groups: dict[str, list[FeedSpec]] = {}
    for spec in specs:
        if spec.kind == "field":
            groups.setdefault(spec.highland, []).append(spec)
    return list(groups.items())


def _field_of(pub: Publication, page_kind: str, key: str | None) -> str | None:
    if key is None:
        return None
    if page_kind == "achievement":
        record = pub.record(key) or next((r for r in pub.tombstones if r.id == key), None)
        return record.field if record else None
    term = next((t for t in pub.vocab.fields.terms if key in (t.slug, t.name)), None)
    return term.name if term else None


def feed_links(pub: Publication, page_kind: str, key: str | None = None,
               formats: tuple[str, ...] = tuple(MIME)) -> list[FeedLink]:
    """The feeds a page advertises: every page the new-achievements feed; a `kind` page (key: the edition
    kind's name) also that kind's feed; a `field` page (key: slug or name) or an `achievement` page
    (key: record id) also its field's feed. In `formats` (RSS before Atom) for each."""
    wanted = {"results"}
    if page_kind == "kind":
        wanted.add(key)
    field = _field_of(pub, page_kind, key) if page_kind in ("field", "achievement") else None
    chosen = [s for s in feed_specs(pub) if s.kind in wanted or (field and s.field == field)]
    return [FeedLink(f"{spec.title}（{FORMAT_NAMES[fmt]}）", spec.file(fmt), MIME[fmt])
            for spec in chosen for fmt in formats]


def render_subscribe_page(pub: Publication) -> str:
    """The 订阅 page body (an HTML fragment in Chinese), placed at `subscribe/` by the site adapter."""
    specs = feed_specs(pub)
    main = {spec.kind: spec for spec in specs if spec.kind != "field"}
    calendars = [(kind.label, kind.calendar_file) for kind in calendar_kinds()]
    return render_template("subscribe.html", main=main, fields=_by_highland(specs), url=pub.absolute,
                           json_file=json_file, json_mime=JSON_MIME,
                           opml=pub.absolute(OPML_PATH), limit=feed_settings().limit,
                           calendars=[("全部发布活动", COMBINED_PATH), *calendars])
