"""Reviewer routing: conflicts of interest, field and highland pools, load balancing, shortfalls, conflicted
approvals, and the plan the scheduled workflow acts on."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from datetime import date, datetime, timezone

import pytest

from pipeline.cli import main
from pipeline.experts.github_data import Review, load_export, parse_export, read_json
from pipeline.experts.record_facts import RecordFacts, UnitRef
from pipeline.experts.roster import Expert, ExpertUnit, Roster, load_roster
from pipeline.experts.routing import (conflicted_approvals, conflicts_of, effective_approvers, open_request_load,
                                      plan_pulls, propose)
from pipeline.model.library import load_rules
from pipeline.read.sources import Layout
from tests.factories import EXEMPLAR, REPO, add_record, record_data

GITHUB = REPO / "tests" / "data" / "github"
DONGHAI = ExpertUnit("东海大学（演示）", "123300004700033817")
XIHU = ExpertUnit("西湖工学院（演示）", "12330000MB0D12345T")


@pytest.fixture(scope="module")
def vocab():
    return load_rules(Layout(REPO), date(2025, 7, 1)).vocab


def expert(handle, name="专家甲", fields=("人工智能",), unit=XIHU, active=True):
    return Expert(handle, name, tuple(fields), unit, active)


def record(**overrides) -> RecordFacts:
    base = dict(file="results/2025/2025-3kq8m2va/2025-3kq8m2va.yaml", id="2025-3kq8m2va", field="人工智能",
                highland="互联网+", submitter_name="宁波市科学技术局", submitter_type="设区市科技局",
                submitter_city="宁波市", units=(UnitRef("甬芯半导体科技有限公司（演示）", "91330200MA28111108"),),
                people=("林晓峰",), withdrawn=False)
    return RecordFacts(**{**base, **overrides})


def at(day: int, hour: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=timezone.utc)


# --- conflicts of interest -----------------------------------------------------------------------------

def test_conflict_when_the_experts_unit_completed_the_record():
    facts = record(units=(UnitRef("东海大学（演示）", "123300004700033817"),))
    assert conflicts_of(expert("a", unit=DONGHAI), [facts]) == (
        "所在单位“东海大学（演示）”是成果 2025-3kq8m2va 的完成单位",)


def test_conflict_by_unit_name_even_when_the_code_differs_and_forms_are_mixed():
    facts = record(units=(UnitRef("东海大学 (演示)", "91330200MA28111108"),))  # half-width parentheses, a space
    assert conflicts_of(expert("a", unit=DONGHAI), [facts])


def test_conflict_when_the_experts_unit_submitted_the_record():
    reasons = conflicts_of(expert("a", unit=ExpertUnit("宁波市科学技术局", "11330200MB0L027358")), [record()])
    assert reasons == ("所在单位“宁波市科学技术局”是成果 2025-3kq8m2va 的报送单位",)


def test_conflict_when_the_expert_is_among_the_people_or_opened_the_pull_request():
    assert conflicts_of(expert("a", name="林晓峰"), [record()]) == ("本人（林晓峰）是成果 2025-3kq8m2va 的完成人",)
    assert conflicts_of(expert("Alice"), [record()], author="alice") == ("本人提交了该拉取请求",)


def test_no_conflict_otherwise():
    assert conflicts_of(expert("a"), [record()], author="someone-else") == ()


# --- proposals -----------------------------------------------------------------------------------------

def test_field_experts_with_the_least_load_come_first(vocab):
    roster = Roster("r", (expert("busy"), expert("idle"), expert("middle"), expert("chips", fields=("集成电路",))))
    proposal = propose(roster, [record()], vocab, Counter({"busy": 5, "middle": 1}), count=2)
    assert proposal.handles == ("idle", "middle")
    assert all(c.by_field for c in proposal.chosen) and proposal.shortfall == 0


def test_falls_back_to_the_highland_only_when_the_field_is_short(vocab):
    roster = Roster("r", (expert("ai"), expert("chips", fields=("集成电路",)),
                          expert("bio", fields=("生物技术与创新药物",))))
    proposal = propose(roster, [record()], vocab, Counter(), count=3)
    assert proposal.handles == ("ai", "chips")  # 集成电路 is in 互联网+; 生物技术 is not
    assert [c.by_field for c in proposal.chosen] == [True, False]
    assert proposal.shortfall == 1


def test_never_proposes_a_conflicted_or_inactive_expert_to_make_up_numbers(vocab):
    roster = Roster("r", (expert("conflicted", unit=DONGHAI), expert("retired", active=False), expert("ok")))
    facts = record(units=(UnitRef("东海大学（演示）", "123300004700033817"),))
    proposal = propose(roster, [facts], vocab, Counter(), count=3)
    assert proposal.handles == ("ok",)
    assert proposal.shortfall == 2
    assert [e.handle for e, _ in proposal.conflicted] == ["conflicted"]


def test_ties_are_broken_deterministically_but_not_alphabetically(vocab):
    roster = Roster("r", tuple(expert(f"e{i}") for i in range(8)))
    first = [propose(roster, [record(id=f"2025-0000000{c}")], vocab, Counter(), count=1).handles[0]
             for c in "abcdefgh"]
    again = [propose(roster, [record(id=f"2025-0000000{c}")], vocab, Counter(), count=1).handles[0]
             for c in "abcdefgh"]
    assert first == again
    assert len(set(first)) > 1


def test_open_review_requests_count_as_load(vocab):
    export = parse_export(read_json(GITHUB / "open-pulls.json", "x"), vocab)
    assert open_request_load(export.pulls) == Counter({"carol-expert": 1, "bob-expert": 1})


# --- approvals -----------------------------------------------------------------------------------------

def test_effective_approvals_follow_githubs_rule():
    reviews = [Review("a", "APPROVED", at(1)), Review("a", "COMMENTED", at(2)),  # still approved
               Review("b", "APPROVED", at(1)), Review("b", "CHANGES_REQUESTED", at(3)),  # withdrawn
               Review("c", "APPROVED", at(1)), Review("c", "DISMISSED", at(2)),  # dismissed
               Review("d", "CHANGES_REQUESTED", at(1)), Review("D", "APPROVED", at(4))]  # logins ignore case
    assert sorted(r.login for r in effective_approvers(reviews)) == ["D", "a"]


def test_a_conflicted_approval_is_an_error_and_others_are_not():
    roster = Roster("r", (expert("alice-expert", unit=DONGHAI), expert("bob-expert")))
    facts = record(units=(UnitRef("东海大学（演示）", "123300004700033817"),))
    reviews = [Review("alice-expert", "APPROVED", at(1)), Review("bob-expert", "APPROVED", at(1)),
               Review("maintainer", "APPROVED", at(1))]
    [found] = conflicted_approvals(roster, [facts], reviews)
    assert found.rule == "experts.conflicted-approval"
    assert found.message.startswith("评审专家 @alice-expert（专家甲）与本成果存在利益冲突")


# --- the plan for open pull requests -------------------------------------------------------------------

def test_plan_tops_up_open_submissions(vocab):
    rules = load_rules(Layout(REPO), date(2025, 7, 1))
    roster, _ = load_roster(GITHUB / "roster.yaml", "roster.yaml", rules.schemas)
    export = load_export(GITHUB / "export.json", vocab)
    plans = {p.number: p for p in plan_pulls(export.pulls, roster, vocab)}
    # 101, 102, 104, 105 are closed; 107 is a draft.
    assert sorted(plans) == [103, 106, 108]
    # 103 already has carol (requested) and bob (reviewed); no other expert in 新材料 is left.
    assert plans[103].request == () and plans[103].proposal.shortfall == 1
    assert plans[103].proposal.kept == ("bob-expert", "carol-expert")
    # 106: alice has no open requests, Bob-Expert has one (on 103); dave is inactive.
    assert plans[106].request == ("alice-expert", "Bob-Expert")
    # 108: alice works at the completing unit; Bob-Expert is the only one left.
    assert plans[108].request == ("Bob-Expert",) and plans[108].proposal.shortfall == 2


def test_an_expert_who_declined_is_not_asked_again(vocab):
    roster = Roster("r", (expert("carol-expert"), expert("other")))
    export = load_export(GITHUB / "export.json", vocab)
    pull = next(p for p in export.pulls if p.number == 102)
    reopened = dataclasses.replace(pull, state="open", closed_at=None, requested=())
    [plan] = plan_pulls([reopened], roster, vocab)
    assert "carol-expert" not in plan.request  # her request on 102 was removed before she reviewed
    assert plan.request == ("other",)


# --- the command ---------------------------------------------------------------------------------------

@pytest.fixture
def routed_repo(repo):
    (repo / ".github").mkdir()
    shutil.copy(GITHUB / "roster.yaml", repo / ".github" / "experts.yaml")
    return repo


def test_reviewers_command_proposes_and_explains(routed_repo, capsys):
    data = record_data(field="人工智能", highland="互联网+")
    path = add_record(routed_repo, data)
    code = main(["--root", str(routed_repo), "reviewers", str(path),
                 "--open-requests", str(GITHUB / "open-pulls.json")])
    out = capsys.readouterr().out
    assert code == 1  # only two active AI experts for three places
    assert "@alice-expert" not in out.split("因利益冲突回避")[0]  # alice works at 东海大学, a completing unit
    assert "@alice-expert 张晓丽：所在单位“东海大学（演示）”是成果 2025-3kq8m2va 的完成单位" in out
    assert "@Bob-Expert 李文博" in out and "当前待审 1 件" in out
    assert "符合条件的评审专家只有 1 位，少于所需的 3 位" in out


def test_reviewers_command_json(routed_repo, capsys):
    path = add_record(routed_repo, record_data(field="人工智能", highland="互联网+"))
    main(["--root", str(routed_repo), "reviewers", str(path), "--count", "1", "--format", "json"])
    result = json.loads(capsys.readouterr().out)
    assert result["reviewers"] == ["Bob-Expert"] and result["shortfall"] == 0 and result["dry_run"] is False


def test_check_approvals_fails_on_a_conflicted_approval(routed_repo, capsys):
    path = add_record(routed_repo)  # the exemplar: 东海大学（演示） is a completing unit
    code = main(["--root", str(routed_repo), "reviewers", "--check-approvals", str(GITHUB / "reviews-102.json"),
                 "--format", "github", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("::error file=results/2025/2025-3kq8m2va/2025-3kq8m2va.yaml,title=experts.conflicted-approval::")
    assert "@alice-expert" in out


def test_check_approvals_passes_without_conflict(routed_repo, capsys):
    data = record_data(units=[{"name": "西湖工学院（演示）", "credit_code": "12330000MB0D12345T", "type": "高等学校",
                               "city": "杭州市"}],
                       people=[{"name": "林晓峰", "unit": "西湖工学院（演示）", "role": "项目负责人"}])
    path = add_record(routed_repo, data)
    assert main(["--root", str(routed_repo), "reviewers", "--check-approvals", str(GITHUB / "reviews-102.json"),
                 str(path)]) == 0


def test_batch_plan_writes_comments_only_where_a_report_is_due(routed_repo, tmp_path, capsys):
    comments = tmp_path / "comments"
    assert main(["--root", str(routed_repo), "reviewers", "--export", str(GITHUB / "export.json"),
                 "--comment-dir", str(comments)]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert [p["number"] for p in plan["pulls"]] == [103, 106, 108]
    assert {p["number"]: p["request"] for p in plan["pulls"]} == {
        103: [], 106: ["alice-expert", "Bob-Expert"], 108: ["Bob-Expert"]}
    assert sorted(f.name for f in comments.iterdir()) == ["103.md", "106.md", "108.md"]
    assert "评审专家不足" in (comments / "108.md").read_text(encoding="utf-8")


def test_the_committed_roster_routes_the_exemplar_away_from_its_units(capsys):
    assert main(["--root", str(REPO), "reviewers", str(EXEMPLAR), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["dry_run"] is True
    conflicted = {c["handle"] for c in result["conflicted"]}
    assert {"zj-demo-tang-li", "zj-demo-zhang-hua"} <= conflicted  # completing unit; submitting bureau
    assert not conflicted & set(result["reviewers"]) and len(result["reviewers"]) == 3
