"""The typed, immutable model of editions. Which kinds exist is data (`pipeline/kinds.yaml`); each kind has a
`shape`, bound here to one class: a monthly report, a release event (quarterly releases, thematic releases and
roadshows share it), or a ranked list (the annual list).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from pipeline.dates import SHANGHAI, parse_date, start_of_day
from pipeline.kinds import EditionKind, kind_of
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
class Financing:
    amount: float  # 万元
    stage: str = ""


@dataclass(frozen=True)
class Seeking:
    """What an achievement presented at an event looks for: cooperation modes and financing."""

    modes: tuple[str, ...] = ()
    financing: Financing | None = None
    note: str = ""


@dataclass(frozen=True)
class Released:
    result_id: str
    presenter: str
    seeking: Seeking | None = None


@dataclass(frozen=True)
class Listed:
    result_id: str
    citation: str


@dataclass(frozen=True)
class Event:
    """Where and when a release event is held, and by whom (shared by every `release`-shaped kind)."""

    time: str
    venue: str
    city: str
    organiser: str
    co_hosts: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()
    end_time: str = ""


@dataclass(frozen=True)
class Outcome:
    """A result reported after an event (signed projects, amounts), added through a correction."""

    text: str
    projects: int | None = None
    amount: float | None = None  # 亿元


@dataclass(frozen=True)
class Edition:
    """What every edition has: its kind, a key (2025-03, 2025-Q1, 2025, 2026-05-18-x), a publication date and a
    Markdown body. `items` are the list the kind's registry entry names (featured, released, entries)."""

    kind: str
    key: str
    published: date
    body: str
    source: str
    title: str = ""
    corrections: tuple[Dated, ...] = ()
    items: tuple = ()

    @property
    def kind_info(self) -> EditionKind:
        return kind_of(self.kind)

    @property
    def url(self) -> str:
        return self.kind_info.url(self.key)

    @property
    def period(self) -> tuple[date, date]:
        """The period the edition honours (its month, quarter or year; an event's day), whenever published."""
        return self.kind_info.key.period(self.key)

    @property
    def year(self) -> int:
        return self.period[0].year

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
        return tuple(item.result_id for item in self.items)

    def item_for(self, result_id: str):
        return next((item for item in self.items if item.result_id == result_id), None)

    def position_of(self, result_id: str) -> int:
        """1-based position of a record in the edition's list (0 when absent)."""
        return next((i for i, item in enumerate(self.items, 1) if item.result_id == result_id), 0)

    @property
    def display_title(self) -> str:
        return self.title or self.kind_info.title_format.format(year=self.year) or f"{self.kind_info.noun} {self.key}"


def _corrections(data: dict) -> tuple[Dated, ...]:
    return tuple(sorted((Dated(parse_date(c["date"]), c["note"]) for c in data.get("corrections") or ()),
                        key=lambda c: c.date))


def _common(kind: str, key: str, data: dict, body: str, source: str) -> dict:
    return {"kind": kind, "key": key, "published": parse_date(data["published"]), "body": body, "source": source,
            "title": _opt(data, "title"), "corrections": _corrections(data)}


@dataclass(frozen=True)
class MonthlyReport(Edition):
    issue: int = 0
    serial: int = 0
    distribution_to: tuple[str, ...] = ()
    distribution_cc: tuple[str, ...] = ()

    @property
    def month(self) -> int:
        return self.period[0].month

    @property
    def featured(self) -> tuple[Featured, ...]:
        return self.items

    @property
    def display_title(self) -> str:
        return f"《重大科技成果月报》{self.year}年第{self.issue}期（总第{self.serial}期）"

    @classmethod
    def from_data(cls, kind: str, key: str, data: dict, body: str, source: str) -> "MonthlyReport":
        distribution = data["distribution"]
        items = kind_of(kind).items
        return cls(
            **_common(kind, key, data, body, source), issue=data["issue"], serial=data["serial"],
            items=tuple(Featured(f["result"], f["note"], Survey(parse_date(f["survey"]["date"]), f["survey"]["by"],
                                                                _opt(f["survey"], "conclusion")))
                        for f in data[items]),
            distribution_to=tuple(distribution["to"]), distribution_cc=tuple(distribution.get("cc") or ()),
        )


def _seeking(data: dict | None) -> Seeking | None:
    if not data:
        return None
    financing = data.get("financing")
    return Seeking(tuple(data.get("modes") or ()),
                   Financing(financing["amount"], _opt(financing, "stage")) if financing else None, _opt(data, "note"))


@dataclass(frozen=True)
class Release(Edition):
    """A release event: the quarterly release, a thematic release, a roadshow, a matchmaking meeting."""

    event: Event | None = None
    type: str = ""  # 专题发布 / 路演 / 成果对接会 (events); empty for the quarterly release
    theme: str = ""
    fields: tuple[str, ...] = ()
    held_on: date | None = None  # the event's day; the publication date when not given
    outcomes: tuple[Outcome, ...] = ()

    @property
    def released(self) -> tuple[Released, ...]:
        return self.items

    @property
    def day(self) -> date:
        return self.held_on or self.published

    @property
    def starts_at(self) -> datetime:
        hours, minutes = (int(part) for part in self.event.time.split(":"))
        return datetime.combine(self.day, time(hours, minutes), SHANGHAI)

    @property
    def ends_at(self) -> datetime:
        """The stated end, or two hours after the start (a release event's usual length)."""
        if self.event.end_time:
            hours, minutes = (int(part) for part in self.event.end_time.split(":"))
            return datetime.combine(self.day, time(hours, minutes), SHANGHAI)
        return self.starts_at + timedelta(hours=2)

    def is_upcoming(self, at: datetime) -> bool:
        return self.starts_at > at

    @classmethod
    def from_data(cls, kind: str, key: str, data: dict, body: str, source: str) -> "Release":
        event = data["event"]
        items = kind_of(kind).items
        return cls(
            **_common(kind, key, data, body, source),
            event=Event(event["time"], event["venue"], event["city"], event["organiser"],
                        tuple(event.get("co_hosts") or ()), tuple(event.get("activities") or ()),
                        _opt(event, "end_time")),
            items=tuple(Released(r["result"], r["presenter"], _seeking(r.get("seeking"))) for r in data[items]),
            type=_opt(data, "type"), theme=_opt(data, "theme"), fields=tuple(data.get("fields") or ()),
            held_on=parse_date(data["date"]) if data.get("date") else None,
            outcomes=tuple(Outcome(o["text"], o.get("projects"), o.get("amount")) for o in data.get("outcomes") or ()),
        )


@dataclass(frozen=True)
class RankedList(Edition):
    """A list in ranked order, such as the annual list of flagship achievements."""

    @property
    def entries(self) -> tuple[Listed, ...]:
        return self.items

    @classmethod
    def from_data(cls, kind: str, key: str, data: dict, body: str, source: str) -> "RankedList":
        items = kind_of(kind).items
        return cls(**_common(kind, key, data, body, source),
                   items=tuple(Listed(e["result"], e["citation"]) for e in data[items]))


SHAPE_TYPES: dict[str, type[Edition]] = {"monthly-report": MonthlyReport, "release": Release, "list": RankedList}


def edition_from_data(kind: str, key: str, data: dict, body: str, source: str) -> Edition:
    return SHAPE_TYPES[kind_of(kind).shape].from_data(kind, key, data, body, source)
