"""Browse pages: the browse index, one paged index per field, city, category, unit type and unit."""

from __future__ import annotations

from typing import Iterator

from pipeline.render.pages import Lookups, RenderedPage, deferred, render
from pipeline.model.publication import Publication
from pipeline.model.views import Facet, paginate

FACET_TITLES = {
    "highland": "科创高地", "field": "战略领域", "city": "城市", "category": "成果类别", "unit-type": "单位类型",
    "unit": "完成单位",
}
UNITS_PER_PAGE = 100
TOP_UNITS = 30
# A unit's page would repeat its record's card when it has only one: most units at provincial scale. Such a
# unit stays on the unit index, linked straight to its record (see unit_index.html).
UNIT_PAGE_MIN_RECORDS = 2
# Lists of who did the work show brief cards (no summary, level or significance). A record is on one list of
# each kind — city, unit type, unit — for each of its units' values, so these lists repeat it most; the lists of
# what it is about (field, category, highland) keep the full card.
BRIEF_CARD_FACETS = frozenset({"city", "unit-type", "unit"})


def has_own_page(facet: Facet) -> bool:
    return facet.kind != "unit" or len(facet.records) >= UNIT_PAGE_MIN_RECORDS


def unit_page_keys(units: list[Facet]) -> frozenset[str]:
    return frozenset(f.key for f in units if has_own_page(f))


def render_browse_index(pub: Publication, facets: dict[str, list[Facet]]) -> RenderedPage:
    highlands = [(h, [f for f in facets["field"] if f.parent == h.label]) for h in facets["highland"]]
    groups = [(kind, f"按{FACET_TITLES[kind]}", facets[kind]) for kind in ("city", "category", "unit-type")]
    html = render("browse_index.html", "browse/", highlands=highlands, groups=groups, total=len(pub.records),
                  top_units=facets["unit"][:TOP_UNITS], unit_count=len(facets["unit"]), has_page=has_own_page)
    return RenderedPage("browse/", "成果浏览", html, description="按战略领域、城市、类别、单位类型和完成单位浏览重大科技成果。",
                        feeds=("results",))


def _heading(facet: Facet) -> str:
    if facet.kind == "city":
        return f"{facet.label}的成果"
    return f"{FACET_TITLES[facet.kind]}：{facet.label}"


# What a browse page lists, where a reader could misread it: a city's page lists every record with a completing
# unit in that city, so a card whose first unit is elsewhere is expected, not a mistake.
FACET_EXPLANATIONS = {
    "city": "本页列出完成单位中至少有一家位于{label}的成果，所以部分成果的第一完成单位可能在其他城市。",
    "unit-type": "本页列出完成单位中至少有一家属于“{label}”的成果。",
    "unit": "本页列出{label}作为完成单位之一参与完成的成果。",
}


def render_facet(facet: Facet, pub: Publication, facets: dict[str, list[Facet]]) -> Iterator[RenderedPage]:
    children = [f for f in facets["field"] if f.parent == facet.label] if facet.kind == "highland" else []
    look = Lookups(pub.vocab, listed_facet=facet.kind, brief=facet.kind in BRIEF_CARD_FACETS)
    feeds = ("results", f"field:{facet.key}") if facet.kind == "field" else ("results",)
    for listing in facet.pages():
        html = deferred("facet.html", listing.url, heading=_heading(facet), listing=listing, children=children,
                        look=look, explanation=FACET_EXPLANATIONS.get(facet.kind, "").format(label=facet.label))
        title = _heading(facet) + (f"（第 {listing.number} 页）" if listing.number > 1 else "")
        yield RenderedPage(listing.url, title, html, description=f"{_heading(facet)}，共 {len(facet.records)} 项重大科技成果。",
                           feeds=feeds, hide=("toc",), shown_feeds=feeds[1:])


def render_unit_index(units: list[Facet]) -> Iterator[RenderedPage]:
    pages = paginate("browse/unit/", tuple(units), UNITS_PER_PAGE)  # type: ignore[arg-type]
    for page in pages:
        html = render("unit_index.html", page.url, units=page.records, total=len(units), number=page.number,
                      count=page.count, unit_page_url=page.url_of, has_page=has_own_page)
        yield RenderedPage(page.url, "完成单位" + (f"（第 {page.number} 页）" if page.number > 1 else ""), html,
                           description="全省重大科技成果库的完成单位。", hide=("toc",))
