"""Rendering pages: the Jinja environment, the rendered-page type, and URL helpers shared by all page kinds.

Every template autoescapes; record text only ever reaches HTML escaped, or as Markdown through the sanitizer.
Links between pages are relative, so the site works at any path (a GitHub Pages project site included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache, partial
from typing import Callable

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from pipeline.render.dedent import DedentLoader
from pipeline.render.markdown import render_markdown
from pipeline.model.records import Achievement


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    title: str
    level: int = 2


@dataclass(frozen=True)
class RenderedPage:
    """A page's content (HTML inside the theme's article), with what the theme needs around it.

    `content` is the HTML, or for the pages there are thousands of (records, browse pages) how to render it:
    the site is then rendered one page at a time as it is written, and never held whole in memory."""

    url: str  # site-relative directory URL: "" for home, "results/x/" …
    title: str
    content: str | Callable[[], str]
    description: str = ""
    image: str = ""  # site-relative path of the sharing image
    feeds: tuple[str, ...] = ()  # keys for feed links: ("results", "field:slug", "monthly" …)
    shown_feeds: tuple[str, ...] = ()  # keys of feeds also offered as visible links on the page
    toc: tuple[TocEntry, ...] = ()
    noindex: bool = False
    hide: tuple[str, ...] = ()  # theme elements to hide: "toc", "navigation"
    extra_scripts: tuple[str, ...] = field(default=())  # site-relative script paths
    extra_styles: tuple[str, ...] = field(default=())  # site-relative stylesheets only this page needs
    updated: date | None = None  # last change of what the page shows (sitemap lastmod); None: the library's newest
    # An article page (a record, an edition) declares itself in the head: ArticleTitle, PubDate, ContentSource.
    published: date | None = None
    source: str = ""  # ContentSource: who the content comes from (a record's submitter, an edition's publisher)
    keywords: tuple[str, ...] = ()

    @property
    def html(self) -> str:
        return self.content() if callable(self.content) else self.content

    @property
    def src_uri(self) -> str:
        return f"{self.url}index.md"


def prefix_for(page_url: str) -> str:
    """The way back to the site root from the page at directory URL `page_url`: "", "../", "../../" …"""
    return "../" * page_url.count("/")


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at directory URL `from_url` to the site-relative `to_url`."""
    return (prefix_for(from_url) + to_url) or "./"


def date_cn(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def iso_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()


def plain_number(value: float | int) -> str:
    """3.0 → "3", 1.25 → "1.25": amounts as people write them."""
    return f"{value:g}" if isinstance(value, float) else str(value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=DedentLoader(PackageLoader("pipeline.render", "templates"), trim_blocks=True),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
        auto_reload=False,  # templates do not change during a build: no file check on every use (60,000 calls)
    )
    env.filters["date_cn"] = date_cn
    env.filters["iso_date"] = iso_date
    env.filters["number"] = plain_number
    return env


def record_html(record: Achievement, media_base: str = "") -> Markup:
    """The record's description as sanitized HTML (images resolved against its own folder)."""
    files = frozenset(m.file for m in record.media)
    return Markup(render_markdown(record.description, media_base=media_base, media_files=files))


def edition_html(body: str) -> Markup:
    return Markup(render_markdown(body))


def render(template: str, page_url: str, **context) -> str:
    """Renders `template` for the page at `page_url`; `link(url)` in templates gives a relative link."""
    env = environment()
    prefix = prefix_for(page_url)
    return env.get_template(template).render(link=lambda to: (prefix + to) or "./", page_url=page_url,
                                             **context)


def deferred(template: str, page_url: str, **context) -> Callable[[], str]:
    """`render(...)` to be run when the page is written (see RenderedPage.content)."""
    return partial(render, template, page_url, **context)


_FACET_VOCAB = {"highland": "highlands", "field": "fields", "city": "cities", "category": "categories",
                "unit-type": "unit_types"}


@dataclass(frozen=True)
class Lookups:
    """Vocabulary look-ups templates need: a value's browse URL and its slug; and how a list shows its records."""

    vocab: object  # Vocabularies
    # A list of one facet value (a field's page) does not badge every card with that value again.
    listed_facet: str = ""
    # Brief cards (title, category and field, units, date) where a list says who did the work rather than what
    # it is about; the summary is one tap away, and a record appears on several such lists.
    brief: bool = False

    def facet_url(self, kind: str, name: str) -> str:
        if kind == "unit":
            return f"browse/unit/{name}/"
        term = self.vocab[_FACET_VOCAB[kind]].get(name)
        return f"browse/{kind}/{term.slug}/" if term else "browse/"

    def slug(self, vocab_key: str, name: str) -> str:
        term = self.vocab[vocab_key].get(name)
        return term.slug if term else ""

    def card(self, record: Achievement, prefix: str, note: str | None = None) -> Markup:
        return record_card(record, "" if prefix == "./" else prefix, self, note)


_CLAUSE_ENDS = "。；！？，、：;!?,"
_LATIN_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f.^/+-]+$")


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters with an ellipsis: after the last sentence or clause end in the
    second half of the limit, else before a Latin word or number the cut would split (“Natu…” never)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    clause = max(head.rfind(mark) for mark in _CLAUSE_ENDS)
    if clause >= limit // 2:
        return head[:clause].rstrip() + "……" if head[clause] in "。；！？;!?" else head[:clause] + "……"
    if text[limit].isascii() and text[limit].isalnum():
        head = _LATIN_WORD.sub("", head)
    return head.rstrip(" " + _CLAUSE_ENDS) + "……"


def record_card(record: Achievement, prefix: str, look: Lookups, note: str | None = None) -> Markup:
    """One record in a list. Plain Python rather than a template macro: lists repeat it ~10 times a record.

    The markup is bare where site.css can find the part by its place (the title is the item's first link, the
    units its first paragraph) and a badge carries one class, its kind: at ten thousand records the cards are
    65,000 list items, and a class on each part cost 12 MiB."""
    def a(href: str, text: str, cls: str = "") -> str:
        attribute = f' class="{cls}"' if cls else ""
        return f'<a{attribute} href="{escape(prefix + href)}">{escape(text)}</a>'

    category = look.slug("categories", record.category)
    badges = ((a(look.facet_url("category", record.category), record.category, f"category-{category}")
               if look.listed_facet != "category" else "")
              + (a(look.facet_url("field", record.field), record.field, "field")
                 if look.listed_facet != "field" else ""))
    if not look.brief:
        badges += (f'<span class="level">{escape(record.level)}</span>'
                   + "".join(f'<span class="significance">{escape(s)}</span>' for s in record.significance))
    unit = record.first_unit
    more = f" 等 {len(record.units)} 家单位" if len(record.units) > 1 else ""
    entered = (f' · <time datetime="{iso_date(record.entered)}">{date_cn(record.entered)}</time>入库'
               if record.entered else "")
    note_html = f'<p class="zl-card-note">{escape(note)}</p>' if note else ""
    return Markup(
        f'<li>{a(record.url, record.title)}<span class="zl-badges">{badges}</span>'
        f'<p>{escape(unit.name)}{more} · {escape(unit.city)}{entered}</p>'
        + ("" if look.brief else f'<p class="zl-card-summary">{escape(shorten(record.summary, 120))}</p>')
        + f'{note_html}</li>')
