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
from pipeline.kinds import all_kinds
from pipeline.model.editions import Edition
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
    by_kind: dict[str, tuple[Edition, ...]]  # kind name → published editions, newest key first

    @cached_property
    def by_id(self) -> dict[str, Achievement]:
        return {r.id: r for r in self.records}

    def record(self, record_id: str) -> Achievement | None:
        return self.by_id.get(record_id)

    def of_kind(self, kind: str) -> tuple[Edition, ...]:
        return self.by_kind.get(kind, ())

    @property
    def editions(self) -> tuple[Edition, ...]:
        """Every published edition, kind by kind in registry order."""
        return tuple(e for kind in all_kinds() for e in self.of_kind(kind.name))

    def neighbours(self, edition: Edition) -> tuple[Edition | None, Edition | None]:
        """(previous, next) edition of the same kind, by key."""
        same = self.of_kind(edition.kind)  # newest first
        index = next(i for i, e in enumerate(same) if e.key == edition.key)
        return (same[index + 1] if index + 1 < len(same) else None, same[index - 1] if index > 0 else None)

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

    @cached_property
    def has_demo_records(self) -> bool:
        return any(r.demo for r in (*self.records, *self.tombstones))


def publish(library: Library, built_at: datetime, site_url: str, site_name: str) -> Publication:
    visible = [r for r in library.records if r.is_public(built_at)]
    records = sorted((r for r in visible if not r.is_withdrawn), key=_newest_first, reverse=True)
    tombstones = sorted((r for r in visible if r.is_withdrawn), key=lambda r: r.id)
    editions = [e for e in library.editions if e.is_public(built_at)]

    by_kind = {kind.name: tuple(sorted((e for e in editions if e.kind == kind.name), key=lambda e: e.key, reverse=True))
               for kind in all_kinds()}
    return Publication(built_at, site_url, site_name, library.vocab, library.schemas, tuple(records),
                       tuple(tombstones), by_kind)
