"""The download block of an edition page: “下载 PDF / Word”, the 媒体资料包 and the 媒体联系 (when set)."""

from __future__ import annotations

from markupsafe import Markup, escape

from pipeline.documents.generate import Download, EditionDownloads
from pipeline.documents.settings import DocumentSettings


def human_size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"


def _link(download: Download, page_url: str) -> str:
    href = download.path.removeprefix(page_url)  # the files sit beside the page
    return (f'<a href="{escape(href)}" download="{escape(download.filename)}">{escape(download.label)}</a>'
            f'<span class="zl-muted">（{human_size(download.size)}）</span>')


def downloads_html(page_url: str, found: EditionDownloads, settings: DocumentSettings) -> Markup:
    parts = ['<aside class="zl-downloads" aria-label="文件下载">',
             "<p><strong>下载</strong>：" + " · ".join(_link(d, page_url) for d in found.documents) + "</p>"]
    if found.press_kit:
        parts.append(f"<p><strong>媒体资料包</strong>：{_link(found.press_kit, page_url)}"
                     "，含新闻通稿（Word）、名单（CSV、Excel）和成果原图</p>")
        contact = settings.press_contact
        if contact:
            email = (f'，电子邮箱 <a href="mailto:{escape(contact.email)}">{escape(contact.email)}</a>'
                     if contact.email else "")
            phone = f"，电话 {escape(contact.phone)}" if contact.phone else ""
            parts.append(f'<p class="zl-press-contact"><strong>媒体联系</strong>：{escape(contact.name)}{phone}{email}</p>')
    parts.append("</aside>")
    return Markup("".join(parts))
