"""Pages outside the navigation are made by the lean template and carry the sections once, in the tabs
(tests/test_page_weight.py): on a phone the tabs are a row that scrolls sideways and must take a reader to every
section, and Material's script still works on them."""

from __future__ import annotations

import pytest

from tests.browser.test_site_browser import pub, site_url  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


def test_phone_tabs_on_a_record_page_reach_every_section(page, site_url, pub):  # noqa: F811
    record = pub.records[0]
    page.set_viewport_size(PHONE)
    page.goto(site_url + record.url)
    tabs = page.locator(".md-tabs")
    assert tabs.is_visible()
    assert page.locator('label[for="__drawer"].md-header__button').count() == 0  # no drawer to open
    assert page.locator(".md-header .md-logo").is_visible()  # the way home that the drawer's button displaced
    sections = tabs.locator(".md-tabs__list > li > a")
    titles = [t.strip() for t in sections.all_inner_texts()]
    assert len(titles) >= 8 and "开放数据" in titles
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") == width  # the row scrolls, not the page
    for title in titles:
        link = tabs.get_by_role("link", name=title, exact=True)
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert link.is_visible() and box and 0 <= box["x"] and box["x"] + box["width"] <= width, title
    tabs.get_by_role("link", name="开放数据", exact=True).click()
    page.wait_for_url("**/data/")
    assert page.locator("h1").first.is_visible()


def test_phone_drawer_on_a_page_in_the_navigation_still_opens(page, site_url):  # noqa: F811
    """Pages in the navigation keep the drawer with the whole tree (sub-pages such as 字段说明), beside the tabs."""
    page.set_viewport_size(PHONE)
    page.goto(site_url + "submit/")
    assert page.locator(".md-tabs").is_visible()
    page.locator('label.md-header__button[for="__drawer"]').click()
    drawer = page.locator(".md-sidebar--primary")
    drawer.get_by_role("link", name="字段说明", exact=True).wait_for(state="visible")


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


def test_header_icon_and_theme_storage_come_from_files(page, site_url, pub):  # noqa: F811
    """The search icon is painted from icons/magnify.svg in the header's text colour, and Material's storage
    helpers (assets/zlhcg/theme-scope.js) key what they keep by the site's root, as the inline original did:
    what one page saves, a page in another folder reads."""
    from io import BytesIO

    from PIL import Image

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + pub.records[0].url)
    page.wait_for_function("document.documentElement.classList.contains('js')")
    icon = page.locator(".md-header .zl-icon--search")
    box = icon.bounding_box()
    assert box and round(box["width"]) == round(box["height"]) == 24
    shot = Image.open(BytesIO(icon.screenshot())).convert("L")
    light = sum(shot.histogram()[200:]) / (shot.width * shot.height)
    assert 0.1 < light < 0.6  # a white glyph on the red header: neither a blank nor a filled square
    assert "arrow-up.svg" in page.evaluate(
        "getComputedStyle(document.querySelector('.md-top .zl-icon')).webkitMaskImage")

    assert page.evaluate("__md_scope.href") == site_url
    page.evaluate("__md_set('__zl_probe', 42)")
    page.goto(site_url + "browse/")
    assert page.evaluate("__md_get('__zl_probe')") == 42


def test_bare_cards_and_tabs_are_styled_by_their_place(page, site_url, pub):  # noqa: F811
    """Cards and the lean tabs carry no class on their parts (tests/test_page_weight.py): site.css must still make
    a card's title bold and plain, its badges coloured pills on a line of their own, and the tabs undimmed."""
    from pipeline.render.pages import Lookups

    record = pub.records[0]
    page.set_viewport_size(PHONE)
    page.goto(site_url + Lookups(pub.vocab).facet_url("field", record.field))
    styles = page.evaluate("""() => {
        const card = document.querySelector("ul.zl-cards > li");
        const [title, badges, units] = card.children;
        const style = e => getComputedStyle(e);
        const category = badges.querySelector("[class^=category-]");
        const tab = document.querySelector(".md-tabs__list > li > a");
        return {
            cardBorder: style(card).borderTopStyle, cardMarker: style(card).listStyleType,
            titleWeight: style(title).fontWeight, titleLine: style(title).textDecorationLine,
            badgesBelowTitle: badges.getBoundingClientRect().top >= title.getBoundingClientRect().bottom,
            unitsBelowBadges: units.getBoundingClientRect().top >= badges.getBoundingClientRect().bottom,
            badgeRadius: parseFloat(style(category).borderTopLeftRadius), badgeLine: style(category).textDecorationLine,
            badgeBackground: style(category).backgroundColor,
            tabOpacity: style(tab).opacity, tabSize: style(tab).fontSize, tabDisplay: style(tab).display,
        };
    }""")
    assert styles["cardBorder"] == "solid" and styles["cardMarker"] == "none"
    assert styles["titleWeight"] == "700" and styles["titleLine"] == "none"
    assert styles["badgesBelowTitle"] and styles["unitsBelowBadges"]
    assert styles["badgeRadius"] > 5 and styles["badgeLine"] == "none"
    assert styles["badgeBackground"] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    assert styles["tabOpacity"] == "1" and styles["tabSize"] == "14px" and styles["tabDisplay"] == "flex"
