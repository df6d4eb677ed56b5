"""search.js in Chromium: typed queries give exactly the records a substring search over the library gives,
in the order of the Python reference reader, fetching exactly the files the reference says a query needs.

The site is served under a sub-path (/zlhcg/) with a strict Content-Security-Policy, as a real deployment may be.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pytest

from pipeline.search.index import build_search_index, indexed_text, query_words
from pipeline.search.page import render_search_page
from pipeline.search.query import SearchIndex, first_page
from tests.corpus import generate_records, publication_with
from tests.factories import REPO, new_id

pytestmark = pytest.mark.browser

ASSETS = REPO / "site" / "assets" / "zlhcg"
SUB_PATH = "zlhcg/"
HOSTILE_TITLE = '<img src=x onerror="window.pwned=1">芯片封装<b>测试</b>'
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'">
<title>搜索成果</title><link rel="icon" href="data:,"><link rel="stylesheet" href="../assets/zlhcg/search.css">
</head><body>
{fragment}
<script src="../assets/zlhcg/search.js"></script>
</body></html>
"""


@dataclass(frozen=True)
class Site:
    url: str  # of the search page
    pub: object
    files: dict

    def truth(self, query: str) -> set[str]:
        words = query_words(query)
        return {r.id for r in self.pub.records if words and all(w in indexed_text(r) for w in words)}

    def reference(self, query: str) -> list[str]:
        return SearchIndex(self.files).search(query)


@pytest.fixture(scope="module")
def site(tmp_path_factory, serve) -> Site:
    records = generate_records(300, seed=3)
    hostile = dataclasses.replace(records[0], id=new_id(9999), title=HOSTILE_TITLE)
    pub = publication_with((*records, hostile))
    # Small files, so 300 records already use every kind of index file (shards, big keys, pieces).
    files = build_search_index(pub, shard_bytes=8192, big_bytes=2048, piece_bytes=2048)
    kinds = {path.split("/")[1] for path in files}
    assert kinds >= {"b", "u", "d", "p", "m"}, kinds
    www = tmp_path_factory.mktemp("www")
    root = www / SUB_PATH
    for path, content in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(content)
    (root / "assets" / "zlhcg").mkdir(parents=True)
    for name in ("search.js", "search.css"):
        shutil.copy(ASSETS / name, root / "assets" / "zlhcg" / name)
    (root / "search" / "index.html").write_text(PAGE.format(fragment=render_search_page(pub)), encoding="utf-8")
    return Site(serve(www) + SUB_PATH + "search/", pub, files)


def around_hottest_bigram(site: Site, before: int, length: int) -> str:
    """A query of `length` characters that has the bigram with the most postings at offset `before`."""
    big = json.loads(site.files["search/manifest.json"])["big"]
    pair = max((k for k in big if len(k) == 2), key=lambda k: big[k][1])
    for record in site.pub.records:
        text = indexed_text(record)
        at = text.find(pair)
        while at >= 0:
            query = text[max(0, at - before):at - before + length]
            if len(query) == length and not set(query) & {" ", "\n"}:
                return query
            at = text.find(pair, at + 1)
    raise AssertionError(pair)


def wait_for_results(page, query: str) -> str:
    """Waits until the search for `query` (as the URL records it) has finished; returns the status line."""
    page.wait_for_function(
        """query => new URL(location.href).searchParams.get("q") === query
                 && !["", "正在搜索…"].includes(document.getElementById("zl-search-status").textContent)""",
        arg=" ".join(query.split()), timeout=15000)
    return page.locator("#zl-search-status").text_content()


def shown_ids(page) -> list[str]:
    return page.locator("#zl-search-results > li").evaluate_all("items => items.map(i => i.dataset.id)")


def all_ids(page) -> list[str]:
    """Clicks 显示更多 until every result is listed."""
    more = page.locator("#zl-search-more")
    while more.is_visible():
        count = len(shown_ids(page))
        more.click()
        page.wait_for_function("n => document.querySelectorAll('#zl-search-results > li').length > n", arg=count)
    return shown_ids(page)


def type_query(page, query: str) -> str:
    box = page.locator("#zl-search-input")
    box.fill("")
    box.press_sequentially(query, delay=30)
    return wait_for_results(page, query)


@pytest.mark.parametrize("before, length", [(1, 4), (5, 12)])
def test_query_from_the_url_fetches_exactly_the_needed_files(site, page, page_log, before, length):
    query = around_hottest_bigram(site, before, length)
    page.goto(site.url + "?q=" + quote(query))
    status = wait_for_results(page, query)
    assert page.locator("#zl-search-input").input_value() == query
    expected = site.reference(query)
    assert status == f"找到 {len(expected)} 项包含“{query}”的成果"
    assert shown_ids(page) == expected[:20]
    index_base = urlsplit(site.url).path
    fetched = {"search/" + urlsplit(u).path[len(index_base):] + (f"?{urlsplit(u).query}" if urlsplit(u).query else "")
               for u in page_log.requests if urlsplit(u).path.startswith(index_base) and urlsplit(u).path.endswith(".json")}
    assert fetched == first_page(site.files, query).urls  # each file with its own content version
    assert {path.split("/")[1] for path in fetched} >= {"d", "p", "m", "t"}
    assert set(all_ids(page)) == site.truth(query)


