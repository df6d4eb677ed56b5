"""The typed, immutable model of the library: achievements and editions.

Objects are built in one step from validated data (`from_data`), never filled in over time; facts that come
from elsewhere (git dates) are attached with `dataclasses.replace` when the catalog is assembled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from pipeline.cjk import join_cjk_lines
from pipeline.read.history import Revision
from pipeline.dates import SHANGHAI, parse_date, parse_datetime, start_of_day  # noqa: F401 (re-exported)

def _opt(data: dict, key: str, default=""):
    value = data.get(key)
    return default if value is None else value


@dataclass(frozen=True)
class Unit:
    name: str
    credit_code: str
    type: str
    city: str


@dataclass(frozen=True)
class Person:
    name: str
    unit: str
    role: str
    title: str = ""
    orcid: str = ""


@dataclass(frozen=True)
class Paper:
    title: str
    journal: str
    year: int
    doi: str
    authors: str = ""

    @property
    def url(self) -> str:
        return f"https://doi.org/{self.doi}"


@dataclass(frozen=True)
class Breakthrough:
    bottleneck: str
    replaces: str
    products: tuple[str, ...]
    users: tuple[str, ...]
    output: str


@dataclass(frozen=True)
class Application:
    project: str
    usage: str


@dataclass(frozen=True)
class Submitter:
    name: str
    type: str
    city: str


@dataclass(frozen=True)
class Project:
    name: str
    programme: str
    number: str = ""


@dataclass(frozen=True)
class Patent:
    number: str
    title: str
    status: str


@dataclass(frozen=True)
class Registration:
    """A software copyright or a standard: a number and a title."""

    number: str
    title: str


@dataclass(frozen=True)
class IpStatement:
    confirmed_by: str
    confirmed_on: date


@dataclass(frozen=True)
class Benefit:
    metric: str
    value: float
    unit: str
    period: str = ""

    @property
    def display_value(self) -> str:
        return f"{self.value:g}" if isinstance(self.value, float) else str(self.value)


@dataclass(frozen=True)
class Contact:
    office: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Transfer:
    status: str
    modes: tuple[str, ...] = ()
    contact: Contact | None = None
    market_url: str = ""


@dataclass(frozen=True)
class Media:
    file: str
    alt: str
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True)
class Dated:
    """A dated text entry: progress, or a correction to an edition."""

    date: date
    text: str


@dataclass(frozen=True)
class Evaluation:
    date: date
    type: str
    evaluator: str
    conclusion: str


@dataclass(frozen=True)
class Withdrawal:
    date: date
    reason: str


@dataclass(frozen=True)
class Achievement:
    id: str
    title: str
    summary: str
    description: str
    innovations: tuple[str, ...]
    category: str
    level: str
    highland: str
    field: str
    submitter: Submitter
    units: tuple[Unit, ...]
    people: tuple[Person, ...]
    ip_statement: IpStatement
    source: str  # repository-relative path of the record file
    title_en: str = ""
    papers: tuple[Paper, ...] = ()
    breakthrough: Breakthrough | None = None
    application: Application | None = None
    significance: tuple[str, ...] = ()
    platform: str = ""
    projects: tuple[Project, ...] = ()
    patents: tuple[Patent, ...] = ()
    software: tuple[Registration, ...] = ()
    standards: tuple[Registration, ...] = ()
    benefits: tuple[Benefit, ...] = ()
    transfer: Transfer | None = None
    media: tuple[Media, ...] = ()
    progress: tuple[Dated, ...] = ()
    evaluations: tuple[Evaluation, ...] = ()
    entered_explicit: date | None = None
    publish_at: datetime | None = None
    withdrawn: Withdrawal | None = None
    tags: tuple[str, ...] = ()
    demo: bool = False
    # Attached when the catalog is assembled (explicit `entered` first, then git).
    entered: datetime | None = None
    updated: datetime | None = None
    revisions: tuple[Revision, ...] = field(default=(), compare=False)

    @property
    def url(self) -> str:
        return f"results/{self.id}/"

    @property
    def folder(self) -> str:
        return self.source.rsplit("/", 1)[0]

    @property
    def first_unit(self) -> Unit:
        return self.units[0]

    @property
    def lead_image(self) -> Media | None:
        return self.media[0] if self.media else None

    def is_public(self, at: datetime) -> bool:
        """Published (embargo passed) — withdrawn records are public only as tombstones."""
        return self.publish_at is None or self.publish_at <= at

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn is not None

    @classmethod
    def from_data(cls, data: dict, source: str) -> "Achievement":
        ip = data.get("ip") or {}
        transfer = data.get("transfer")
        breakthrough = data.get("breakthrough")
        application = data.get("application")
        return cls(
            id=data["id"], title=data["title"], summary=join_cjk_lines(data["summary"].strip()),
            description=data["description"],
            innovations=tuple(data["innovations"]), category=data["category"], level=data["level"],
            highland=data["highland"], field=data["field"],
            submitter=Submitter(**data["submitter"]),
            units=tuple(Unit(**u) for u in data["units"]),
            people=tuple(Person(**p) for p in data["people"]),
            ip_statement=IpStatement(data["ip_statement"]["confirmed_by"],
                                     parse_date(data["ip_statement"]["confirmed_on"])),
            source=source,
            title_en=_opt(data, "title_en"),
            papers=tuple(Paper(**p) for p in data.get("papers") or ()),
            breakthrough=Breakthrough(
                breakthrough["bottleneck"], breakthrough["replaces"],
                tuple(breakthrough["industrialization"]["products"]),
                tuple(breakthrough["industrialization"]["users"]),
                breakthrough["industrialization"]["output"]) if breakthrough else None,
            application=Application(**application) if application else None,
            significance=tuple(data.get("significance") or ()),
            platform=_opt(data, "platform"),
            projects=tuple(Project(**p) for p in data.get("projects") or ()),
            patents=tuple(Patent(**p) for p in ip.get("patents") or ()),
            software=tuple(Registration(**s) for s in ip.get("software") or ()),
            standards=tuple(Registration(**s) for s in ip.get("standards") or ()),
            benefits=tuple(Benefit(**b) for b in data.get("benefits") or ()),
            transfer=Transfer(
                transfer["status"], tuple(transfer.get("modes") or ()),
                Contact(**transfer["contact"]) if transfer.get("contact") else None,
                _opt(transfer, "market_url")) if transfer else None,
            media=tuple(Media(**m) for m in data.get("media") or ()),
            progress=tuple(sorted((Dated(parse_date(p["date"]), p["text"]) for p in data.get("progress") or ()),
                                  key=lambda d: d.date)),
            evaluations=tuple(sorted((Evaluation(parse_date(e["date"]), e["type"], e["evaluator"], e["conclusion"])
                                      for e in data.get("evaluations") or ()), key=lambda e: e.date)),
            entered_explicit=parse_date(data["entered"]) if data.get("entered") else None,
            publish_at=parse_datetime(data["publish_at"]) if data.get("publish_at") else None,
            withdrawn=Withdrawal(parse_date(data["withdrawn"]["date"]), data["withdrawn"]["reason"])
            if data.get("withdrawn") else None,
            tags=tuple(data.get("tags") or ()),
            demo=bool(data.get("demo")),
        )
