"""JSON Feed 1.1 beside RSS and Atom, and what a newsroom needs in the items: completers, papers with DOI
links, the list and the position on it, the press contact."""

from __future__ import annotations

import json

import feedparser
import pytest

from pipeline.feeds.render import render_feeds, render_opml, render_subscribe_page
from pipeline.kinds import all_kinds
from tests.test_feeds import FIELD_FEEDS, R1, R2, R2_DOI, SITE, build_library, media_sizes
from tests.factories import publication_of

PRESS = ("联系人：王编辑", "电话：0571-87000000", "电子邮箱：press@example.org")


@pytest.fixture(scope="module")
def pub(tmp_path_factory):
    return publication_of(build_library(tmp_path_factory.mktemp("jsonfeed") / "repo"))


@pytest.fixture(scope="module")
def files(pub):
    return render_feeds(pub, media_sizes(), PRESS)


def json_feeds(files) -> dict[str, dict]:
    return {path: json.loads(data) for path, data in files.items() if path.endswith(".json")}


def test_every_json_feed_has_the_spec_s_required_fields(files):
    feeds = json_feeds(files)
    assert len(feeds) == len([p for p in files if p.endswith(".atom.xml")]) == 1 + len(all_kinds()) + FIELD_FEEDS
    for path, feed in feeds.items():
        assert feed["version"] == "https://jsonfeed.org/version/1.1", path
        assert feed["title"] and feed["language"] == "zh-CN"
        assert feed["feed_url"] == SITE + path and feed["home_page_url"].startswith(SITE)
        assert feed["authors"] and all(a["name"] for a in feed["authors"])
        assert isinstance(feed["items"], list)
        for item in feed["items"]:
            assert isinstance(item["id"], str) and item["id"]
            assert item.get("content_html") or item.get("content_text"), (path, item["id"])


def test_json_feed_items_equal_the_atom_feed_s(files):
    for path, feed in json_feeds(files).items():
        atom = feedparser.parse(files[path.removesuffix(".json") + ".atom.xml"])
        assert [i["id"] for i in feed["items"]] == [e.id for e in atom.entries], path
        assert [i["title"] for i in feed["items"]] == [e.title for e in atom.entries], path
        assert [i["url"] for i in feed["items"]] == [e.link for e in atom.entries], path
        assert [i["date_published"] for i in feed["items"]] == [e.published for e in atom.entries], path
        assert [i["date_modified"] for i in feed["items"]] == [e.updated for e in atom.entries], path


def test_annual_json_feed_carries_the_lead_image_as_an_attachment(files):
    items = json.loads(files["feeds/annual.json"])["items"]
    assert items[1]["attachments"] == [{"url": f"{SITE}results/{R1}/module.png", "mime_type": "image/png",
                                        "size_in_bytes": 48213}]


def test_annual_items_carry_completers_papers_position_and_press_contact(files):
    first, second = json.loads(files["feeds/annual.json"])["items"]
    assert first["id"] == f"{SITE}results/{R2}/"
    assert "榜单第 1 项" in first["content_html"] and "榜单第 2 项" in second["content_html"]
    assert f'<a href="https://doi.org/{R2_DOI}">{R2_DOI}</a>' in first["content_html"]
    assert "Nature Electronics, 2025" in first["content_html"]
    assert "第一完成人：林晓峰（总工程师），甬芯半导体科技有限公司（演示）" in second["content_html"]
    assert "阿不都·热合曼" in second["content_html"]  # every completer, as on the record page
    for item in (first, second):
        assert "<h2>媒体联系</h2>" in item["content_html"] and "press@example.org" in item["content_html"]


def test_quarterly_item_names_each_achievement_s_first_completer_and_the_press(files):
    item = json.loads(files["feeds/quarterly.json"])["items"][0]
    assert "第一完成人：林晓峰" in item["content_html"] and "电话：0571-87000000" in item["content_html"]


def test_no_press_contact_block_when_none_is_set(pub):
    files = render_feeds(pub, media_sizes())
    assert "媒体联系" not in files["feeds/annual.json"].decode("utf-8")


def test_opml_and_subscribe_page_list_the_json_feeds(pub, files):
    opml = render_opml(pub).decode("utf-8")
    assert f'xmlUrl="{SITE}feeds/annual.json"' in opml and "JSON Feed 格式订阅源" in opml
    page = render_subscribe_page(pub)
    for path in (p for p in files if p.endswith(".json")):
        assert f'href="{SITE}{path}" type="application/feed+json"' in page, path
