"""The expert ledger (信誉管理): how each panel expert handles review requests, per period.

Review requests are reconstructed from the issue timeline of each pull request (`review_requested` opens a
request, `review_request_removed` before any review declines it) and from the reviews themselves (the
expert's first review after the request completes it). A request still open when its pull request closed
"lapsed"; one still open when the export was taken is pending, and overdue once older than the threshold.
Without timeline data (an export of the pulls list only) a request is taken to date from the pull request's
creation — good enough for counts, and the report says which source it used.

Turnaround is in days; the median is the usual median and the 90th percentile uses the nearest-rank method
(the smallest value with at least 90% of the turnarounds at or below it), so every figure is a real turnaround.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Iterator, Sequence

from pipeline.model.records import SHANGHAI
from pipeline.experts.github_data import GithubExport, PullRequest
from pipeline.experts.record_facts import RECORD_FILE
from pipeline.experts.roster import Roster
from pipeline.experts.routing import conflicts_of, effective_approvers

ALL_PERIODS = "全部"
PERIOD_KINDS = ("month", "quarter", "year")


@dataclass(frozen=True)
class RequestSpan:
    pull: int
    login: str  # lower case
    requested_at: datetime
    outcome: str  # completed | declined | pending | lapsed
    ended_at: datetime | None

    def days(self, until: datetime) -> float:
        return ((self.ended_at or until) - self.requested_at).total_seconds() / 86400


def _stream(pull: PullRequest) -> list[tuple[datetime, int, str, str]]:
    """(time, order, kind, login): at the same second a request comes before a review before a removal."""
    items = [(r.submitted_at, 1, "review", r.login.lower()) for r in pull.reviews or ()]
    if pull.events is not None:
        items += [(e.at, 0 if e.kind == "requested" else 2, e.kind, e.login.lower()) for e in pull.events]
    else:
        asked = {login.lower() for login in pull.requested} | {r.login.lower() for r in pull.reviews or ()}
        items += [(pull.created_at, 0, "requested", login) for login in sorted(asked)]
    return sorted(items)


def request_spans(pull: PullRequest) -> list[RequestSpan]:
    open_since: dict[str, datetime] = {}
    spans: list[RequestSpan] = []
    for at, _, kind, login in _stream(pull):
        if kind == "requested":
            open_since.setdefault(login, at)
        elif login in open_since:
            outcome = "completed" if kind == "review" else "declined"
            spans.append(RequestSpan(pull.number, login, open_since.pop(login), outcome, at))
    for login, since in open_since.items():
        if pull.is_open:
            spans.append(RequestSpan(pull.number, login, since, "pending", None))
        else:
            spans.append(RequestSpan(pull.number, login, since, "lapsed", pull.closed_at))
    return sorted(spans, key=lambda s: (s.requested_at, s.login))


def period_of(moment: datetime, kind: str) -> str:
    local = moment.astimezone(SHANGHAI)
    if kind == "year":
        return f"{local.year}"
    if kind == "quarter":
        return f"{local.year}-Q{(local.month - 1) // 3 + 1}"
    return f"{local.year}-{local.month:02d}"


def nearest_rank(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


COUNTED = ("requested", "completed", "declined", "pending", "overdue", "lapsed", "withdrawn_approval",
           "conflict_violation")


@dataclass(frozen=True)
class _Fact:
    """One countable thing that happened to one expert at one moment."""

    login: str
    moment: datetime
    kind: str  # one of COUNTED
    days: float | None = None  # turnaround, for completed requests


@dataclass(frozen=True)
class LedgerRow:
    period: str
    handle: str
    name: str
    active: bool
    requested: int
    completed: int
    declined: int
    pending: int
    overdue: int
    lapsed: int
    median_days: float | None
    p90_days: float | None
    withdrawn_approvals: int
    conflict_violations: int


@dataclass(frozen=True)
class Ledger:
    as_of: datetime
    repository: str
    period_kind: str
    overdue_days: int
    timeline_complete: bool  # every pull request carried its timeline
    totals: tuple[LedgerRow, ...]  # one per roster expert, period ALL_PERIODS
    rows: tuple[LedgerRow, ...]  # one per expert and period with any activity


def _added_ids(pull: PullRequest) -> set[str]:
    """Records this pull request submitted (added), as opposed to later edits or the withdrawal itself."""
    return {m.group("id") for f in pull.record_files
            if f.status == "added" and (m := RECORD_FILE.fullmatch(f.filename))}


def _request_facts(pull: PullRequest, as_of: datetime, overdue_days: int) -> Iterator[_Fact]:
    for span in request_spans(pull):
        yield _Fact(span.login, span.requested_at, "requested")
        days = span.days(as_of)
        yield _Fact(span.login, span.requested_at, span.outcome, days if span.outcome == "completed" else None)
        if span.outcome == "pending" and days > overdue_days:
            yield _Fact(span.login, span.requested_at, "overdue")


def _approval_facts(pull: PullRequest, roster: Roster, withdrawn: set[str]) -> Iterator[_Fact]:
    records = [r.facts for r in pull.records if r.facts is not None]
    for review in effective_approvers(pull.reviews or ()):
        expert = roster.get(review.login)
        if expert is None:
            continue
        if pull.merged_at is not None and _added_ids(pull) & withdrawn:
            yield _Fact(expert.key, review.submitted_at, "withdrawn_approval")
        if conflicts_of(expert, records, pull.author):
            yield _Fact(expert.key, review.submitted_at, "conflict_violation")


def _row(period: str, roster: Roster, login: str, facts: Sequence[_Fact]) -> LedgerRow:
    expert = roster.get(login)
    count = {kind: sum(1 for f in facts if f.kind == kind) for kind in COUNTED}
    days = [f.days for f in facts if f.days is not None]
    return LedgerRow(
        period, expert.handle, expert.name, expert.active, count["requested"], count["completed"],
        count["declined"], count["pending"], count["overdue"], count["lapsed"],
        round(statistics.median(days), 1) if days else None, round(nearest_rank(days, 0.9), 1) if days else None,
        count["withdrawn_approval"], count["conflict_violation"])


def build_ledger(export: GithubExport, roster: Roster, withdrawn_ids: Iterable[str], *, period_kind: str = "month",
                 overdue_days: int = 14) -> Ledger:
    """Per expert and period, from the export; `withdrawn_ids` are records withdrawn on the main branch.
    Only roster experts are counted: coordinators who also review are not on the panel."""
    as_of = export.require_time()
    withdrawn = set(withdrawn_ids)
    facts = [f for pull in export.pulls
             for f in (*_request_facts(pull, as_of, overdue_days), *_approval_facts(pull, roster, withdrawn))
             if roster.get(f.login) is not None]
    by_login: dict[str, list[_Fact]] = defaultdict(list)
    by_period: dict[tuple[str, str], list[_Fact]] = defaultdict(list)
    for fact in facts:
        key = roster.get(fact.login).key
        by_login[key].append(fact)
        by_period[(period_of(fact.moment, period_kind), key)].append(fact)
    totals = tuple(_row(ALL_PERIODS, roster, e.key, by_login.get(e.key, [])) for e in roster.experts)
    rows = tuple(_row(period, roster, key, found) for (period, key), found in sorted(by_period.items()))
    complete = all(p.events is not None for p in export.pulls)
    return Ledger(as_of, export.repository, period_kind, overdue_days, complete, totals, rows)
