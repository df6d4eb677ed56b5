"""The files every public site is expected to have at its root: robots.txt, favicon.ico, apple-touch-icon.png,
and the default share image. Pure: the wordmark's SVG text comes in, bytes go out."""

from __future__ import annotations

from pipeline.render.page_site import CARD_IMAGE_WIDTH
from pipeline.web.brand_images import apple_touch_icon, card_image, favicon_ico, share_image

WORDMARK = "site/assets/zlhcg/wordmark.svg"  # repository path of the site name as glyph outlines

def robots_txt(site_url: str) -> bytes:
    """Everything may be indexed (withdrawn records say noindex themselves); the sitemap lists the pages."""
    sitemap = f"Sitemap: {site_url.rstrip('/')}/sitemap.xml\n" if site_url else ""
    return f"User-agent: *\nAllow: /\n{sitemap}".encode()

def card_images(cards, read) -> dict[str, bytes]:
    """The home page's edition-card images, from the record images they show (`read(repository path)`)."""
    return {c.image: card_image(read(c.image_source), CARD_IMAGE_WIDTH) for c in cards if c.image}

def furniture_files(site_url: str, wordmark_svg: str) -> dict[str, bytes]:
    return {
        "robots.txt": robots_txt(site_url),
        "favicon.ico": favicon_ico(),
        "apple-touch-icon.png": apple_touch_icon(),
        "assets/zlhcg/share.png": share_image(wordmark_svg),
    }
