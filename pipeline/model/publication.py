"""What is public at build time: the one input of every renderer (pages, feeds, search, exports).

Embargoed records and editions (publication time later than the build time) are not in it at all, so no
renderer can leak them. Withdrawn records are kept apart as tombstones: they keep their page, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from pipeline.model.library import Library
from pipeline.model.records import Achievement
from pipeline.model.editions import AnnualList, Edition, MonthlyReport, QuarterlyRelease
from pipeline.check.schemas import Schemas
from pipeline.check.vocab import Vocabularies


def _newest_first(record: Achievement) -> tuple:
    return (record.entered, record.id)


@dataclass(frozen=True)
class Publication:
    built_at: datetime
    site_url: str  # absolute, ending in "/"
    site_name: str
    vocab: Vocabularies
    schemas: Schemas
    records: tuple[Achievement, ...]  # public and not withdrawn, newest entry first
    tombstones: tuple[Achievement, ...]  # public and withdrawn
    monthly: tuple[MonthlyReport, ...]  # published, newest first
    quarterly: tuple[QuarterlyRelease, ...]
    annual: tuple[AnnualList, ...]

    @cached_property
    def by_id(self) -> dict[str, Achievement]:
        return {r.id: r for r in self.records}

    def record(self, record_id: str) -> Achievement | None:
        return self.by_id.get(record_id)

    @property
    def editions(self) -> tuple[Edition, ...]:
        return (*self.monthly, *self.quarterly, *self.annual)

    def absolute(self, url: str) -> str:
        """`results/x/` → `https://site/results/x/`."""
        return self.site_url + url.lstrip("/")

    @cached_property
    def appearances(self) -> dict[str, tuple[Edition, ...]]:
        """Record id → the published editions it appears in, oldest first."""
        found: dict[str, list[Edition]] = {}
        for edition in sorted(self.editions, key=lambda e: (e.published, e.kind, e.key)):
            for result_id in edition.result_ids:
                found.setdefault(result_id, []).append(edition)
        return {k: tuple(v) for k, v in found.items()}

    @property
    def has_demo_records(self) -> bool:
        return any(r.demo for r in (*self.records, *self.tombstones))


def publish(library: Library, built_at: datetime, site_url: str, site_name: str) -> Publication:
    visible = [r for r in library.records if r.is_public(built_at)]
    records = sorted((r for r in visible if not r.is_withdrawn), key=_newest_first, reverse=True)
    tombstones = sorted((r for r in visible if r.is_withdrawn), key=lambda r: r.id)
    editions = [e for e in library.editions if e.is_public(built_at)]

    def of(kind: type) -> tuple:
        return tuple(sorted((e for e in editions if isinstance(e, kind)), key=lambda e: e.key, reverse=True))

    return Publication(built_at, site_url, site_name, library.vocab, library.schemas, tuple(records),
                       tuple(tombstones), of(MonthlyReport), of(QuarterlyRelease), of(AnnualList))
