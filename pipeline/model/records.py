"""The typed, immutable model of the library: achievements and editions.

Objects are built in one step from validated data (`from_data`), never filled in over time; facts that come
from elsewhere (git dates) are attached with `dataclasses.replace` when the catalog is assembled.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from pipeline.check.patents import read_cn_patent

from pipeline.cjk import join_cjk_lines
from pipeline.read.history import Revision
from pipeline.dates import SHANGHAI, parse_date, parse_datetime, start_of_day  # noqa: F401 (re-exported)

def _opt(data: dict, key: str, default=""):
    value = data.get(key)
    return default if value is None else value


class ReadOnlyData(dict):
    """A record's data as read, refusing changes. (Unlike MappingProxyType it pickles, so records can go to the
    search index's worker process.)"""

    def _refuse(self, *args, **kwargs):
        raise TypeError("成果数据只读")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __reduce__(self):
        return ReadOnlyData, (dict(self),)


@dataclass(frozen=True)
class Unit:
    name: str
    type: str
    credit_code: str = ""  # mainland units only
    city: str = ""  # mainland units only
    region: str = ""  # Hong Kong, Macao, Taiwan or abroad
    country: str = ""  # for region 国外

    @property
    def is_mainland(self) -> bool:
        return not self.region

    @property
    def key(self) -> str:
        """The unit's URL key: its credit code, or for a unit outside the mainland a stable key from its name."""
        if self.credit_code:
            return self.credit_code
        return "abroad-" + hashlib.sha256(self.name.encode("utf-8")).hexdigest()[:10]

    @property
    def location(self) -> str:
        """城市, or 香港特别行政区, or 国外（德国）."""
        if self.is_mainland:
            return self.city
        return f"{self.region}（{self.country}）" if self.country else self.region


@dataclass(frozen=True)
class Person:
    name: str
    units: tuple[str, ...]
    role: str
    title: str = ""
    orcid: str = ""

    @property
    def unit(self) -> str:
        """The first of the person's units (most code wants one)."""
        return self.units[0]


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
    number: str  # as written
    title: str
    status: str
    office: str = ""  # foreign and PCT patents only

    @property
    def canonical(self) -> str:
        """A Chinese number in its one layout (ZL202110123456.7); a foreign one as written, after its office."""
        if self.office and self.office != "CN":
            return self.number if self.number.upper().startswith(self.office) else f"{self.office} {self.number}"
        read = read_cn_patent(self.number)
        return read.canonical if read else self.number


@dataclass(frozen=True)
class Award:
    name: str
    year: int
    grade: str = ""
    certificate: str = ""
    other_name: str = ""

    @property
    def display_name(self) -> str:
        return self.other_name or self.name


@dataclass(frozen=True)
class Certificate:
    kind: str
    number: str
    title: str = ""
    date: date | None = None


@dataclass(frozen=True)
class Benchmark:
    claim: str
    source: str
    url: str
    date: date | None = None


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
    amount: float
    unit: str
    period: str = ""
    qualifier: str = ""
    basis: str = ""

    @property
    def display_value(self) -> str:
        """约 53.7, 超过 100: the qualifier, then the number."""
        number = f"{self.amount:g}" if isinstance(self.amount, float) else str(self.amount)
        return f"{self.qualifier} {number}" if self.qualifier else number


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
    schema_version: str
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
    field_note: str = ""
    papers: tuple[Paper, ...] = ()
    breakthrough: Breakthrough | None = None
    application: Application | None = None
    significance: tuple[str, ...] = ()
    awards: tuple[Award, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()
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
    # The record as the schema describes it (values typed by the schema): what the open data publishes, so a
    # field the model does not show still reaches results.json.
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def forget_data(self) -> None:
        """Drops the record as read, once the open data is made: the rest of a build reads the typed model only,
        and the nested dictionaries and lists of every record are about 650,000 objects at 10,000 records. The
        one change made to a record after it is built, by the build that owns it."""
        object.__setattr__(self, "data", ReadOnlyData())

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
        unknown = set(data) - RECORD_KEYS
        if unknown:  # the schema gained a field the model was not taught: fail loudly, never drop it
            raise ValueError(f"record fields the model does not know: {sorted(unknown)}")
        ip = data.get("ip") or {}
        transfer = data.get("transfer")
        breakthrough = data.get("breakthrough")
        application = data.get("application")
        return cls(
            schema_version=data["schema_version"], id=data["id"], title=data["title"], summary=join_cjk_lines(data["summary"].strip()),
            description=data["description"],
            innovations=tuple(data["innovations"]), category=data["category"], level=data["level"],
            highland=data["highland"], field=data["field"],
            submitter=Submitter(**data["submitter"]),
            units=tuple(Unit(**u) for u in data["units"]),
            people=tuple(Person(**{**p, "units": tuple(p["units"])}) for p in data["people"]),
            ip_statement=IpStatement(data["ip_statement"]["confirmed_by"],
                                     parse_date(data["ip_statement"]["confirmed_on"])),
            source=source,
            title_en=_opt(data, "title_en"), field_note=_opt(data, "field_note"),
            papers=tuple(Paper(**p) for p in data.get("papers") or ()),
            breakthrough=Breakthrough(
                breakthrough["bottleneck"], breakthrough["replaces"],
                tuple(breakthrough["industrialization"]["products"]),
                tuple(breakthrough["industrialization"]["users"]),
                breakthrough["industrialization"]["output"]) if breakthrough else None,
            application=Application(**application) if application else None,
            significance=tuple(data.get("significance") or ()),
            awards=tuple(Award(**a) for a in data.get("awards") or ()),
            certificates=tuple(Certificate(**{**c, "date": parse_date(c["date"]) if c.get("date") else None})
                               for c in data.get("certificates") or ()),
            benchmarks=tuple(Benchmark(**{**b, "date": parse_date(b["date"]) if b.get("date") else None})
                             for b in data.get("benchmarks") or ()),
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
            data=ReadOnlyData(data),
        )


RECORD_KEYS = frozenset({
    "schema_version", "id", "title", "title_en", "summary", "description", "innovations", "category", "papers",
    "breakthrough", "application", "awards", "certificates", "benchmarks", "level", "significance", "highland",
    "field", "field_note", "submitter", "units", "people", "platform", "projects", "ip", "ip_statement",
    "benefits", "transfer", "media", "progress", "evaluations", "entered", "publish_at", "withdrawn", "tags", "demo",
})
