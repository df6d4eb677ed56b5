"""The registry of edition kinds (月报, 季度发布, 专题发布与路演, 年度榜单 …), read from `kinds.yaml`.

Every stage that needs to know which kinds exist loops over `all_kinds()` instead of naming them: the source
finder, git history, schemas, the model, pages and indexes, timelines, statistics, feeds and calendars,
exports, the sitemap and the navigation. The registry is plain data (no model classes), so the lowest stages
may read it; the model binds each `shape` to its typed class.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources

import yaml


@dataclass(frozen=True)
class KeyFormat:
    """How an edition's file name (its key) is written, and the period the key names."""

    name: str
    pattern: str
    example: str
    explained: str  # for error messages

    def period(self, key: str) -> tuple[date, date]:
        """First and last day the edition honours: its month, quarter, year, or the day it was held."""
        year = int(key[:4])
        if self.name == "month":
            month = int(key[5:7])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if self.name == "quarter":
            first = 3 * int(key[-1]) - 2
            return date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])
        if self.name == "year":
            return date(year, 1, 1), date(year, 12, 31)
        day = date.fromisoformat(key[:10])
        return day, day


KEY_FORMATS = {f.name: f for f in (
    KeyFormat("month", r"(19|20)[0-9]{2}-(0[1-9]|1[0-2])", "2025-03.md", "“年份-月份.md”"),
    KeyFormat("quarter", r"(19|20)[0-9]{2}-Q[1-4]", "2025-Q1.md", "“年份-Q季度.md”"),
    KeyFormat("year", r"(19|20)[0-9]{2}", "2025.md", "“年份.md”"),
    KeyFormat("dated", r"(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])-[a-z0-9]+(-[a-z0-9]+)*",
              "2026-05-18-low-altitude.md", "“活动日期-英文短名.md”（短名只用小写字母、数字和连字符）"),
)}
SHAPES = ("monthly-report", "release", "list")
ROLES = ("featured", "released", "listed", "presented")


@dataclass(frozen=True)
class FeedText:
    path: str  # site-relative, without the .rss.xml / .atom.xml suffix
    label: str
    title: str
    description: str  # may use {lists}


@dataclass(frozen=True)
class EditionKind:
    name: str
    folder: str
    key: KeyFormat
    label: str
    noun: str
    schema: str
    shape: str
    items: str
    role: str
    role_label: str
    calendar: bool
    order: int
    description: str
    feed: FeedText
    title_format: str = ""

    @property
    def file_pattern(self) -> re.Pattern:
        return re.compile(rf"(?P<key>{self.key.pattern})\.md")

    @property
    def source_folder(self) -> str:
        """Repository-relative: `site/monthly`."""
        return f"site/{self.folder}"

    @property
    def index_url(self) -> str:
        return f"{self.folder}/"

    def url(self, key: str) -> str:
        return f"{self.folder}/{key}/"

    @property
    def calendar_file(self) -> str:
        """Site-relative .ics file of a `calendar` kind."""
        return f"calendar/{self.name}.ics"


class KindsError(ValueError):
    """kinds.yaml is edited by hand: say in Chinese what is wrong."""


def parse_kinds(text: str) -> tuple[EditionKind, ...]:
    data = yaml.safe_load(text) or {}
    kinds = []
    for name, entry in data.items():
        try:
            values = dict(entry)
            values["key"] = KEY_FORMATS[values["key"]]
            values["feed"] = FeedText(**values["feed"])
            kind = EditionKind(name=str(name), **values)
        except (KeyError, TypeError, ValueError) as exc:
            raise KindsError(f"pipeline/kinds.yaml 中“{name}”一项有误（{exc}）：请对照文件开头的说明填写每一项。") from None
        if kind.shape not in SHAPES or kind.role not in ROLES:
            raise KindsError(f"pipeline/kinds.yaml 中“{name}”的 shape 或 role 不在可选范围内"
                             f"（shape：{'、'.join(SHAPES)}；role：{'、'.join(ROLES)}）。")
        kinds.append(kind)
    folders = [k.folder for k in kinds]
    if len(set(folders)) != len(folders):
        raise KindsError("pipeline/kinds.yaml 中有两种发布使用了同一个文件夹。")
    return tuple(sorted(kinds, key=lambda k: (k.order, k.name)))


KINDS: tuple[EditionKind, ...] = parse_kinds(
    resources.files("pipeline").joinpath("kinds.yaml").read_text(encoding="utf-8"))


def all_kinds() -> tuple[EditionKind, ...]:
    """The registered kinds in display order. (Read at call time, so a test can register a throwaway kind.)"""
    return KINDS


def kind_of(name: str) -> EditionKind:
    for kind in all_kinds():
        if kind.name == name:
            return kind
    raise KeyError(name)


def kind_in_folder(folder: str) -> EditionKind | None:
    return next((k for k in all_kinds() if k.folder == folder), None)
