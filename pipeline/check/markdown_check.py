"""Checks Markdown written by contributors before it is ever rendered: no raw HTML, only safe links, and
images only from the record's own folder. The renderer sanitizes again; this tells the author early, with
the line, instead of silently dropping what they wrote.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote

# Possessive quantifiers (*+, ++) throughout: a hostile text must not make these patterns backtrack.
_HTML_TAG = re.compile(r"<\s*+/?\s*+[A-Za-z][A-Za-z0-9-]*+(?:[\s/][^<>]*+)?>|<!--|<!\[CDATA\[|<\?")
_INLINE_LINK = re.compile(r"(?P<image>!?)\[[^\]\n]*+\]\(\s*+(?P<url><[^>\n]*+>|[^)\s]++)")
_AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>")
_REFERENCE = re.compile(r"^ {0,3}\[(?P<label>[^\]\n]+)\]:\s*(?P<url><[^>\n]*>|\S+)", re.MULTILINE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


@dataclass(frozen=True)
class MarkdownProblem:
    offset: int
    rule: str
    message: str
    hint: str


def _normalise_url(url: str) -> str:
    """What a browser would see: entities and percent-escapes decoded, whitespace and controls removed."""
    url = url.strip().removeprefix("<").removesuffix(">")
    for _ in range(3):  # nested encodings such as &amp;#106;
        url = unquote(html.unescape(url))
    return re.sub(r"[\s\x00-\x1f\x7f]+", "", url)


def link_problem(url: str, *, image: bool, media_files: frozenset[str]) -> tuple[str, str, str] | None:
    """(rule, message, hint) when `url` is not allowed in a record's Markdown."""
    clean = _normalise_url(url)
    scheme = _SCHEME.match(clean)
    if image:
        if scheme or clean.startswith("//"):
            return ("content.external-image", f"正文中的图片引用了外部网址“{url[:60]}”。",
                    "图片须放在成果文件夹中并在 media 中登记，正文里只写文件名，例如 ![说明](photo-1.jpg)。")
        if clean not in media_files:
            return ("content.image-not-in-media", f"正文引用的图片“{url[:60]}”不在 media 列表中。",
                    "把图片放进成果文件夹、在 media 中登记，再在正文中只写文件名。")
        return None
    if clean.startswith("//"):
        return ("content.protocol-relative-link", f"链接“{url[:60]}”缺少 https:，不完整。", "链接请写完整的 https:// 网址。")
    if not scheme:
        if clean.startswith("#"):
            return None
        return ("content.relative-link", f"链接“{url[:60]}”不是完整网址。", "链接请写完整的 https:// 网址。")
    if scheme.group(1).lower() not in ("https", "http", "mailto"):
        return ("content.unsafe-link", f"不允许使用“{scheme.group(1)}:”类型的链接。",
                "只能链接到 https:// 网址或 mailto: 邮箱地址。")
    return None


def check_markdown(text: str, media_files: frozenset[str] = frozenset()) -> list[MarkdownProblem]:
    problems = []
    for match in _HTML_TAG.finditer(text):
        problems.append(MarkdownProblem(match.start(), "content.html", f"正文中不允许使用网页代码“{match.group()[:40]}”。",
                                        "请只用 Markdown 排版（# 标题、- 列表、**加粗**），删除尖括号标签。"))
    for match in _INLINE_LINK.finditer(text):
        found = link_problem(match.group("url"), image=bool(match.group("image")), media_files=media_files)
        if found:
            problems.append(MarkdownProblem(match.start(), *found))
    for match in _AUTOLINK.finditer(text):
        found = link_problem(match.group("url"), image=False, media_files=media_files)
        if found:
            problems.append(MarkdownProblem(match.start(), *found))
    for match in _REFERENCE.finditer(text):
        found = link_problem(match.group("url"), image=False, media_files=media_files)
        if found:
            problems.append(MarkdownProblem(match.start(), *found))
    return problems


def check_plain_text(text: str) -> list[MarkdownProblem]:
    """Plain-text fields (titles, summaries, names) may not carry markup at all."""
    return [MarkdownProblem(m.start(), "content.html", f"此处不允许使用网页代码“{m.group()[:40]}”。", "删除尖括号标签，只写文字。")
            for m in _HTML_TAG.finditer(text)]
