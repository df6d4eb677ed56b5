"""Reviewer routing: who should review a record, and whose approval must not count.

Eligible experts are active, work in the record's strategic field (or, when too few do, elsewhere in its
highland), and have no conflict of interest: their unit completed or submitted the record, or they are among
its people, or they opened the pull request. Among the eligible, those with the fewest open review requests
go first; ties are broken by a hash of record id and handle, so equal loads spread over the panel instead of
always landing on the alphabetically first expert. Nobody conflicted is ever proposed to make up numbers.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from pipeline.diagnostics import Diagnostic, error
from pipeline.check.vocab import Vocabularies
from pipeline.experts.github_data import PullRequest, Review
from pipeline.experts.record_facts import RecordFacts, normalise_name
from pipeline.experts.roster import Expert, Roster

DEFAULT_COUNT = 3
SHORTFALL_LABEL = "评审专家不足"


def conflicts_of(expert: Expert, records: Sequence[RecordFacts], author: str = "") -> tuple[str, ...]:
    """Why `expert` may not review these records (Chinese reasons); empty when there is no conflict."""
    reasons: list[str] = []
    unit_name = normalise_name(expert.unit.name)
    for record in records:
        for unit in record.units:
            if unit.credit_code == expert.unit.credit_code or normalise_name(unit.name) == unit_name:
                reasons.append(f"所在单位“{expert.unit.name}”是成果 {record.id or record.file} 的完成单位")
        if record.submitter_name and normalise_name(record.submitter_name) == unit_name:
            reasons.append(f"所在单位“{expert.unit.name}”是成果 {record.id or record.file} 的报送单位")
        if any(normalise_name(p) == normalise_name(expert.name) for p in record.people):
            reasons.append(f"本人（{expert.name}）是成果 {record.id or record.file} 的完成人")
    if author and author.lower() == expert.key:
        reasons.append("本人提交了该拉取请求")
    return tuple(dict.fromkeys(reasons))


@dataclass(frozen=True)
class Candidate:
    expert: Expert
    load: int
    by_field: bool  # False: taken from the highland because the field had too few


@dataclass(frozen=True)
class Proposal:
    records: tuple[RecordFacts, ...]
    wanted: int
    chosen: tuple[Candidate, ...]
    conflicted: tuple[tuple[Expert, tuple[str, ...]], ...]
    kept: tuple[str, ...] = ()  # handles already reviewing, counted towards `wanted`

    @property
    def shortfall(self) -> int:
        return max(0, self.wanted - len(self.chosen))

    @property
    def handles(self) -> tuple[str, ...]:
        return tuple(c.expert.handle for c in self.chosen)


def open_request_load(pulls: Iterable[PullRequest]) -> Counter:
    """Outstanding review requests per login (lower case) across open pull requests."""
    return Counter(login.lower() for pull in pulls if pull.is_open for login in pull.requested)


def _tie_breaker(records: Sequence[RecordFacts], expert: Expert) -> str:
    seed = ",".join(sorted(r.id or r.file for r in records)) + "|" + expert.key
    return hashlib.sha256(seed.encode()).hexdigest()


def _highlands_of(expert: Expert, vocab: Vocabularies) -> set[str]:
    return {vocab.fields[f].parent for f in expert.fields if vocab.fields.get(f)}


def propose(roster: Roster, records: Sequence[RecordFacts], vocab: Vocabularies, load: Counter, *,
            count: int = DEFAULT_COUNT, author: str = "", keep: Iterable[str] = (),
            exclude: Iterable[str] = ()) -> Proposal:
    kept = {k.lower() for k in keep}
    skipped = kept | {x.lower() for x in exclude}
    fields = {r.field for r in records if r.field}
    highlands = {r.highland for r in records if r.highland}
    conflicted, eligible = [], []
    for expert in roster.active:
        reasons = conflicts_of(expert, records, author)
        if not reasons:
            if expert.key not in skipped:
                eligible.append(expert)
        elif fields & set(expert.fields) or highlands & _highlands_of(expert, vocab):
            conflicted.append((expert, reasons))  # reported only where they would otherwise be candidates

    def ranked(pool: list[Expert], by_field: bool) -> list[Candidate]:
        pool = sorted(pool, key=lambda e: (load.get(e.key, 0), _tie_breaker(records, e)))
        return [Candidate(e, load.get(e.key, 0), by_field) for e in pool]

    in_field = [e for e in eligible if fields & set(e.fields)]
    in_highland = [e for e in eligible if e not in in_field and highlands & _highlands_of(e, vocab)]
    wanted = max(0, count - len(kept))
    chosen = (ranked(in_field, True) + ranked(in_highland, False))[:wanted]
    return Proposal(tuple(records), wanted, tuple(chosen), tuple(conflicted), tuple(sorted(kept)))


# --- approvals -------------------------------------------------------------------------------------------

def effective_approvers(reviews: Iterable[Review]) -> list[Review]:
    """GitHub's own rule: a user's latest approving, change-requesting or dismissed review decides; comments
    do not change it. Returns the reviews that currently count as approvals."""
    latest: dict[str, Review] = {}
    for review in sorted(reviews, key=lambda r: r.submitted_at):
        if review.state != "COMMENTED":
            latest[review.login.lower()] = review
    return [r for r in latest.values() if r.state == "APPROVED"]


def conflicted_approvals(roster: Roster, records: Sequence[RecordFacts], reviews: Iterable[Review],
                         author: str = "") -> list[Diagnostic]:
    found = []
    file = records[0].file if records else "（拉取请求）"
    for review in effective_approvers(reviews):
        expert = roster.get(review.login)
        if expert is None:
            continue  # coordinators and maintainers are not on the panel; branch protection governs them
        reasons = conflicts_of(expert, records, author)
        if reasons:
            found.append(error(file, "experts.conflicted-approval",
                               f"评审专家 @{expert.handle}（{expert.name}）与本成果存在利益冲突：{'；'.join(reasons)}。"
                               "其批准不能作为评审意见。",
                               hint="请协调办公室撤销（dismiss）该批准，并另行指定无利益冲突的专家评审。"))
    return found


# --- batch planning for open pull requests -----------------------------------------------------------------

@dataclass(frozen=True)
class PullPlan:
    number: int
    proposal: Proposal | None
    note: str = ""  # why nothing can be proposed, in Chinese

    @property
    def request(self) -> tuple[str, ...]:
        return self.proposal.handles if self.proposal else ()


def _declined(pull: PullRequest) -> set[str]:
    """Experts whose request on this pull request was removed before they reviewed: never ask them again."""
    reviewed = {r.login.lower() for r in pull.reviews or ()}
    return {e.login.lower() for e in pull.events or () if e.kind == "removed"} - reviewed


def plan_pulls(pulls: Sequence[PullRequest], roster: Roster, vocab: Vocabularies,
               count: int = DEFAULT_COUNT) -> list[PullPlan]:
    """Top every open, non-draft record pull request up to `count` panel reviewers."""
    load = open_request_load(pulls)
    plans = []
    for pull in pulls:
        if not pull.is_open or pull.draft or not pull.record_files:
            continue
        records = [r.facts for r in pull.records if r.facts is not None]
        if not records:
            plans.append(PullPlan(pull.number, None, "无法读取拉取请求中的成果文件，请协调办公室人工指定评审专家。"))
            continue
        reviewing = {login.lower() for login in pull.requested} | {r.login.lower() for r in pull.reviews or ()}
        keep = [roster.get(k).handle for k in sorted(reviewing) if roster.get(k) is not None]
        if len(keep) >= count:
            continue
        proposal = propose(roster, records, vocab, load, count=count, author=pull.author, keep=keep,
                           exclude=_declined(pull))
        for candidate in proposal.chosen:
            load[candidate.expert.key] += 1
        plans.append(PullPlan(pull.number, proposal))
    return plans
