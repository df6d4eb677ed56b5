"""Leaner pages (issue 18): no template indentation, the lean template with the sections in its tabs only outside
the navigation, one description meta, no page for a unit with a single record — and nothing a reader uses goes
missing."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.model.library import load_library
from pipeline.model.publication import publish
from pipeline.model.views import PAGE_SIZE, group_by_month, unit_facets
from pipeline.render.page_editions import render_month
from pipeline.render.pages import Lookups
from pipeline.render.dedent import dedent
from pipeline.web.html_compact import compact_html
from tests.conftest import DEMO_BUILT_AT, REPO

# Measured on the demo library with the lean template, whose sections are in the tabs only (largest record page
# 20.4 KB: 32.0 KB before issue 18, 25.6 KB with Material's template, 24.0 KB with a drawer of sections beside the
# tabs, 22.3 KB with the icons and Material's storage helpers inline and every feed named in two formats, 21.0 KB
# with a class on every tab and badge; largest browse page 22.0 KB, was 29.4, 28.1, 26.4 and, with a class on every
# part of a card, 25.3 KB); the bound leaves room for ordinary growth of the templates, not for any of those coming
# back.
RECORD_PAGE_BUDGET = 21_000
BROWSE_PAGE_BUDGET = 23_000


@pytest.fixture(scope="module")
def pub():
    result = load_library(REPO, today=DEMO_BUILT_AT.date(), require_dates=True)
    return publish(result.library, DEMO_BUILT_AT, "https://zlhcg.example.org/", "浙里好成果")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- compact_html -------------------------------------------------------------------------------------------

def test_indentation_and_blank_lines_become_one_line_break():
    assert compact_html("<ul>\n    <li>\n      甲\n    </li>\n\n\n  </ul>\n") == "<ul>\n<li>\n甲\n</li>\n</ul>\n"


@pytest.mark.parametrize("element", ["pre", "textarea", "script", "style", "code", "kbd"])
def test_whitespace_that_may_matter_is_kept_byte_for_byte(element):
    kept = f'<{element} class="x">\n    a\n\n      b\n</{element}>'
    assert compact_html(f"<div>\n    {kept}\n  </div>") == f"<div>\n{kept}\n</div>"


def test_tags_spanning_lines_and_non_html_spaces_are_kept():
    tag = '<meta content="第一行\n    第二行">'
    assert compact_html(f"<head>\n  {tag}\n</head>") == f"<head>\n{tag}\n</head>"
    assert compact_html("<p>甲\u3000\u00a0乙</p>") == "<p>甲\u3000\u00a0乙</p>"  # ideographic and no-break spaces are text


def test_built_pages_carry_little_indentation(demo_site):
    for page in (demo_site / "results").glob("*/index.html"):
        html = re.sub(r"<(pre|script|style|code|kbd|textarea)\b.*?</\1>", "", read(page), flags=re.S)
        indented = re.findall(r"\n[ \t]+", html)  # only where a template line follows a block tag
        assert sum(map(len, indented)) < len(html) // 100, page
    home = read(demo_site / "index.html")  # pages in the navigation are compacted whole
    assert compact_html(home) == home


def test_dedented_templates_keep_every_line_break():
    source = "<p>\n    {{ a }}\n    {% if b %}\n      <b>x</b>\n    {% endif %}\n</p>"
    assert dedent(source) == "<p>\n{{ a }}\n{% if b %}\n<b>x</b>\n{% endif %}\n</p>"
    # under trim_blocks the break after a tag goes: the indentation after it is the space that stays
    assert dedent(source, trim_blocks=True) == "<p>\n{{ a }}\n{% if b %}\n      <b>x</b>\n{% endif %}\n</p>"


def test_dedenting_changes_no_rendered_whitespace():
    from jinja2 import DictLoader, Environment

    from pipeline.render.dedent import DedentLoader

    templates = {"t": "<td>\n  {% if a %}\n    甲\n  {% endif %}\n  <b>乙</b>{% if a %}\n  丙{% endif %}\n  丁\n</td>"}
    for trim in (False, True):
        plain = Environment(loader=DictLoader(templates), trim_blocks=trim, lstrip_blocks=trim)
        dedented = Environment(loader=DedentLoader(DictLoader(templates), trim), trim_blocks=trim, lstrip_blocks=trim)
        words = lambda html: re.sub(r"[ \t\n]+", " ", html)
        assert words(dedented.get_template("t").render(a=True)) == words(plain.get_template("t").render(a=True))


def test_theme_templates_are_safe_to_dedent():
    """Dedenting would change a `pre` or `textarea` in a template: the theme and the overrides have none."""
    import material

    for folder in (Path(material.__file__).parent / "templates", REPO / "overrides",
                   REPO / "pipeline" / "render" / "templates"):
        for template in folder.rglob("*.html"):
            assert not re.search(r"<(pre|textarea)\b", template.read_text(encoding="utf-8")), template


# --- the built demo site ------------------------------------------------------------------------------------

def _sidebar(html: str) -> str:
    return re.search(r'<div class="md-sidebar md-sidebar--primary".*?(?=<div class="md-sidebar md-sidebar--secondary")',
                     html, re.S).group(0)


def _tab_links(html: str) -> list[str]:
    tabs = re.search(r'<nav class="md-tabs".*?</nav>', html, re.S).group(0)
    return re.findall(r'href="([^"]+)"', tabs)


def test_a_record_page_carries_the_sections_once_in_its_tabs(demo_site, pub):
    record = pub.records[0]
    html = read(demo_site / record.url / "index.html")
    home = read(demo_site / "index.html")
    # every section the home page's tabs offer, from two folders deeper
    assert _tab_links(html) == ["../.." if href == "." else f"../../{href}" for href in _tab_links(home)]
    assert "md-nav" not in _sidebar(html) and 'for="__drawer"' not in html.replace('class="md-overlay" for="__drawer"', "")
    assert "zl-logo--always" in html  # on a phone the logo stays where the drawer's button was
    assert html.count("<meta name=\"Description\"") == 1 and 'name="description"' not in html


def test_pages_in_the_navigation_keep_the_full_tree_and_its_drawer(demo_site):
    html = read(demo_site / "submit" / "index.html")
    assert "submit/fields/" in _sidebar(html) or "fields/" in _sidebar(html)
    assert '<label class="md-header__button md-icon" for="__drawer">' in html and "zl-logo--always" not in html


def test_page_weight_stays_under_budget(demo_site):
    records = [p.stat().st_size for p in (demo_site / "results").glob("*/index.html")]
    browse = [p.stat().st_size for p in (demo_site / "browse").rglob("index.html")]
    assert max(records) <= RECORD_PAGE_BUDGET, max(records)
    assert max(browse) <= BROWSE_PAGE_BUDGET, max(browse)


def test_a_single_record_unit_is_listed_and_reaches_its_record(demo_site, pub):
    units = unit_facets(pub.records)
    single = [u for u in units if len(u.records) == 1]
    several = [u for u in units if len(u.records) > 1]
    assert single and several, "the demo library has both kinds of unit"
    index = "".join(read(p) for p in (demo_site / "browse" / "unit").glob("**/index.html")
                    if re.fullmatch(r"\d*", p.parent.name) or p.parent.name == "unit")
    for unit in single:
        assert not (demo_site / unit.url).exists(), unit.label
        record = unit.records[0]
        assert re.search(rf'<a href="(\.\./)+{re.escape(record.url)}">{re.escape(unit.label)}</a>', index), unit.label
        assert f'href="../../{unit.url}"' not in read(demo_site / record.url / "index.html")
        assert unit.label in read(demo_site / record.url / "index.html")
    for unit in several:
        page = read(demo_site / unit.url / "index.html")
        assert all(r.title in page for r in unit.records[:10]), unit.label
        assert re.search(rf'<a href="(\.\./)+{re.escape(unit.url)}">{re.escape(unit.label)}</a>', index), unit.label


def test_shared_chrome_carries_each_pages_own_title_and_contents(demo_site):
    """The header and the contents list are rendered once per folder or kind of page: each page still shows
    its own title, and its contents list points at headings that page has."""
    for path in [*(demo_site / "results").glob("*/index.html"), *(demo_site / "browse").rglob("index.html")]:
        html = read(path)
        title = re.search(r"<title>(.*?) - 浙里好成果</title>", html).group(1)
        topic = re.search(r'data-md-component="header-topic">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', html).group(1)
        assert topic == title, path
        contents = re.search(r'data-md-component="toc".*?</ul>', html, re.S)
        for anchor in re.findall(r'href="#([^"]+)"', contents.group(0) if contents else ""):
            assert f'id="{anchor}"' in html, (path, anchor)


def _cards(html: str) -> list[str]:
    cards = re.search(r'<ul class="zl-cards">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r"<li>.*?</li>", cards, re.S)


_BARE_CARD = re.compile(
    r'<li><a href="[^"]+">[^<]+</a>'  # the title: the item's first link
    r'<span class="zl-badges">(?:<a class="[a-z-]+" href="[^"]+">[^<]+</a>|<span class="[a-z-]+">[^<]+</span>)*</span>'
    r'<p>[^<]+(?:<time datetime="[0-9-]+">[^<]+</time>入库)?</p>'  # the units: its first paragraph
    r'(?:<p class="zl-card-summary">[^<]+</p>)?(?:<p class="zl-card-note">[^<]+</p>)?</li>')


def test_cards_and_lean_tabs_leave_to_css_what_their_place_says(demo_site, pub):
    """At ten thousand records there are 65,000 cards and 13,000 rows of tabs: a class on each of their parts cost
    20 MiB. site.css finds a card's title and units, and a tab, by their place; a badge's one class is its kind."""
    record = pub.records[0]
    look = Lookups(pub.vocab)
    html = read(demo_site / record.url / "index.html")
    tabs = re.search(r'<ul class="md-tabs__list">(.*?)</ul>', html, re.S).group(1)
    assert tabs.count("<li><a href=") >= 8 and "class=" not in tabs
    assert '<span class="zl-badges"><a class="category-' in html and 'class="highland"' in html
    for facet, value in (("field", record.field), ("city", record.first_unit.city)):
        cards = _cards(read(demo_site / look.facet_url(facet, value) / "index.html"))
        assert cards and all(_BARE_CARD.fullmatch(card) for card in cards), facet
    css = read(REPO / "site" / "assets" / "zlhcg" / "site.css")
    for rule in ("ul.zl-cards > li > a:first-child {", ".zl-badges > .level {", ".md-tabs__list > li > a {"):
        assert rule in css


def test_lists_of_who_show_brief_cards_and_lists_of_what_keep_the_summary(demo_site, pub):
    """A city's, unit type's or unit's list shows brief cards (a record is on several of them); a field's or
    category's list keeps the summary and drops only the badge every card on it would repeat."""
    record = pub.records[0]
    look = Lookups(pub.vocab)
    city_page = read(demo_site / look.facet_url("city", record.first_unit.city) / "index.html")
    field_page = read(demo_site / look.facet_url("field", record.field) / "index.html")
    category_page = read(demo_site / look.facet_url("category", record.category) / "index.html")
    for page in (city_page, field_page, category_page):
        assert f'href="../../../{record.url}"' in page  # every list still reaches the record
    brief = [c for c in _cards(city_page) if record.url in c]
    assert brief and all("zl-card-summary" not in c and 'class="level"' not in c for c in _cards(city_page))
    assert record.field in brief[0] and record.first_unit.name in brief[0]
    for page, repeated in ((field_page, 'class="field"'), (category_page, 'class="category-')):
        cards = _cards(page)
        assert cards and all("zl-card-summary" in c and repeated not in c for c in cards)
    assert all('class="category-' in c for c in _cards(field_page))


