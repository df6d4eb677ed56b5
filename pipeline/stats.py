"""Figures for the 通报 (statistics) page and the annual list: who reported, and what was released.

A record counts for the city and submitter type of its submitter (报送主体), in the period it entered the
library; "featured", "released" and "listed" count its appearances in editions published in that period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from .model import Achievement, Edition
from .publication import Publication
from .views import entry_day

METRICS = (("entered", "入库成果"), ("featured", "入选月报"), ("released", "季度发布"), ("listed", "年度榜单"))


@dataclass(frozen=True)
class Tally:
    entered: int = 0
    featured: int = 0
    released: int = 0
    listed: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.entered + other.entered, self.featured + other.featured,
                     self.released + other.released, self.listed + other.listed)

    def value(self, metric: str) -> int:
        return getattr(self, metric)


@dataclass(frozen=True)
class Row:
    label: str
    tally: Tally


@dataclass(frozen=True)
class YearFigures:
    year: int
    by_city: tuple[Row, ...]
    by_submitter_type: tuple[Row, ...]
    by_quarter: tuple[Row, ...]
    by_month: tuple[Row, ...]
    by_category: tuple[Row, ...]
    total: Tally
    target_major: int
    target_flagship: int


_EDITION_METRIC = {"monthly": "featured", "quarterly": "released", "annual": "listed"}


def _appearances(pub: Publication, in_period: Callable[[date], bool]) -> dict[str, dict[str, int]]:
    """Record id → metric → how many editions of that kind published in the period include it."""
    counts: dict[str, dict[str, int]] = {}
    editions: tuple[Edition, ...] = pub.editions
    for edition in editions:
        if not in_period(edition.published):
            continue
        for result_id in edition.result_ids:
            per = counts.setdefault(result_id, {})
            metric = _EDITION_METRIC[edition.kind]
            per[metric] = per.get(metric, 0) + 1
    return counts


def _tally(records: list[Achievement], appearances: dict[str, dict[str, int]],
           in_period: Callable[[date], bool]) -> Tally:
    total = Tally()
    for record in records:
        extra = appearances.get(record.id, {})
        total = total + Tally(int(in_period(entry_day(record))), extra.get("featured", 0),
                              extra.get("released", 0), extra.get("listed", 0))
    return total


def _rows(pub: Publication, labels: list[str], key_of: Callable[[Achievement], str],
          in_period: Callable[[date], bool]) -> tuple[Row, ...]:
    appearances = _appearances(pub, in_period)
    groups: dict[str, list[Achievement]] = {label: [] for label in labels}
    for record in pub.records:
        groups.setdefault(key_of(record), []).append(record)
    return tuple(Row(label, _tally(groups[label], appearances, in_period)) for label in groups)


def year_figures(pub: Publication, year: int, targets: dict[str, int]) -> YearFigures:
    in_year = lambda day: day.year == year  # noqa: E731
    vocab = pub.vocab
    by_city = _rows(pub, vocab["cities"].names, lambda r: r.submitter.city, in_year)
    by_type = _rows(pub, vocab["submitter_types"].names, lambda r: r.submitter.type, in_year)
    by_category = _rows(pub, vocab["categories"].names, lambda r: r.category, in_year)
    whole = _rows(pub, ["全省"], lambda r: "全省", in_year)[0].tally
    quarters = tuple(
        Row(f"第{'一二三四'[q - 1]}季度",
            _rows(pub, ["全省"], lambda r: "全省", lambda d, q=q: d.year == year and (d.month - 1) // 3 + 1 == q)[0].tally)
        for q in range(1, 5))
    months = tuple(
        Row(f"{m}月", _rows(pub, ["全省"], lambda r: "全省", lambda d, m=m: d.year == year and d.month == m)[0].tally)
        for m in range(1, 13))
    return YearFigures(year, by_city, by_type, quarters, months, by_category, whole,
                       targets.get("major", 100), targets.get("flagship", 20))


def years_of(pub: Publication) -> list[int]:
    """Every year with an entry or an edition, newest first."""
    years = {entry_day(r).year for r in pub.records} | {e.published.year for e in pub.editions}
    return sorted(years, reverse=True)
