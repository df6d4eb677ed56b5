"""Markdown from contributors → sanitized HTML, the same for pages and feeds.

Markdown is rendered by cmark-gfm, then cleaned with an allow-list (nh3): no script or style, no event handlers, links only
to absolute http(s)/mailto URLs or in-page anchors, images only from the record's own media files. Raw HTML
in a record never reaches a page unsanitized, whatever the validator said about it.
"""

from __future__ import annotations

import html
import re

import nh3

from pipeline.cjk import join_cjk_lines
from pipeline.render.gfm import github_markdown_to_html

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote",
    "a", "img", "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "sup", "sub", "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
LINK_SCHEMES = ("https://", "http://", "mailto:")
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _demote_headings(text: str) -> str:
    """A record's `#` becomes h2: the page's own title is the only h1."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}", text)


def _link_filter(media_base: str, media_files: frozenset[str]):
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            if value.startswith("#") or value.lower().startswith(LINK_SCHEMES):
                return value
            return None  # relative, protocol-relative, javascript:, data: …
        if tag == "img" and attribute == "src":
            return media_base + value if value in media_files else None
        return value

    return keep


def render_markdown(text: str, *, media_base: str = "", media_files: frozenset[str] = frozenset()) -> str:
    """Sanitized HTML for `text`. Images may only name files in `media_files`; their src becomes
    `media_base + name` (empty for the record's own page, an absolute URL for feeds)."""
    # cmark-gfm (CommonMark + GitHub tables): fast, and safe before sanitizing — raw HTML is omitted.
    raw = join_cjk_lines(github_markdown_to_html(_CONTROL.sub("", text)))
    clean = nh3.clean(
        _demote_headings(raw), tags=ALLOWED_TAGS, clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES, attribute_filter=_link_filter(media_base, media_files),
        url_schemes={"https", "http", "mailto"}, link_rel="noopener noreferrer nofollow", strip_comments=True,
    )
    return clean.replace("<img ", '<img loading="lazy" ')


def plain_text(text: str) -> str:
    """Text for places that show no markup (titles, meta descriptions, search): escaped by the template."""
    return _CONTROL.sub("", html.unescape(re.sub(r"<[^>]*>", "", text))).strip()


def markdown_to_plain(text: str) -> str:
    """The words of a Markdown text without its markup, for search and summaries."""
    return re.sub(r"\s+", " ", plain_text(render_markdown(text))).strip()
