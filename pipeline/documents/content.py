"""The words of a printed document, as plain data: what every engine (PDF, Word) lays out.

Pure: an edition and the Publication in, a `Document` out. Text is plain (Markdown and badges turned into
words) so that engines only place it. Only public records appear: the Publication holds no embargoed ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pipeline.model.publication import Publication
from pipeline.model.records import Achievement
from pipeline.render.markdown import markdown_to_plain

DEMO_NOTICE = "演示数据：本文件中的单位、人员和数据均为虚构，不是正式文件"
CN_NUMERALS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class Item:
    """One achievement as a document prints it."""

    number: str  # “一、” in the 月报, “1.” in the list
    title: str
    facts: tuple[str, ...]  # plain-text lines: badges, units, first completer
    summary: tuple[str, ...]  # paragraphs
    notes: tuple[tuple[str, str], ...] = ()  # labelled paragraphs: (编者按, …), (调研评估, …), (推荐理由, …)
    record_id: str = ""


@dataclass(frozen=True)
class Document:
    layout: str  # "bulletin" | "list" | "release": the Typst template and the Word layout
    stem: str  # file name without suffix, ASCII
    download_name: str  # the Chinese file name offered to the browser, without suffix
    title: str
    date: date
    publisher: str
    demo_notice: str  # empty when the library is not demo data
    masthead: str = ""  # bulletin: 版头; release: “新闻通稿”; list: the list's name
    lines: tuple[str, ...] = ()  # centred lines under the masthead (期号, 总期号)
    intro: tuple[str, ...] = ()  # paragraphs
    facts: tuple[tuple[str, str], ...] = ()  # release: 时间, 地点, 主办单位 …
    items: tuple[Item, ...] = ()
    colophon: tuple[str, ...] = ()  # bulletin: 报送, 抄送 rows of the 版记
    closing: tuple[str, ...] = ()  # release: 媒体联系 lines

    @property
    def date_text(self) -> str:
        return cn_date(self.date)


def cn_date(day: date) -> str:
    """GB/T 9704 §7.3.5.4: Arabic numerals, no leading zeros — “2026年3月9日”."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for item numbers up to 99)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_NUMERALS[ones]
    return (CN_NUMERALS[tens] if tens > 1 else "") + "十" + (CN_NUMERALS[ones] if ones else "")


def paragraphs(markdown: str) -> tuple[str, ...]:
    """Plain paragraphs of a Markdown body (blank-line separated), markup removed."""
    found = (markdown_to_plain(block) for block in markdown.split("\n\n"))
    return tuple(p for p in found if p)


def brief(text: str, limit: int) -> str:
    """At most `limit` characters, cut after the last full sentence that fits (or with “…”)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(mark) for mark in "。；！？")
    return cut[: end + 1] if end >= limit // 2 else cut[: limit - 1] + "…"


def badge_line(record: Achievement) -> str:
    """The page's coloured badges, as words."""
    parts = [f"类别：{record.category}", f"领域：{record.field}", f"水平：{record.level}"]
    if record.significance:
        parts.append("标志：" + "、".join(record.significance))
    return "　".join(parts)


def units_line(record: Achievement) -> str:
    return "完成单位：" + "、".join(u.name for u in record.units)


def leader_line(record: Achievement) -> str:
    """The first completer (第一完成人), as the record page lists them first."""
    person = record.people[0]
    title = f"（{person.title}）" if person.title else ""
    return f"第一完成人：{person.name}{title}，{person.unit}"


def record_facts(record: Achievement) -> tuple[str, ...]:
    return badge_line(record), units_line(record), leader_line(record)


def public_entries(entries, pub: Publication) -> list[tuple]:
    """(entry, record) for each entry whose record is public: embargoed or withdrawn ones are never printed."""
    return [(entry, record) for entry in entries if (record := pub.record(entry.result_id)) is not None]


def demo_notice(has_demo_records: bool) -> str:
    return DEMO_NOTICE if has_demo_records else ""
