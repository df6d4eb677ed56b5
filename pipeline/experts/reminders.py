"""Reminders for overdue review requests, posted by the scheduled reminder workflow.

Stateless on purpose: a request is reminded when it first becomes overdue and then every `every` days, judged
from its age at the export time alone, so the workflow needs no memory of what it posted before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pipeline.experts.github_data import GithubExport
from pipeline.experts.ledger import request_spans
from pipeline.experts.roster import Expert, Roster

MARKER = "<!-- zlhcg:review-reminder -->"


@dataclass(frozen=True)
class Overdue:
    expert: Expert
    requested_at: datetime
    age_days: int


@dataclass(frozen=True)
class Reminder:
    pull: int
    overdue: tuple[Overdue, ...]


def reminder_due(age_days: int, overdue_days: int, every: int) -> bool:
    return age_days > overdue_days and (age_days - overdue_days - 1) % every == 0


def reminders(export: GithubExport, roster: Roster, *, overdue_days: int, every: int) -> list[Reminder]:
    as_of = export.require_time()
    found = []
    for pull in export.pulls:
        if not pull.is_open or pull.draft:
            continue
        due = []
        for span in request_spans(pull):
            expert = roster.get(span.login)
            age = int(span.days(as_of))
            if span.outcome == "pending" and expert is not None and reminder_due(age, overdue_days, every):
                due.append(Overdue(expert, span.requested_at, age))
        if due:
            found.append(Reminder(pull.number, tuple(due)))
    return found


def render_reminder(reminder: Reminder, overdue_days: int) -> str:
    lines = [MARKER, "**评审提醒**", "",
             f"以下评审专家收到本拉取请求的评审请求已超过 {overdue_days} 天，尚未提交评审意见：", ""]
    for item in reminder.overdue:
        lines.append(f"- @{item.expert.handle}（{item.expert.name}）：已等待 {item.age_days} 天"
                     f"（请求于 {item.requested_at.strftime('%Y-%m-%d')}）")
    lines += ["", "请尽快在“Files changed”页面提交评审意见。如因时间或利益冲突原因无法评审，请在此回复说明，"
              "协调办公室将另行分配专家。逾期情况计入专家履职记录（信誉管理）。"]
    return "\n".join(lines) + "\n"
