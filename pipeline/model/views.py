"""Views over the public library: a month, a quarter, a year, a field, a city … are value types that know their
key, label, URL and records. Built once from a Publication; renderers only read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

from pipeline.model.records import Achievement
from pipeline.kinds import EditionKind, all_kinds
from pipeline.model.editions import MonthlyReport
from pipeline.model.publication import Publication
from pipeline.check.vocab import Term

PAGE_SIZE = 50


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    records: tuple[Achievement, ...]
    report: MonthlyReport | None = None

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    kind: EditionKind | None = None  # the monthly-report kind whose folder the month pages live in

    @property
    def url(self) -> str:
        return self.kind.url(self.key)


@dataclass(frozen=True)
class Facet:
    """One browse group: records sharing a field, a city, a category, a unit type or a unit."""

    kind: str  # "highland", "field", "city", "category", "unit-type", "unit"
    key: str  # URL key: a vocabulary slug, or a unit's credit code
    label: str
    records: tuple[Achievement, ...]
    parent: str = ""  # a field's highland

    @property
    def url(self) -> str:
        return f"browse/{self.kind}/{self.key}/"

    def pages(self, size: int = PAGE_SIZE) -> list["Listing"]:
        return paginate(self.url, self.records, size)


@dataclass(frozen=True)
class Listing:
    """One page of a paged index."""

    base_url: str
    number: int  # 1-based
    count: int  # pages in all
    records: tuple[Achievement, ...]
    total: int

    @property
    def url(self) -> str:
        return self.base_url if self.number == 1 else f"{self.base_url}{self.number}/"

    def url_of(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}{number}/"

    def pager_numbers(self) -> list[int | None]:
        """The pages the pager links, in order, None where it skips some: the first and the last, this page and
        the two either side, and the pages 10, 100, 1,000… away, so that any page is a few clicks from any other.
        A link to every page grew with the square of the library: at 100,000 records a category's 986 pages each
        carried a 64 KB pager, 450 MiB in all."""
        wanted = {1, self.count, *range(self.number - 2, self.number + 3)}
        jump = 10
        while jump < self.count:
            wanted |= {self.number - jump, self.number + jump}
            jump *= 10
        numbers: list[int | None] = []
        previous = 0
        for number in sorted(n for n in wanted if 1 <= n <= self.count):
            if number == previous + 2:
                numbers.append(previous + 1)  # "…" in place of a single page would hide it for nothing
            elif number > previous + 2:
                numbers.append(None)
            numbers.append(number)
            previous = number
        return numbers


def paginate(base_url: str, records: tuple[Achievement, ...], size: int = PAGE_SIZE) -> list[Listing]:
    count = max(1, -(-len(records) // size))
    return [Listing(base_url, n + 1, count, records[n * size:(n + 1) * size], len(records)) for n in range(count)]


def entry_day(record: Achievement) -> date:
    return record.entered.date()


def monthly_kind() -> EditionKind | None:
    """The kind whose editions are monthly reports: its folder also holds a page for every month."""
    return next((k for k in all_kinds() if k.shape == "monthly-report"), None)


def group_by_month(pub: Publication) -> list[Month]:
    """Every month with entries or a report, newest first (none without a monthly-report kind)."""
    kind = monthly_kind()
    if kind is None:
        return []
    by_key: dict[tuple[int, int], list[Achievement]] = {}
    for record in pub.records:
        day = entry_day(record)
        by_key.setdefault((day.year, day.month), []).append(record)
    reports = {(r.year, r.month): r for r in pub.of_kind(kind.name)}
    keys = sorted(set(by_key) | set(reports), reverse=True)
    return [Month(y, m, tuple(by_key.get((y, m), ())), reports.get((y, m)), kind) for y, m in keys]


def _facets(kind: str, terms: Iterable[Term], key_of: Callable[[Achievement], Iterable[str]],
            records: Iterable[Achievement]) -> list[Facet]:
    members: dict[str, list[Achievement]] = {}
    for record in records:
        for name in dict.fromkeys(key_of(record)):
            members.setdefault(name, []).append(record)
    return [Facet(kind, t.slug, t.name, tuple(members.get(t.name, ())), t.parent) for t in terms]


def browse_facets(pub: Publication) -> dict[str, list[Facet]]:
    """All browse groups by kind, in vocabulary order (units: by record count, then name)."""
    vocab, records = pub.vocab, pub.records
    cities = [t for t in vocab["cities"].terms if t.slug != "provincial"]
    facets = {
        "highland": _facets("highland", vocab.highlands.terms, lambda r: [r.highland], records),
        "field": _facets("field", vocab.fields.terms, lambda r: [r.field], records),
        "city": _facets("city", cities, lambda r: [u.city for u in r.units], records),
        "category": _facets("category", vocab["categories"].terms, lambda r: [r.category], records),
        "unit-type": _facets("unit-type", vocab["unit_types"].terms, lambda r: [u.type for u in r.units], records),
    }
    facets["unit"] = unit_facets(records)
    return facets


def unit_facets(records: Iterable[Achievement]) -> list[Facet]:
    names: dict[str, str] = {}
    members: dict[str, list[Achievement]] = {}
    for record in records:
        for unit in record.units:
            names.setdefault(unit.key, unit.name)
            group = members.setdefault(unit.key, [])
            if not group or group[-1] is not record:
                group.append(record)
    facets = [Facet("unit", code, names[code], tuple(group)) for code, group in members.items()]
    return sorted(facets, key=lambda f: (-len(f.records), f.label))


def records_in_year(pub: Publication, year: int) -> tuple[Achievement, ...]:
    return tuple(r for r in pub.records if entry_day(r).year == year)
