"""Rules for editions that need the records they reference; shape-specific rules are chosen by the kind's shape."""

from __future__ import annotations

from datetime import date
from typing import Iterator, Mapping

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.model.records import Achievement
from pipeline.kinds import kind_of
from pipeline.model.editions import Edition, MonthlyReport, RankedList, Release
from pipeline.check.rules import at
from pipeline.read.sources import EditionDocument

FEATURED_RANGE = (3, 8)
ANNUAL_SOFT_MAX = 25



def _references(doc: EditionDocument, edition: Edition, records: Mapping[str, Achievement],
                unaccepted: Mapping[str, str]) -> Iterator[Diagnostic]:
    items = kind_of(doc.kind).items
    seen: set[str] = set()
    for i, result_id in enumerate(edition.result_ids):
        path = (items, i, "result")
        record = records.get(result_id)
        if result_id in seen:
            yield at(doc.front, path, "edition.duplicate-result", f"成果“{result_id}”在本期中重复出现。", "删除重复的一项。")
        seen.add(result_id)
        if record is None and result_id in unaccepted:
            yield at(doc.front, path, "edition.unaccepted-result",
                     f"成果“{result_id}”的记录（{unaccepted[result_id]}）有错误，未能入库。",
                     "先按那里的提示改正它；本期引用的编号不用改。")
        elif record is None:
            yield at(doc.front, path, "edition.unknown-result", f"成果库中没有编号为“{result_id}”的成果。",
                     "请核对编号（见成果页面网址或 results/ 中的文件夹名）。")
        elif record.withdrawn:
            yield at(doc.front, path, "edition.withdrawn-result",
                     f"成果“{record.title}”已于 {record.withdrawn.date.isoformat()} 撤回，不能出现在发布中。",
                     "从本期中移除该成果；如本期已发布，请在 corrections 中写明更正说明。")
        elif record.entered and record.entered.date() > edition.published:
            yield at(doc.front, path, "edition.result-not-yet-entered",
                     f"成果“{record.title}”于 {record.entered.date().isoformat()} 才入库，晚于本期发布日期。",
                     "发布只能引用发布日期前已入库的成果：核对发布日期，或改选其他成果。")
        elif record.publish_at and record.publish_at > edition.published_at:
            yield at(doc.front, path, "edition.embargoed-result",
                     f"成果“{record.title}”要到 {record.publish_at.date().isoformat()} 才公开，早于本期发布日期不能引用。",
                     "推迟本期的发布日期，或改选其他成果。")


def _published_in_period(doc: EditionDocument, edition: Edition) -> Iterator[Diagnostic]:
    if kind_of(edition.kind).key.name == "dated":
        return  # an event is announced before the day it is held
    start = edition.period[0]
    if edition.published < start:
        yield at(doc.front, ("published",), "edition.published-before-period",
                 f"发布日期 {edition.published.isoformat()} 早于本期所属期间（自 {start.isoformat()} 起）。",
                 "核对发布日期或文件名中的年月/季度。")


def _monthly(doc: EditionDocument, report: MonthlyReport) -> Iterator[Diagnostic]:
    low, high = FEATURED_RANGE
    if not low <= len(report.featured) <= high:
        yield at(doc.front, ("featured",), "edition.featured-count",
                 f"本期月报遴选了 {len(report.featured)} 项成果，通常为 5 项左右（{low}—{high} 项）。",
                 "请确认遴选数量。", Severity.WARNING)
    if report.issue > report.month:
        yield at(doc.front, ("issue",), "edition.issue-number", f"年内期号 {report.issue} 大于月份 {report.month}。",
                 "每月最多一期，年内期号不会超过月份。")
    for i, item in enumerate(report.featured):
        if item.survey.date > report.published:
            yield at(doc.front, ("featured", i, "survey", "date"), "edition.survey-after-publication",
                     "现场调研日期晚于月报发布日期。", "入选成果须在发布前完成现场调研评估。")


def _release(doc: EditionDocument, release: Release, records: Mapping[str, Achievement]) -> Iterator[Diagnostic]:
    items = kind_of(doc.kind).items
    for i, item in enumerate(release.released):
        record = records.get(item.result_id)
        if record and item.presenter not in {p.name for p in record.people}:
            yield at(doc.front, (items, i, "presenter"), "edition.presenter-not-completer",
                     f"发布人“{item.presenter}”不是成果“{record.title}”的完成人。",
                     "发布活动由成果完成人发布，请填写该成果 people 中的一位：" + "、".join(p.name for p in record.people))
    if release.held_on is not None and release.held_on != release.period[0]:
        yield at(doc.front, ("date",), "edition.date-not-in-name",
                 f"活动日期 {release.held_on.isoformat()} 与文件名中的日期 {release.period[0].isoformat()} 不一致。",
                 "文件名以活动日期开头：请核对活动日期，或改正文件名。")
    if release.outcomes and not release.corrections and release.day >= release.published:
        yield at(doc.front, ("outcomes",), "edition.outcomes-without-note",
                 "活动成果是活动举办后补充的内容，应同时在 corrections 中写明补充日期和说明。",
                 "在 corrections 中新增一条，如“补充活动签约成果”。", Severity.WARNING)


def _list(doc: EditionDocument, annual: RankedList, records) -> Iterator[Diagnostic]:
    if len(annual.entries) > ANNUAL_SOFT_MAX:
        yield at(doc.front, (kind_of(doc.kind).items,), "edition.annual-count",
                 f"{kind_of(doc.kind).noun}有 {len(annual.entries)} 项，通常为 20 项左右（不超过 {ANNUAL_SOFT_MAX} 项）。",
                 "请确认上榜数量。", Severity.WARNING)


_SHAPE_RULES = {"monthly-report": lambda doc, e, records: _monthly(doc, e), "release": _release, "list": _list}


def check_edition(doc: EditionDocument, edition: Edition, records: Mapping[str, Achievement],
                  unaccepted: Mapping[str, str] | None = None) -> list[Diagnostic]:
    """`unaccepted`: ids whose record files exist but have errors, with the file to fix — an edition citing one
    is told so, rather than that the library has no such record."""
    return [*_references(doc, edition, records, unaccepted or {}), *_published_in_period(doc, edition),
            *_SHAPE_RULES[kind_of(edition.kind).shape](doc, edition, records)]


def check_serials(docs: list[tuple[EditionDocument, Edition]]) -> list[Diagnostic]:
    """Monthly reports: the overall serial and the (year, issue) pair are each used once."""
    found = []
    serials: dict[int, str] = {}
    issues: dict[tuple[int, int], str] = {}
    for doc, edition in docs:
        if kind_of(edition.kind).shape != "monthly-report":
            continue
        if edition.serial in serials:
            found.append(at(doc.front, ("serial",), "edition.duplicate-serial",
                            f"总期号 {edition.serial} 已被 {serials[edition.serial]} 使用。", "核对总期号。"))
        serials.setdefault(edition.serial, doc.front.file)
        key = (edition.year, edition.issue)
        if key in issues:
            found.append(at(doc.front, ("issue",), "edition.duplicate-issue",
                            f"{edition.year}年第{edition.issue}期已被 {issues[key]} 使用。", "核对年内期号。"))
        issues.setdefault(key, doc.front.file)
    return found
