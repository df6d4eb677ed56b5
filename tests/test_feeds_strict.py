"""The rules a strict feed validator enforces, checked on the XML itself (lxml), for every feed file.

RSS 2.0: absolute channel and item links, RFC 822 dates with the right weekday, an atom:link rel="self" equal
to the feed's own URL, unique GUIDs that are permalinks, no HTML in titles, item HTML without script, event
handlers or relative/javascript URLs. Atom: unique ids, `updated` on the feed and every entry, a self link,
a content type that matches the content, a feed author, xml:lang. The checkers are tested on bad input too.
"""

from __future__ import annotations

import dataclasses
import re
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

import pytest
from lxml import etree, html

from pipeline.kinds import all_kinds
from pipeline.feeds.render import render_feeds
from tests.factories import add_edition, publication_of
from tests.test_feeds import R1, R2, build_library, media_sizes

SITE = "https://zlhcg.example.org/"
NS = {"atom": "http://www.w3.org/2005/Atom", "content": "http://purl.org/rss/1.0/modules/content/"}
A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The W3C validator's RFC 822 pattern (feedvalidator/validators.py, class rfc822).
RFC822 = re.compile(r"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), *)?\d\d? +(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                    r" +\d\d(\d\d)? +\d\d:\d\d(:\d\d)? +([+-]?\d\d\d\d|UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|\w)$")
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
UNSAFE_ELEMENTS = {"script", "style", "iframe", "object", "embed", "meta", "link", "base", "form"}
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp"}
HOSTILE = ("正文<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[点我](javascript:alert(1))\n\n"
           "[相对链接](../secret/) <iframe src=https://evil.example/></iframe>\n")


def is_absolute(url: str | None, schemes=("https",)) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in schemes and (bool(parts.netloc) or parts.scheme == "mailto")


def html_problems(where: str, text: str) -> list[str]:
    if not text.strip():
        return []
    problems = []
    for element in html.fragment_fromstring(text, create_parent="div").iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in UNSAFE_ELEMENTS:
            problems.append(f"{where}: <{element.tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on") or name.lower() == "style":
                problems.append(f"{where}: attribute {name}")
            if name in ("href", "src") and not is_absolute(value, ("https", "http", "mailto")):
                problems.append(f"{where}: non-absolute {name}={value!r}")
    return problems


def plain_title_problems(where: str, text: str | None) -> list[str]:
    if not (text or "").strip():
        return [f"{where}: empty title"]
    return [f"{where}: HTML in title {text!r}"] if re.search(r"<|&lt;|</\w+>", text) else []


def rfc822_problems(where: str, text: str | None) -> list[str]:
    if not text or not RFC822.match(text):
        return [f"{where}: not an RFC 822 date: {text!r}"]
    if format_datetime(parsedate_to_datetime(text)) != text:  # wrong weekday, or not normalized
        return [f"{where}: inconsistent RFC 822 date {text!r}"]
    return []


def check_rss(url: str, data: bytes) -> list[str]:
    root = etree.fromstring(data)
    problems = [] if root.tag == "rss" and root.get("version") == "2.0" else ["not RSS 2.0"]
    channel = root.find("channel")
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            problems.append(f"channel: missing {name}")
    problems += plain_title_problems("channel", channel.findtext("title"))
    if not is_absolute(channel.findtext("link")):
        problems.append("channel: link not absolute")
    selves = [link for link in channel.findall(f"{A}link") if link.get("rel") == "self"]
    if [(s.get("href"), s.get("type")) for s in selves] != [(url, "application/rss+xml")]:
        problems.append(f"channel: self link {[s.attrib for s in selves]} is not {url}")
    if channel.findtext("language") != "zh-CN":
        problems.append("channel: language")
    problems += rfc822_problems("lastBuildDate", channel.findtext("lastBuildDate"))
    guids = []
    for i, item in enumerate(channel.findall("item")):
        where = f"item {i}"
        problems += plain_title_problems(where, item.findtext("title"))
        if not is_absolute(item.findtext("link")):
            problems.append(f"{where}: link not absolute")
        guid = item.find("guid")
        if guid is None or guid.get("isPermaLink") != "true" or not is_absolute(guid.text):
            problems.append(f"{where}: guid is not an absolute permalink")
        else:
            guids.append(guid.text)
        problems += rfc822_problems(f"{where} pubDate", item.findtext("pubDate"))
        for name in ("description", "content:encoded"):
            element = item.find(name, NS)
            problems += html_problems(f"{where} {name}", element.text if element is not None else "")
        for enclosure in item.findall("enclosure"):
            if not (is_absolute(enclosure.get("url")) and (enclosure.get("length") or "").isdigit()
                    and enclosure.get("type") in IMAGE_TYPES):
                problems.append(f"{where}: bad enclosure {dict(enclosure.attrib)}")
        if len(item.findall("enclosure")) > 1:
            problems.append(f"{where}: more than one enclosure")
    if len(guids) != len(set(guids)):
        problems.append("duplicate GUIDs")
    return problems


def check_atom(url: str, data: bytes) -> list[str]:
    root = etree.fromstring(data)
    problems = [] if root.tag == f"{A}feed" else ["not Atom"]
    if root.get(XML_LANG) != "zh-CN":
        problems.append("feed: xml:lang")
    if not root.findtext(f"{A}author/{A}name"):
        problems.append("feed: no author")
    problems += plain_title_problems("feed", root.findtext(f"{A}title"))
    feed_updated = root.findtext(f"{A}updated") or ""
    if not RFC3339.match(feed_updated):
        problems.append(f"feed: updated {feed_updated!r}")
    links = [(link.get("rel", "alternate"), link.get("type"), link.get("href")) for link in root.findall(f"{A}link")]
    if ("self", "application/atom+xml", url) not in links:
        problems.append(f"feed: no self link to {url}")
    if not any(rel == "alternate" and is_absolute(href) for rel, _, href in links):
        problems.append("feed: no absolute alternate link")
    ids = [root.findtext(f"{A}id")]
    for i, entry in enumerate(root.findall(f"{A}entry")):
        where = f"entry {i}"
        ids.append(entry.findtext(f"{A}id"))
        if not is_absolute(ids[-1]):
            problems.append(f"{where}: id not absolute")
        problems += plain_title_problems(where, entry.findtext(f"{A}title"))
        for name in ("updated", "published"):
            value = entry.findtext(f"{A}{name}") or ""
            if not RFC3339.match(value):
                problems.append(f"{where}: {name} {value!r}")
            elif name == "updated" and RFC3339.match(feed_updated) and value > feed_updated:
                problems.append(f"{where}: updated after the feed's updated")  # same offset: text compares
        entry_links = [(link.get("rel", "alternate"), link.get("type")) for link in entry.findall(f"{A}link")]
        alternates = [kind for rel, kind in entry_links if rel == "alternate"]
        if len(alternates) != 1 or len(set(entry_links)) != len(entry_links):
            problems.append(f"{where}: links {entry_links}")
        for link in entry.findall(f"{A}link"):
            if link.get("rel") == "enclosure" and not ((link.get("length") or "").isdigit()
                                                     and link.get("type") in IMAGE_TYPES):
                problems.append(f"{where}: bad enclosure {dict(link.attrib)}")
        for name in ("content", "summary"):
            element = entry.find(f"{A}{name}")
            if element is None:
                continue
            kind = element.get("type", "text")
            if kind == "html":
                problems += html_problems(f"{where} {name}", element.text or "")
            elif kind == "text" and re.search(r"</\w+>", element.text or ""):
                problems.append(f"{where}: {name} has HTML but type text")
            elif kind not in ("text", "html"):
                problems.append(f"{where}: {name} type {kind}")
    if len(ids) != len(set(ids)):
        problems.append("duplicate ids")
    return problems


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The test library, plus an achievement listed in two years and a record with hostile Markdown."""
    root = build_library(tmp_path_factory.mktemp("strict") / "repo")
    add_edition(root, "annual", "2026", {
        "published": "2026-11-01", "entries": [{"result": R1, "citation": "连续两年入选：第二代模块实现规模化量产。"}]})
    pub = publication_of(root)
    hostile = dataclasses.replace(pub.record(R2), description=HOSTILE)
    pub = dataclasses.replace(pub, records=tuple(hostile if r.id == R2 else r for r in pub.records))
    return render_feeds(pub, media_sizes())


def test_every_rss_feed_meets_the_strict_rules(files):
    feeds = [path for path in files if path.endswith(".rss.xml")]
    assert len(feeds) == 1 + len(all_kinds()) + 15  # new results, one per edition kind, one per field
    for path in feeds:
        assert check_rss(SITE + path, files[path]) == [], path


def test_every_atom_feed_meets_the_strict_rules(files):
    feeds = [path for path in files if path.endswith(".atom.xml")]
    assert len(feeds) == 1 + len(all_kinds()) + 15  # new results, one per edition kind, one per field
    for path in feeds:
        assert check_atom(SITE + path, files[path]) == [], path


def test_the_hostile_record_was_rendered(files):
    """Guards the two tests above: the hostile description did reach the feeds, sanitized."""
    text = files["feeds/results.rss.xml"].decode("utf-8")
    assert "正文" in text and "点我" in text and "相对链接" in text


def test_rss_checker_catches_what_a_validator_would(files):
    good = files["feeds/results.rss.xml"].decode("utf-8")
    url = SITE + "feeds/results.rss.xml"
    bad_cases = {
        "relative link": good.replace(f"<link>{SITE}results/", "<link>/results/", 1),
        "wrong weekday": good.replace("Thu, 10 Apr 2025", "Fri, 10 Apr 2025", 1),
        "self link": good.replace(f'href="{url}"', f'href="{SITE}feeds/other.xml"'),
        "not a permalink": good.replace('isPermaLink="true"', 'isPermaLink="false"', 1),
        "html title": good.replace("<title>面向", "<title>&lt;b&gt;面向", 1),
        "script": good.replace("&lt;/h3&gt;", "&lt;/h3&gt;&lt;script&gt;x()&lt;/script&gt;", 1),
        "handler": good.replace("&lt;img ", "&lt;img onload=x() ", 1),
        "javascript href": good.replace(f'href="{SITE}results/', 'href="javascript:x()//', 1),
    }
    for name, text in bad_cases.items():
        assert text != good, name
        assert check_rss(url, text.encode("utf-8")), name


def test_atom_checker_catches_what_a_validator_would(files):
    good = files["feeds/annual.atom.xml"].decode("utf-8")
    url = SITE + "feeds/annual.atom.xml"
    first_id = re.search(r"<entry>\s*<id>([^<]*)</id>", good).group(1)
    bad_cases = {
        "duplicate id": good.replace(f"<id>{first_id}</id>", f"<id>{url}</id>", 1),
        "no self": good.replace('rel="self"', 'rel="related"'),
        "bad date": good.replace("<updated>2026-11-01T00:00:00+08:00</updated>", "<updated>2026-11-01</updated>", 1),
        "html as text": good.replace('<summary type="html">', "<summary>", 1).replace(
            "</summary>", "&lt;/b&gt;</summary>", 1),
        "untyped enclosure": good.replace('rel="enclosure" type="image/png"', 'rel="alternate"', 1),
        "no lang": good.replace('xml:lang="zh-CN"', ""),
    }
    for name, text in bad_cases.items():
        assert text != good, name
        assert check_atom(url, text.encode("utf-8")), name
