"""Pages outside the navigation are made by the lean template and carry the sections only
(tests/test_page_weight.py): on a phone, where the tabs are hidden, the drawer must still take a reader to every
section, and Material's script still works on them."""

from __future__ import annotations

import pytest

from tests.browser.test_site_browser import pub, site_url  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.browser


def test_phone_drawer_on_a_record_page_reaches_every_section(page, site_url, pub):  # noqa: F811
    record = pub.records[0]
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_url + record.url)
    assert not page.locator(".md-tabs").is_visible()  # phones have no tabs: the drawer is the way round
    page.locator('label.md-header__button[for="__drawer"]').click()
    drawer = page.locator(".md-sidebar--primary")
    sections = page.locator(".md-tabs__link").all_inner_texts()
    assert len(sections) >= 8
    for title in sections:
        link = drawer.get_by_role("link", name=title.strip(), exact=True)
        assert link.is_visible(), title
    drawer.get_by_role("link", name="开放数据", exact=True).click()
    page.wait_for_url("**/data/")
    assert page.locator("h1").first.is_visible()


def test_desktop_record_page_shows_tabs_and_its_contents(page, site_url, pub):  # noqa: F811
    record = pub.records[0]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + record.url)
    assert page.locator(".md-tabs").is_visible()
    assert page.locator('.md-sidebar--secondary a[href="#people"]').is_visible()


def test_material_script_runs_on_a_record_page(page, site_url, pub):  # noqa: F811
    """The lean template hands Material's script what it needs: the page switches to "js", and the back-to-top
    button (navigation.top) appears when the reader scrolls back up a long record page."""
    record = pub.records[0]
    page.set_viewport_size({"width": 1280, "height": 500})
    page.goto(site_url + record.url)
    page.wait_for_function("document.documentElement.classList.contains('js')")
    assert page.locator(".md-top[hidden]").count() == 1  # Material hides it with the attribute, shown by script
    page.mouse.wheel(0, 4000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -400)
    page.locator(".md-top:not([hidden])").wait_for(timeout=5000)
    page.locator(".md-top").click()
    page.wait_for_function("window.scrollY === 0")
