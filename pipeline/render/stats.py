"""Figures for the 通报 (statistics) page and the annual list: who reported, and what was released.

A record counts for the city and submitter type of its submitter (报送主体), in the period it entered the
library; "featured", "released" and "listed" count its appearances in editions *honouring* that period — the
2025 annual list counts for 2025 even when it is published in January 2026, a monthly report for its month, a
quarterly release for its quarter. This module is the one source of these figures: the statistics page, the
annual list page, the home page and the open data (`data/figures.json`) all read `year_figures`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Callable

from pipeline.model.records import Achievement
from pipeline.model.publication import Publication
from pipeline.model.views import entry_day

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
_QUARTERS = "一二三四"


@dataclass(frozen=True)
class _Event:
    """One count: a record entering the library, or appearing in an edition, on a day."""

    record: Achievement
    metric: str
    day: date


def honoured_day(edition) -> date:
    """The day an edition counts on: its month's first day (月报), its quarter's first day (季度发布), the last
    day of its year (年度榜单 honour the whole year). A kind without a period of its own counts when published."""
    year = getattr(edition, "year", None)
    if year is None:
        return edition.published
    if hasattr(edition, "month"):
        return date(year, edition.month, 1)
    if hasattr(edition, "quarter"):
        return date(year, 3 * edition.quarter - 2, 1)
    return date(year, 12, 31)


def _events(pub: Publication, year: int) -> list[_Event]:
    events = [_Event(r, "entered", entry_day(r)) for r in pub.records if entry_day(r).year == year]
    for edition in pub.editions:
        day = honoured_day(edition)
        if day.year == year and edition.kind in _EDITION_METRIC:
            for result_id in edition.result_ids:
                record = pub.record(result_id)
                if record is not None:
                    events.append(_Event(record, _EDITION_METRIC[edition.kind], day))
    return events


def _rows(labels: list[str], events: list[_Event], key_of: Callable[[_Event], str]) -> tuple[Row, ...]:
    counts: dict[str, dict[str, int]] = {label: {} for label in labels}
    for event in events:
        per = counts.setdefault(key_of(event), {})
        per[event.metric] = per.get(event.metric, 0) + 1
    return tuple(Row(label, Tally(**per)) for label, per in counts.items())


def year_figures(pub: Publication, year: int, targets: dict[str, int]) -> YearFigures:
    """One pass over the year's events, whatever the size of the library."""
    events = _events(pub, year)
    vocab = pub.vocab
    quarters = [f"第{q}季度" for q in _QUARTERS]
    months = [f"{m}月" for m in range(1, 13)]
    return YearFigures(
        year,
        by_city=_rows(vocab["cities"].names, events, lambda e: e.record.submitter.city),
        by_submitter_type=_rows(vocab["submitter_types"].names, events, lambda e: e.record.submitter.type),
        by_quarter=_rows(quarters, events, lambda e: quarters[(e.day.month - 1) // 3]),
        by_month=_rows(months, events, lambda e: months[e.day.month - 1]),
        by_category=_rows(vocab["categories"].names, events, lambda e: e.record.category),
        total=_rows(["全省"], events, lambda e: "全省")[0].tally,
        target_major=targets.get("major", 100), target_flagship=targets.get("flagship", 20),
    )


def years_of(pub: Publication) -> list[int]:
    """Every year with an entry or an edition, newest first."""
    years = {entry_day(r).year for r in pub.records} | {honoured_day(e).year for e in pub.editions}
    return sorted(years, reverse=True)


def figures_json(pub: Publication, targets: dict[str, int]) -> bytes:
    """The open-data copy of the statistics page's figures, year by year."""
    def rows(rows: tuple[Row, ...]) -> list[dict]:
        return [{"label": row.label, **vars(row.tally)} for row in rows]

    years = []
    for f in (year_figures(pub, y, targets) for y in years_of(pub)):
        years.append({"year": f.year, "total": vars(f.total), "targets": {"major": f.target_major,
                      "flagship": f.target_flagship}, "by_category": rows(f.by_category),
                      "by_city": rows(f.by_city), "by_submitter_type": rows(f.by_submitter_type),
                      "by_quarter": rows(f.by_quarter), "by_month": rows(f.by_month)})
    return (json.dumps({"metrics": dict(METRICS), "years": years}, ensure_ascii=False, indent=1) + "\n").encode()
