"""The 报送指南 on a phone: the flow of what happens after submission is text, legible at 375 px (no text under
12 px, nothing wider than the screen), the three ways to submit are buttons, and the page has no serious
accessibility violations."""

from __future__ import annotations

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts" / "screenshots"
SMALLEST_TEXT = """(selector) => {
  const sizes = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (!node.textContent.trim()) continue;
      const element = node.parentElement;
      const style = getComputedStyle(element);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      sizes.push([parseFloat(style.fontSize), node.textContent.trim().slice(0, 20)]);
    }
    for (const element of root.querySelectorAll('*')) {
      const before = getComputedStyle(element, '::before');
      if (before.content && before.content !== 'none' && before.content !== 'normal') {
        sizes.push([parseFloat(before.fontSize), before.content.slice(0, 20)]);
      }
    }
  }
  return sizes;
}"""


@pytest.fixture(scope="module")
def site_url(demo_site, serve):
    return serve(demo_site)


def test_flow_and_ways_are_legible_on_a_phone(page, site_url):
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.goto(site_url + "submit/").ok
    sizes = page.evaluate(SMALLEST_TEXT, ".zl-flow, .zl-ways, article")
    assert len(sizes) > 20
    small = [(size, text) for size, text in sizes if size < 12]
    assert small == [], small
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the guide scrolls sideways by {overflow}px at 375px"
    steps = page.locator("ol.zl-flow > li")
    assert steps.count() == 4
    for i in range(steps.count()):
        box = steps.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.locator("svg image, img.zl-diagram").count() == 0  # no scaled-down picture of text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "submit-phone.png"), full_page=True)


def test_three_ways_are_buttons_and_the_template_downloads(page, site_url):
    page.goto(site_url + "submit/")
    buttons = page.locator(".zl-ways a.md-button")
    labels = [buttons.nth(i).inner_text() for i in range(buttons.count())]
    assert labels == ["打开网页报送表单", "下载 Excel 报送模板", "上传填好的报送表", "技术人员报送说明"]
    with page.expect_download() as download:
        page.get_by_text("下载 Excel 报送模板").click()
    assert download.value.suggested_filename == "zlhcg-template.xlsx"
    assert page.locator("#contact").count() == 0  # no contact is configured for the demo site


def test_submit_guide_has_no_serious_accessibility_violations(page, site_url, serious_violations):
    page.goto(site_url + "submit/")
    assert serious_violations(page) == []
    page.goto(site_url + "submit/git/")
    assert serious_violations(page) == []
