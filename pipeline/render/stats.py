"""Figures for the 通报 (statistics) page and the annual list: who reported, and what was released.

A record counts for the city and submitter type of its submitter (报送主体), in the period it entered the
library; each registered edition kind adds a column counting the record's appearances in that kind's editions,
in the period each edition honours (the 2025 annual list counts for 2025, whenever it is published).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Mapping

from pipeline.kinds import all_kinds
from pipeline.model.records import Achievement
from pipeline.model.publication import Publication
from pipeline.model.views import entry_day

def metrics() -> tuple[tuple[str, str], ...]:
    """(key, column title): records entered, then one column per registered edition kind."""
    return (("entered", "入库成果"), *((kind.name, kind.role_label) for kind in all_kinds()))


@dataclass(frozen=True)
class Tally:
    counts: Mapping[str, int] = field(default_factory=dict)

    def __add__(self, other: "Tally") -> "Tally":
        return Tally({k: self.value(k) + other.value(k) for k in {*self.counts, *other.counts}})

    def value(self, metric: str) -> int:
        return self.counts.get(metric, 0)

    @property
    def entered(self) -> int:
        return self.value("entered")

    @property
    def flagship(self) -> int:
        """Appearances on ranked lists (the annual list): what the ~20 flagship target counts."""
        return sum(self.value(k.name) for k in all_kinds() if k.shape == "list")


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


_QUARTERS = "一二三四"


@dataclass(frozen=True)
class _Event:
    """One count: a record entering the library, or appearing in an edition, on a day."""

    record: Achievement
    metric: str
    day: date
    within_quarter: bool = True  # False for an edition honouring a whole year: no month or quarter row


def _events(pub: Publication, year: int) -> list[_Event]:
    events = [_Event(r, "entered", entry_day(r)) for r in pub.records if entry_day(r).year == year]
    for edition in pub.editions:
        start, end = edition.period
        if start.year != year:
            continue
        within_quarter = (end - start).days < 92
        day = min(max(edition.published, start), end)  # published late? it still counts where it belongs
        for result_id in edition.result_ids:
            record = pub.record(result_id)
            if record is not None:
                events.append(_Event(record, edition.kind, day, within_quarter))
    return events


def _rows(labels: list[str], events: list[_Event], key_of: Callable[[_Event], str | None]) -> tuple[Row, ...]:
    counts: dict[str, dict[str, int]] = {label: {} for label in labels}
    for event in events:
        key = key_of(event)
        if key is None:
            continue
        per = counts.setdefault(key, {})
        per[event.metric] = per.get(event.metric, 0) + 1
    return tuple(Row(label, Tally(per)) for label, per in counts.items())


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
        by_quarter=_rows(quarters, events, lambda e: quarters[(e.day.month - 1) // 3] if e.within_quarter else None),
        by_month=_rows(months, events, lambda e: months[e.day.month - 1] if e.within_quarter else None),
        by_category=_rows(vocab["categories"].names, events, lambda e: e.record.category),
        total=_rows(["全省"], events, lambda e: "全省")[0].tally,
        target_major=targets.get("major", 100), target_flagship=targets.get("flagship", 20),
    )


def years_of(pub: Publication) -> list[int]:
    """Every year with an entry or an edition, newest first."""
    years = {entry_day(r).year for r in pub.records} | {e.year for e in pub.editions}
    return sorted(years, reverse=True)


def figures_json(pub: Publication, targets: dict[str, int]) -> bytes:
    """The open-data copy of the statistics page's figures, year by year: the same `year_figures` the
    statistics page, the home page and each list page show (one source of truth)."""
    keys = [key for key, _ in metrics()]

    def counts(tally: Tally) -> dict[str, int]:
        return {key: tally.value(key) for key in keys}

    def rows(rows: tuple[Row, ...]) -> list[dict]:
        return [{"label": row.label, **counts(row.tally)} for row in rows]

    years = []
    for f in (year_figures(pub, y, targets) for y in years_of(pub)):
        years.append({"year": f.year, "total": {**counts(f.total), "flagship": f.total.flagship},
                      "targets": {"major": f.target_major, "flagship": f.target_flagship},
                      "by_category": rows(f.by_category), "by_city": rows(f.by_city),
                      "by_submitter_type": rows(f.by_submitter_type), "by_quarter": rows(f.by_quarter),
                      "by_month": rows(f.by_month)})
    return (json.dumps({"metrics": dict(metrics()), "years": years}, ensure_ascii=False, indent=1) + "\n").encode()