def test_typed_queries_of_two_three_and_four_characters(site, page):
    page.goto(site.url)
    person = next(p.name for r in site.pub.records for p in r.people if len(p.name) == 3)
    unit = site.pub.records[40].units[0].name
    passage = indexed_text(site.pub.records[7]).split("\n")[3][10:22]  # 12 characters of a description
    hot = [around_hottest_bigram(site, 0, 3), around_hottest_bigram(site, 5, 12)]  # big keys, pieces
    for query in ["芯片", "石墨烯", "智能电网", person, unit, "芯片 石墨烯", "ＧＲＩＤ", "芯", "的", passage, *hot]:
        expected = site.reference(query)
        assert set(expected) == site.truth(query) and expected, query
        shown = query if len(query) <= 20 else query[:20] + "…"
        assert type_query(page, query) == f"找到 {len(expected)} 项包含“{' '.join(shown.split())}”的成果", query
        assert all_ids(page) == expected, query


def test_no_results_message(site, page):
    page.goto(site.url)
    assert type_query(page, "鹦鹉螺纹理") == "没有找到包含“鹦鹉螺纹理”的成果"
    assert shown_ids(page) == []
    assert page.locator("#zl-search-more").is_hidden()
    assert page.locator("#zl-search-tips").is_visible()
    assert "错别字" in page.locator("#zl-search-tips").text_content()


def test_a_long_query_is_shortened_in_the_status_line(site, page):
    page.goto(site.url)
    pasted = "鹦鹉螺纹理" * 40
    box = page.locator("#zl-search-input")
    box.fill(pasted)
    box.press("Enter")
    status = wait_for_results(page, pasted)
    assert status == f"没有找到包含“{pasted[:20]}…”的成果"


def test_a_result_says_where_the_query_matched(site, page):
    record = next(r for r in site.pub.records if r.people and r.people[0].name not in r.title + r.summary)
    person = record.people[0].name
    page.goto(site.url + "?q=" + quote(person))
    wait_for_results(page, person)
    hit = page.locator(f"#zl-search-results > li[data-id='{record.id}']")
    match = hit.locator(".zl-search-hit__match")
    match.wait_for(state="visible")
    assert match.locator(".zl-search-hit__field").text_content() == "完成人："
    assert match.locator("mark").first.text_content() == person
    assert hit.locator(".zl-search-hit__summary").is_hidden()  # the matched passage takes its place
    assert hit.locator("time").text_content() == (
        f"{record.entered.year}年{record.entered.month}月{record.entered.day}日入库")


def test_results_show_metadata_links_and_highlights(site, page):
    page.goto(site.url + "?q=" + quote("石墨烯"))
    wait_for_results(page, "石墨烯")
    first = page.locator("#zl-search-results > li").first
    record = site.pub.by_id[first.get_attribute("data-id")]
    link = first.locator("a.zl-search-hit__title")
    assert link.text_content() == record.title
    assert link.get_attribute("href") == urlsplit(site.url)._replace(path=f"/{SUB_PATH}results/{record.id}/").geturl()
    assert first.locator(".zl-badges > span").text_content() == record.category
    assert first.locator("time").get_attribute("datetime") == record.entered.date().isoformat()
    assert first.locator(".zl-search-hit__unit").text_content() == record.units[0].name
    marks = page.locator("#zl-search-results mark").all_text_contents()
    assert marks and set(marks) == {"石墨烯"}


def test_titles_are_text_never_markup(site, page):
    page.goto(site.url)
    type_query(page, "芯片封装")
    hostile = page.locator(f"#zl-search-results > li[data-id='{new_id(9999)}'] a")
    assert hostile.text_content() == HOSTILE_TITLE
    assert page.locator("#zl-search-results img, #zl-search-results b").count() == 0
    assert page.evaluate("window.pwned") is None


def test_clearing_the_box_clears_results_and_url(site, page):
    page.goto(site.url + "?q=" + quote("芯片"))
    wait_for_results(page, "芯片")
    page.locator("#zl-search-input").fill("")
    page.wait_for_function("() => !new URL(location.href).searchParams.has('q')")
    page.wait_for_function("() => document.querySelectorAll('#zl-search-results > li').length === 0")
    assert page.locator("#zl-search-status").text_content() == ""


def test_enter_searches_without_waiting_and_without_reloading(site, page):
    page.goto(site.url)
    page.evaluate("window.samePage = true")
    page.locator("#zl-search-input").fill("石墨烯")
    page.locator("#zl-search-input").press("Enter")
    assert wait_for_results(page, "石墨烯").startswith("找到")
    assert page.evaluate("window.samePage") is True


def test_missing_index_says_so(tmp_path, serve, browser):
    """A broken deployment shows a Chinese message instead of hanging on 正在搜索…."""
    (tmp_path / "search").mkdir()
    (tmp_path / "assets" / "zlhcg").mkdir(parents=True)
    shutil.copy(ASSETS / "search.js", tmp_path / "assets" / "zlhcg" / "search.js")
    shutil.copy(ASSETS / "search.css", tmp_path / "assets" / "zlhcg" / "search.css")
    pub = publication_with(generate_records(1))
    (tmp_path / "search" / "index.html").write_text(PAGE.format(fragment=render_search_page(pub)), encoding="utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(serve(tmp_path) + "search/?q=" + quote("芯片"))
        assert wait_for_results(page, "芯片") == "搜索索引加载失败，请检查网络后重试。"
    finally:
        context.close()


def test_search_page_with_results_has_no_serious_accessibility_violations(site, page, serious_violations):
    page.goto(site.url + "?q=" + quote("芯片"))
    wait_for_results(page, "芯片")
    assert serious_violations(page) == []
