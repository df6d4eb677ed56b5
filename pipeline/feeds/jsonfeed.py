"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) beside every RSS and Atom feed, from the same
FeedItem objects, so the three formats always carry the same items, ids, titles, dates and links.

Files: `<feed path>.json` (e.g. `feeds/annual.json`), MIME type `application/feed+json`.
"""

from __future__ import annotations

import json
from datetime import datetime

from pipeline.feeds.items import FeedItem

JSON_MIME = "application/feed+json"
JSON_NAME = "JSON Feed"
VERSION = "https://jsonfeed.org/version/1.1"


def json_file(path: str) -> str:
    """`feeds/annual` → `feeds/annual.json`."""
    return f"{path}.json"


def _date(moment: datetime) -> str:
    return moment.isoformat()  # RFC 3339: always timezone-aware here (Beijing time)


def _item(item: FeedItem) -> dict:
    data = {"id": item.guid, "url": item.link, "title": item.title, "content_html": item.html,
            "summary": item.summary, "date_published": _date(item.published), "date_modified": _date(item.updated)}
    if item.categories:
        data["tags"] = list(item.categories)
    if item.enclosure:
        data["image"] = item.enclosure.url
        data["attachments"] = [{"url": item.enclosure.url, "mime_type": item.enclosure.mime,
                                "size_in_bytes": item.enclosure.length}]
    return data


def json_feed(*, title: str, description: str, home_page_url: str, feed_url: str, author: str, author_url: str,
              language: str, items: list[FeedItem]) -> bytes:
    feed = {"version": VERSION, "title": title, "home_page_url": home_page_url, "feed_url": feed_url,
            "description": description, "language": language, "authors": [{"name": author, "url": author_url}],
            "items": [_item(item) for item in items]}
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
