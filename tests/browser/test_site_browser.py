"""The built demo site in a real browser: key pages render at desktop and phone width, load nothing from other
hosts, raise no script or CSP errors, and have no serious accessibility violations (axe-core)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.library import load_library
from pipeline.publication import publish
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
    monthly, quarterly, annual = pub.monthly[0], pub.quarterly[0], pub.annual[0]
    field = next(t for t in pub.vocab.fields.terms if any(r.field == t.name for r in pub.records))
    return {
        "home": ("", "最新入库成果"),
        "achievement": (record.url, record.title),
        "monthly": (monthly.url, monthly.display_title),
        "quarterly": (quarterly.url, quarterly.display_title),
        "annual": (annual.url, annual.display_title),
        "browse": (f"browse/field/{field.slug}/", field.name),
        "stats": ("stats/", "统计通报"),
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


AXE = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"


@pytest.mark.parametrize("name", ["home", "achievement", "monthly", "quarterly", "annual", "browse", "stats"])
def test_no_serious_accessibility_violations(page, site_url, pub, name):
    url, _ = key_pages(pub)[name]
    page.goto(site_url + url)
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the browser, not injected: the page CSP stays on
    result = page.evaluate("async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))")
    violations = [v for v in json.loads(result)["violations"] if v["impact"] in ("serious", "critical")]
    assert not violations, [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in violations]


def test_withdrawn_record_shows_its_tombstone(page, site_url, pub):
    record = pub.tombstones[0]
    page.goto(site_url + record.url)
    assert page.get_by_text("撤回原因").is_visible()
    assert page.get_by_text(record.withdrawn.reason, exact=False).is_visible()


def test_monthly_report_prints_without_navigation(page, site_url, pub):
    page.goto(site_url + pub.monthly[0].url)
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator(".zl-distribution").is_visible()
