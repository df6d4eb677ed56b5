"""Rendering pages: the Jinja environment, the rendered-page type, and URL helpers shared by all page kinds.

Every template autoescapes; record text only ever reaches HTML escaped, or as Markdown through the sanitizer.
Links between pages are relative, so the site works at any path (a GitHub Pages project site included).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .markdown_render import render_markdown
from .model import Achievement


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    title: str
    level: int = 2


@dataclass(frozen=True)
class RenderedPage:
    """A page's content (HTML inside the theme's article), with what the theme needs around it."""

    url: str  # site-relative directory URL: "" for home, "results/x/" …
    title: str
    html: str
    description: str = ""
    image: str = ""  # site-relative path of the sharing image
    feeds: tuple[str, ...] = ()  # keys for feed links: ("results", "field:slug", "monthly" …)
    toc: tuple[TocEntry, ...] = ()
    noindex: bool = False
    hide: tuple[str, ...] = ()  # theme elements to hide: "toc", "navigation"
    extra_scripts: tuple[str, ...] = field(default=())  # site-relative script paths
    updated: date | None = None  # last change of what the page shows (sitemap lastmod); None: the library's newest

    @property
    def src_uri(self) -> str:
        return f"{self.url}index.md"


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at directory URL `from_url` to `to_url` (both site-relative)."""
    target = posixpath.relpath("/" + to_url, "/" + from_url)
    if target == ".":
        return "./"
    return target + "/" if to_url == "" or to_url.endswith("/") else target


def date_cn(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def iso_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline", "templates/pages"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
    )
    env.filters["date_cn"] = date_cn
    env.filters["iso_date"] = iso_date
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
    return env.get_template(template).render(link=lambda to: relative_url(page_url, to), page_url=page_url, **context)


_FACET_VOCAB = {"highland": "highlands", "field": "fields", "city": "cities", "category": "categories",
                "unit-type": "unit_types"}


@dataclass(frozen=True)
class Lookups:
    """Vocabulary look-ups templates need: a value's browse URL and its slug."""

    vocab: object  # Vocabularies

    def facet_url(self, kind: str, name: str) -> str:
        if kind == "unit":
            return f"browse/unit/{name}/"
        term = self.vocab[_FACET_VOCAB[kind]].get(name)
        return f"browse/{kind}/{term.slug}/" if term else "browse/"

    def slug(self, vocab_key: str, name: str) -> str:
        term = self.vocab[vocab_key].get(name)
        return term.slug if term else ""