# --- the lean template (overrides/zl-lean.html) ---------------------------------------------------------------

def _components(html: str) -> set[str]:
    return set(re.findall(r'data-md-component="([a-z-]+)"', html))


def _config(html: str) -> dict:
    return json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html).group(1))


def test_pages_outside_the_navigation_keep_every_part_the_theme_script_looks_for(demo_site, pub):
    """Record, browse and edition pages are not made by Material's base.html: they must still carry each element
    Material's script looks up on a page in the navigation, its configuration and its script, and the head of
    a government page — but not the content-tabs script or the search translations they have no use for."""
    home = read(demo_site / "index.html")
    look = Lookups(pub.vocab)
    lean_pages = {"record": pub.records[0].url, "browse": look.facet_url("field", pub.records[0].field),
                  "edition": pub.of_kind("monthly")[0].url}
    for name, url in lean_pages.items():
        html = read(demo_site / url / "index.html")
        assert _components(home) <= _components(html), (name, _components(home) - _components(html))
        config = _config(html)
        assert config["base"] == "/".join([".."] * url.count("/")), (name, config["base"])  # the site root
        assert config["features"] == _config(home)["features"], name
        for asset in re.findall(r'(?:href|src)="((?:\.\./)+assets/[^"]+)"', html):
            assert (demo_site / url / asset).resolve().is_file(), (name, asset)
        for government_meta in ("SiteName", "SiteIDCode", "ColumnName", "Description"):
            assert f'<meta name="{government_meta}"' in html, (name, government_meta)
        assert "__tabbed_" not in html and "search.result" not in html, name
        assert "__tabbed_" in home


