"""The editions over a benchmark corpus's period: a monthly report every month (5 records entered before it),
a quarterly release every quarter (6 records of one highland, each presented by one of its completers) and an
annual list each January (20 records of the year before). Records later withdrawn or embargoed are never cited.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterator

import yaml

from pipeline.model.records import SHANGHAI
from tests.bench.corpus_records import CITIES, HIGHLAND_FIELDS, PlannedRecord, YamlDumper, day
from tests.bench.corpus_text import TextMaker

MONTHLY_BY = ("省科技评估和成果转化中心调研组", "省科技厅成果转化处", "省科技评估和成果转化中心调研组、{city}科学技术局")


@dataclass
class PlannedEdition:
    when: datetime
    path: str
    text: str
    subject: str


def _front(data: dict, body: str) -> str:
    return "---\n" + yaml.dump(data, Dumper=YamlDumper, allow_unicode=True, sort_keys=False, width=100_000) + "---\n" + body


class _Eligible:
    """Records an edition may cite: public for good (never withdrawn or embargoed), in entry order."""

    def __init__(self, records: list[PlannedRecord]):
        self.records = [r for r in records if not r.withdrawn and not r.embargoed]
        self.entries = [r.entered for r in self.records]

    def entered_between(self, start: datetime, end: datetime) -> list[PlannedRecord]:
        return self.records[bisect_left(self.entries, start):bisect_right(self.entries, end)]


def _month_starts(start: datetime, end: datetime) -> Iterator[date]:
    month = date(start.year, start.month, 1)
    while month <= end.date():
        yield month
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


def plan_editions(records: list[PlannedRecord], rng: random.Random, end: datetime) -> list[PlannedEdition]:
    """Every edition published between the first record's entry and `end`."""
    eligible = _Eligible(records)
    start = records[0].entered if records else end
    return [*_monthly(eligible, rng, start, end), *_quarterly(eligible, rng, start, end),
            *_annual(eligible, rng, start, end)]


def _publication(rng: random.Random, day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, rng.randrange(60), tzinfo=SHANGHAI)


def _monthly(eligible: _Eligible, rng: random.Random, start: datetime, end: datetime) -> Iterator[PlannedEdition]:
    serial, issues = 0, {}
    for month in _month_starts(start, end):
        published = _publication(rng, month.replace(day=rng.randint(20, 28)))
        if published > end:
            continue
        pool = eligible.entered_between(published - timedelta(days=365), published - timedelta(days=10))
        if not pool:
            continue
        featured = rng.sample(pool[-200:], min(5, len(pool[-200:])))
        serial += 1
        issues[month.year] = issues.get(month.year, 0) + 1
        items = []
        for record in featured:
            survey = record.entered.date() + timedelta(days=rng.randint(1, (published.date() - record.entered.date()).days - 1))
            items.append({"result": record.id, "note": TextMaker(rng, record.data["field"]).monthly_note(record.title),
                          "survey": {"date": survey.isoformat(),
                                     "by": rng.choice(MONTHLY_BY).format(city=record.data["units"][0]["city"])}})
        front = {"issue": issues[month.year], "serial": serial, "published": day(published),
                 "title": "聚焦{}与{}前沿进展".format(*rng.sample(list(HIGHLAND_FIELDS), 2)),
                 "featured": items,
                 "distribution": {"to": ["省委", "省政府"], "cc": ["省委科技强省建设领导小组成员单位", "各设区市党委、政府"]}}
        body = (f"本期月报从成果库中遴选 {len(items)} 项取得最新进展的成果，经现场调研评估确认后编辑形成。\n\n"
                "入选成果覆盖多个战略领域，体现了我省科技创新从实验室走向产业化的最新态势。\n")
        yield PlannedEdition(published, f"site/monthly/{month:%Y-%m}.md", _front(front, body),
                             f"发布成果月报：{month.year}年第{issues[month.year]}期")


def _quarterly(eligible: _Eligible, rng: random.Random, start: datetime, end: datetime) -> Iterator[PlannedEdition]:
    for month in _month_starts(start, end):
        if month.month % 3:
            continue
        quarter = month.month // 3
        published = _publication(rng, month.replace(day=rng.randint(10, 25)))
        if published > end:
            continue
        highland = rng.choice(list(HIGHLAND_FIELDS))
        pool = [r for r in eligible.entered_between(published - timedelta(days=400), published - timedelta(days=3))
                if r.data["highland"] == highland]
        if not pool:
            continue
        released = rng.sample(pool, min(6, len(pool)))
        city = rng.choice(list(CITIES))
        front = {"published": day(published),
                 "title": f"{month.year}年第{'一二三四'[quarter - 1]}季度“浙里好成果”发布会（{highland}专场）",
                 "event": {"time": rng.choice(("09:30", "14:00", "14:30")), "venue": f"{city.removesuffix('市')}科创会客厅",
                           "city": city, "organiser": "浙江省科学技术厅", "co_hosts": [f"{city}人民政府"],
                           "activities": rng.sample(("成果转化", "项目路演", "科技招商", "成果展示", "签约仪式"), 3)},
                 "released": [{"result": r.id, "presenter": rng.choice(r.people())} for r in released]}
        body = (f"本次发布会聚焦{highland}科创高地，由 {len(released)} 位成果完成人现场发布重大科技成果。\n\n"
                "发布会同期举办成果转化路演和签约仪式。\n")
        yield PlannedEdition(published, f"site/quarterly/{month.year}-Q{quarter}.md", _front(front, body),
                             f"发布季度成果：{month.year}年第{quarter}季度")


def _annual(eligible: _Eligible, rng: random.Random, start: datetime, end: datetime) -> Iterator[PlannedEdition]:
    for year in range(start.year, end.year):
        published = _publication(rng, date(year + 1, 1, rng.randint(10, 20)))
        pool = eligible.entered_between(datetime(year, 1, 1, tzinfo=SHANGHAI), datetime(year, 12, 31, 23, tzinfo=SHANGHAI))
        if not pool:
            continue
        ranked = sorted(pool, key=lambda r: ({"国际领先": 0, "国际先进": 1}.get(r.data["level"], 2), r.id))
        entries = [{"result": r.id, "citation": TextMaker(rng, r.data["field"]).citation(r.title)} for r in ranked[:20]]
        front = {"published": day(published), "title": f"{year}年度浙里好成果榜单", "entries": entries}
        body = f"{year} 年度“浙里好成果”榜单从全省重大科技成果库中评选产生 {len(entries)} 项重大标志性成果。\n"
        yield PlannedEdition(published, f"site/annual/{year}.md", _front(front, body), f"发布年度榜单：{year}年度")


