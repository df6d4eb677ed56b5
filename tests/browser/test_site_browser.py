"""The built demo site in a real browser: key pages render at desktop and phone width, load nothing from other
hosts, raise no script or CSP errors, and have no serious accessibility violations (axe-core)."""

from __future__ import annotations


import pytest

from pipeline.model.library import load_library
from pipeline.model.publication import publish
from tests.conftest import DEMO_BUILT_AT, REPO

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 375}


@pytest.fixture(scope="module")
def pub():
    result = load_library(REPO, today=DEMO_BUILT_AT.date(), require_dates=True)
    return publish(result.library, DEMO_BUILT_AT, "https://zlhcg.example.org/", "浙里好成果")


def key_pages(pub) -> dict[str, tuple[str, str]]:
    """name → (URL, text that must be visible)."""
    record = next(r for r in pub.records if r.lead_image)
    monthly, quarterly, annual = (pub.of_kind(k)[0] for k in ("monthly", "quarterly", "annual"))
    field = next(t for t in pub.vocab.fields.terms if any(r.field == t.name for r in pub.records))
    return {
        "home": ("", "最新入库成果"),
        "achievement": (record.url, record.title),
        "monthly": (monthly.url, monthly.display_title),
        "quarterly": (quarterly.url, quarterly.display_title),
        "annual": (annual.url, annual.display_title),
        "browse": (f"browse/field/{field.slug}/", field.name),
        "stats": ("stats/", "统计通报"),
        "search": ("search/?q=芯片", "搜索成果"),
    }


@pytest.fixture(scope="module")
def site_url(demo_site, serve):
    return serve(demo_site)


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("name", ["home", "achievement", "monthly", "quarterly", "annual", "browse", "stats"])
def test_key_pages_render(page, page_log, site_url, pub, name, width):
    url, text = key_pages(pub)[name]
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    response = page.goto(site_url + url)
    assert response.ok
    assert page.get_by_text(text, exact=False).first.is_visible()
    assert page.locator("h1").first.is_visible()
    if width == "phone":  # nothing wider than the screen: no horizontal scrolling on a phone
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{name} scrolls sideways by {overflow}px at 375px"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    assert page_log.requests and all("127.0.0.1" in r for r in page_log.requests)


@pytest.mark.parametrize("name", ["home", "achievement", "monthly", "quarterly", "annual", "browse", "stats", "search"])
def test_no_serious_accessibility_violations(page, site_url, pub, name, serious_violations):
    url, _ = key_pages(pub)[name]
    page.goto(site_url + url)
    assert serious_violations(page) == []


def test_withdrawn_record_shows_its_tombstone(page, site_url, pub):
    record = pub.tombstones[0]
    page.goto(site_url + record.url)
    assert page.get_by_text("撤回原因").is_visible()
    assert page.get_by_text(record.withdrawn.reason, exact=False).is_visible()


def test_monthly_report_prints_without_navigation(page, site_url, pub):
    page.goto(site_url + pub.of_kind("monthly")[0].url)
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator(".zl-distribution").is_visible()


def shown_ids(page, query: str) -> list[str]:
    """Every result id once the search for `query` has settled (all pages of results loaded)."""
    page.wait_for_function(
        """query => new URL(location.href).searchParams.get("q") === query
                 && !["", "正在搜索…"].includes(document.getElementById("zl-search-status").textContent)""",
        arg=query, timeout=15000)
    more = page.locator("#zl-search-more")
    while more.is_visible():
        count = page.locator("#zl-search-results > li").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('#zl-search-results > li').length > {count}")
    return page.locator("#zl-search-results > li").evaluate_all("items => items.map(i => i.dataset.id)")


def demo_queries(pub) -> list[str]:
    """2-, 3- and 4-character queries taken from the demo library: a title, a unit, a person, a field."""
    record = pub.records[0]
    person = next(p.name for r in pub.records for p in r.people if len(p.name) == 3)
    return [record.title[:2], person, record.first_unit.name[:4], record.field[:4], "芯片", "石墨烯", "智能电网"]


def test_search_box_finds_every_matching_record(page, site_url, pub):
    from pipeline.search.index import indexed_text, query_words

    page.goto(site_url)
    page.fill("#zl-home-q", "芯片")
    page.press("#zl-home-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    for query in demo_queries(pub):
        words = query_words(query)
        expected = {r.id for r in pub.records if all(w in indexed_text(r) for w in words)}
        box = page.locator("#zl-search-input")
        box.fill(query)
        box.press("Enter")
        assert set(shown_ids(page, query)) == expected, query


def test_edition_download_block_shows_on_screen_and_not_in_print(page, site_url, pub):
    page.goto(site_url + pub.of_kind("monthly")[0].url)
    block = page.locator(".zl-downloads")
    assert block.is_visible() and block.get_by_role("link", name="PDF").is_visible()
    assert page.request.get(site_url + pub.of_kind("monthly")[0].url
                            + block.get_by_role("link", name="PDF").get_attribute("href")).ok
    page.emulate_media(media="print")
    assert not block.is_visible()
