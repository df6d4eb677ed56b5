"""The typed, immutable model of editions: monthly reports, quarterly releases and annual lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pipeline.dates import parse_date, start_of_day
from pipeline.model.records import Dated, _opt

@dataclass(frozen=True)
class Survey:
    date: date
    by: str
    conclusion: str = ""


@dataclass(frozen=True)
class Featured:
    result_id: str
    note: str
    survey: Survey


@dataclass(frozen=True)
class Released:
    result_id: str
    presenter: str


@dataclass(frozen=True)
class Listed:
    result_id: str
    citation: str


@dataclass(frozen=True)
class Event:
    time: str
    venue: str
    city: str
    organiser: str
    co_hosts: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edition:
    """What every edition has: a key (2025-03, 2025-Q1, 2025), a publication date and a Markdown body."""

    key: str
    published: date
    body: str
    source: str
    title: str = ""
    corrections: tuple[Dated, ...] = ()

    kind = ""  # "monthly", "quarterly", "annual"

    @property
    def url(self) -> str:
        return f"{self.kind}/{self.key}/"

    @property
    def published_at(self) -> datetime:
        return start_of_day(self.published)

    @property
    def updated_at(self) -> datetime:
        """The newest correction's date, or the publication date."""
        return start_of_day(max([self.published, *(c.date for c in self.corrections)]))

    def is_public(self, at: datetime) -> bool:
        return self.published_at <= at

    @property
    def result_ids(self) -> tuple[str, ...]:
        raise NotImplementedError


def _corrections(data: dict) -> tuple[Dated, ...]:
    return tuple(sorted((Dated(parse_date(c["date"]), c["note"]) for c in data.get("corrections") or ()),
                        key=lambda c: c.date))


@dataclass(frozen=True)
class MonthlyReport(Edition):
    issue: int = 0
    serial: int = 0
    featured: tuple[Featured, ...] = ()
    distribution_to: tuple[str, ...] = ()
    distribution_cc: tuple[str, ...] = ()

    kind = "monthly"

    @property
    def year(self) -> int:
        return int(self.key[:4])

    @property
    def month(self) -> int:
        return int(self.key[5:7])

    @property
    def display_title(self) -> str:
        return f"《重大科技成果月报》{self.year}年第{self.issue}期（总第{self.serial}期）"

    @property
    def result_ids(self) -> tuple[str, ...]:
        return tuple(f.result_id for f in self.featured)

    @classmethod
    def from_data(cls, key: str, data: dict, body: str, source: str) -> "MonthlyReport":
        distribution = data["distribution"]
        return cls(
            key=key, published=parse_date(data["published"]), body=body, source=source,
            title=_opt(data, "title"), corrections=_corrections(data),
            issue=data["issue"], serial=data["serial"],
            featured=tuple(Featured(f["result"], f["note"], Survey(parse_date(f["survey"]["date"]), f["survey"]["by"],
                                                                      _opt(f["survey"], "conclusion")))
                           for f in data["featured"]),
            distribution_to=tuple(distribution["to"]), distribution_cc=tuple(distribution.get("cc") or ()),
        )


@dataclass(frozen=True)
class QuarterlyRelease(Edition):
    event: Event | None = None
    released: tuple[Released, ...] = ()

    kind = "quarterly"

    @property
    def year(self) -> int:
        return int(self.key[:4])

    @property
    def quarter(self) -> int:
        return int(self.key[-1])

    @property
    def display_title(self) -> str:
        return self.title

    @property
    def result_ids(self) -> tuple[str, ...]:
        return tuple(r.result_id for r in self.released)

    @classmethod
    def from_data(cls, key: str, data: dict, body: str, source: str) -> "QuarterlyRelease":
        event = data["event"]
        return cls(
            key=key, published=parse_date(data["published"]), body=body, source=source,
            title=data["title"], corrections=_corrections(data),
            event=Event(event["time"], event["venue"], event["city"], event["organiser"],
                        tuple(event.get("co_hosts") or ()), tuple(event.get("activities") or ())),
            released=tuple(Released(r["result"], r["presenter"]) for r in data["released"]),
        )


@dataclass(frozen=True)
class AnnualList(Edition):
    entries: tuple[Listed, ...] = ()

    kind = "annual"

    @property
    def year(self) -> int:
        return int(self.key)

    @property
    def display_title(self) -> str:
        return self.title or f"{self.year}年度“浙里好成果”榜单"

    @property
    def result_ids(self) -> tuple[str, ...]:
        return tuple(e.result_id for e in self.entries)

    @classmethod
    def from_data(cls, key: str, data: dict, body: str, source: str) -> "AnnualList":
        return cls(
            key=key, published=parse_date(data["published"]), body=body, source=source,
            title=_opt(data, "title"), corrections=_corrections(data),
            entries=tuple(Listed(e["result"], e["citation"]) for e in data["entries"]),
        )


EDITION_TYPES: dict[str, type[Edition]] = {
    "monthly": MonthlyReport, "quarterly": QuarterlyRelease, "annual": AnnualList,
}
