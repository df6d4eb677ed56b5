"""One source of truth for the figures: the numbers on the home page, the statistics page, each annual list
page and the open data (data/figures.json) agree, and an edition counts for the period it honours."""

from __future__ import annotations

import json
import re
from collections import defaultdict


def _shown_figures(site) -> dict[str, set[str]]:
    shown = defaultdict(set)
    for page in ("index.html", "stats/index.html", *(str(p.relative_to(site)) for p in site.glob("annual/*/index.html"))):
        for key, value in re.findall(r'data-zl-figure="([^"]+)">(\d+)<', (site / page).read_text(encoding="utf-8")):
            shown[key].add(value)
    return shown


def test_every_page_shows_the_open_data_figures(demo_site):
    data = json.loads((demo_site / "data" / "figures.json").read_text(encoding="utf-8"))
    expected = {f"{y['year']}-{k}": str(v) for y in data["years"] for k, v in y["total"].items()}

    shown = _shown_figures(demo_site)

    assert shown and all(len(values) == 1 for values in shown.values()), shown
    assert {key: values.pop() for key, values in shown.items()} == {k: expected[k] for k in shown}
    assert any(key.startswith("2025-") for key in shown) and any(key.startswith("2026-") for key in shown)


def test_the_annual_list_counts_for_the_year_it_honours(demo_site):
    data = json.loads((demo_site / "data" / "figures.json").read_text(encoding="utf-8"))
    listed = {y["year"]: y["total"]["flagship"] for y in data["years"]}
    page = (demo_site / "annual" / "2025" / "index.html").read_text(encoding="utf-8")
    entries = page.count('<li class="zl-featured-item"')

    assert listed[2025] == entries == 19
    assert listed.get(2026, 0) == 0