def test_the_lean_template_links_the_files_materials_own_template_links():
    """Material's file names carry a fingerprint that changes with each release: the lean template looks them up
    and must find the very files Material's base.html links."""
    import material

    from pipeline.web.mkdocs_plugin import theme_assets

    templates = Path(material.__file__).parent / "templates"
    linked = set(re.findall(r"'(assets/(?:stylesheets|javascripts)/(?:main|palette|bundle)\.[0-9a-f]+\.min\.(?:css|js))'",
                            (templates / "base.html").read_text(encoding="utf-8")))
    found = theme_assets([str(REPO / "overrides"), str(templates)])
    assert {*found["stylesheets"], found["script"]} == linked and len(linked) == 3


def test_a_theme_without_its_files_stops_the_build_with_a_message(tmp_path):
    from mkdocs.exceptions import PluginError

    from pipeline.web.mkdocs_plugin import theme_assets

    with pytest.raises(PluginError, match="主题文件 assets/stylesheets/main"):
        theme_assets([str(tmp_path)])


def test_a_month_past_a_browse_pages_worth_of_entries_lists_them_as_brief_cards(pub):
    """At 100,000 records a month has ~830 entries on one page: full cards made it 690 KB. Past PAGE_SIZE the
    entries are brief cards (still one per record); a province's ~10 a month keep their summaries."""
    months = group_by_month(pub)
    for month in (next(m for m in months if m.report), next(m for m in months if not m.report)):
        html = render_month(month, pub).html
        cards = _cards(html)
        assert len(cards) == len(month.records) and all("zl-card-summary" in c for c in cards)
        busy = replace(month, records=(pub.records * 2)[:PAGE_SIZE + 1])
        cards = _cards(render_month(busy, pub).html)
        assert len(cards) == PAGE_SIZE + 1
        assert all(_BARE_CARD.fullmatch(c) and "zl-card-summary" not in c for c in cards)
