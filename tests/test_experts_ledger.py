"""The expert ledger (信誉管理) and the overdue reminders, on recorded GitHub data.

tests/data/github/export.json holds eight pull requests in the REST shapes; the expected figures below were
worked out by hand from it (times in UTC, Beijing is +8):
- 101: alice and bob requested 03-03 03:00; bob comments 03-04 03:00 (1.0 day), alice approves 03-05 03:00
  (2.0 days), bob approves 03-06; merged. Its record 2025-aaaaaaaa is later withdrawn.
- 102: alice and carol requested 03-11 01:00; carol's request removed 03-12 01:00 (declined); alice approves
  03-12 13:00 (1.5 days) although she works at the completing unit (a violation); closed unmerged.
- 103: carol and bob requested 03-11 02:00; bob requests changes 03-21 02:00 (10.0 days) and is asked again
  03-25 02:00; both still pending at the export (04-01 00:00): carol's 20.9 days is overdue, bob's 6.9 not.
- 104: dave requested, pull request closed unreviewed (lapsed).
- 105: alice approves an edit of 2025-aaaaaaaa without having been asked: no request, and not the approval
  that let the withdrawn record in.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from pipeline.cli import main
from pipeline.experts.github_data import ExportError, GithubExport, PullRequest, RequestEvent, Review, load_export
from pipeline.experts.ledger import build_ledger, nearest_rank, period_of, request_spans
from pipeline.experts.ledger_report import render_ledger_csv, render_ledger_markdown
from pipeline.experts.reminders import reminder_due, reminders, render_reminder
from pipeline.experts.roster import load_roster
from pipeline.model.library import load_rules
from pipeline.model.records import SHANGHAI
from pipeline.read.sources import Layout
from tests.factories import REPO, add_record, record_data

GITHUB = REPO / "tests" / "data" / "github"


@pytest.fixture(scope="module")
def rules():
    return load_rules(Layout(REPO), date(2025, 7, 1))


@pytest.fixture(scope="module")
def roster(rules):
    return load_roster(GITHUB / "roster.yaml", "roster.yaml", rules.schemas)[0]


@pytest.fixture(scope="module")
def export(rules):
    return load_export(GITHUB / "export.json", rules.vocab)


def row(rows, handle, period="全部"):
    return next(r for r in rows if r.handle == handle and r.period == period)


def test_per_expert_totals_match_the_hand_count(export, roster):
    ledger = build_ledger(export, roster, {"2025-aaaaaaaa"}, overdue_days=14)
    alice, bob = row(ledger.totals, "alice-expert"), row(ledger.totals, "Bob-Expert")
    carol, dave = row(ledger.totals, "carol-expert"), row(ledger.totals, "dave-expert")
    assert (alice.requested, alice.completed, alice.declined, alice.pending) == (2, 2, 0, 0)
    assert (alice.median_days, alice.p90_days) == (1.8, 2.0)  # median of 2.0 and 1.5 is 1.75
    assert (alice.withdrawn_approvals, alice.conflict_violations) == (1, 1)
    assert (bob.requested, bob.completed, bob.pending, bob.overdue) == (3, 2, 1, 0)
    assert (bob.median_days, bob.p90_days) == (5.5, 10.0)
    assert (bob.withdrawn_approvals, bob.conflict_violations) == (1, 0)
    assert (carol.requested, carol.declined, carol.pending, carol.overdue, carol.completed) == (2, 1, 1, 1, 0)
    assert carol.median_days is None
    assert (dave.requested, dave.lapsed, dave.active) == (1, 1, False)
    assert ledger.timeline_complete


def test_overdue_threshold_is_configurable(export, roster):
    assert row(build_ledger(export, roster, (), overdue_days=21).totals, "carol-expert").overdue == 0
    assert row(build_ledger(export, roster, (), overdue_days=5).totals, "Bob-Expert").overdue == 1


def test_periods(export, roster):
    monthly = build_ledger(export, roster, ())
    assert {r.period for r in monthly.rows} == {"2025-03"}
    assert row(monthly.rows, "alice-expert", "2025-03").requested == 2
    quarterly = build_ledger(export, roster, (), period_kind="quarter")
    assert {r.period for r in quarterly.rows} == {"2025-Q1"}
    assert period_of(datetime(2025, 3, 31, 16, 30, tzinfo=timezone.utc), "month") == "2025-04"  # Beijing time


def test_no_withdrawn_records_no_withdrawn_approvals(export, roster):
    assert all(r.withdrawn_approvals == 0 for r in build_ledger(export, roster, ()).totals)


def test_request_spans_without_timeline_fall_back_to_the_pull_requests_creation():
    created = datetime(2025, 3, 1, tzinfo=SHANGHAI)
    pull = PullRequest(1, "u", "open", False, created, None, None, (), ("a",), None,
                       (Review("b", "APPROVED", datetime(2025, 3, 3, tzinfo=SHANGHAI)),), None, ())
    spans = {s.login: s for s in request_spans(pull)}
    assert spans["a"].outcome == "pending" and spans["a"].requested_at == created
    assert spans["b"].outcome == "completed" and spans["b"].days(created) == 2.0


def test_a_review_in_the_same_second_as_the_request_completes_it():
    moment = datetime(2025, 3, 1, tzinfo=SHANGHAI)
    pull = PullRequest(1, "u", "open", False, moment, None, None, (), (), None,
                       (Review("a", "APPROVED", moment),), (RequestEvent("requested", "a", moment),), ())
    [span] = request_spans(pull)
    assert span.outcome == "completed"


def test_nearest_rank_percentile():
    assert nearest_rank([5.0], 0.9) == 5.0
    assert nearest_rank([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9) == 9.0
    assert nearest_rank([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0], 0.9) == 10.0


def test_markdown_and_csv_reports(export, roster):
    ledger = build_ledger(export, roster, {"2025-aaaaaaaa"})
    markdown = render_ledger_markdown(ledger)
    assert "数据截至 2025-04-01 08:00（北京时间" in markdown
    assert "| alice-expert | 张晓丽 | 是 | 2 | 2 | 0 | 0 | 0 | 0 | 1.8 | 2.0 | 1 | 1 |" in markdown
    assert "| 2025-03 | carol-expert | 王可欣 | 是 | 2 | 0 | 1 | 1 | 1 | 0 | — | — | 0 | 0 |" in markdown
    assert "@" not in markdown  # pasted into an issue, the report must not mention everyone
    csv = render_ledger_csv(ledger)
    assert csv.startswith("\ufeff期间,GitHub账号,姓名,在任,请求,完成")
    assert "\r\n全部,dave-expert,赵大伟,否,1,0,0,0,0,1,,,0,0\r\n" in csv


def test_report_needs_the_export_time():
    empty = GithubExport("", None, ())
    with pytest.raises(ExportError):
        build_ledger(empty, None, ())


def test_experts_report_command(repo, tmp_path, capsys):
    (repo / ".github").mkdir()
    (repo / ".github" / "experts.yaml").write_bytes((GITHUB / "roster.yaml").read_bytes())
    withdrawn = record_data(id="2025-aaaaaaaa", withdrawn={"date": "2025-05-01", "reason": "演示：成果撤回。"})
    add_record(repo, withdrawn)
    out = tmp_path / "ledger.csv"
    assert main(["--root", str(repo), "experts", "report", "--export", str(GITHUB / "export.json"),
                 "--format", "csv", "--output", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "全部,alice-expert,张晓丽,是,2,2,0,0,0,0,1.8,2.0,1,1" in text  # withdrawn read from results/
    assert main(["--root", str(repo), "experts", "report", "--export", str(GITHUB / "export.json"),
                 "--period", "year"]) == 0
    assert "| 2025 | alice-expert |" in capsys.readouterr().out


def test_report_command_refuses_a_malformed_export(repo, tmp_path, capsys):
    (repo / ".github").mkdir()
    (repo / ".github" / "experts.yaml").write_bytes((GITHUB / "roster.yaml").read_bytes())
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "zlhcg-github-export/1", "repository": "x/y", "exported_at": "2025-04-01T00:00:00Z",'
                   ' "pulls": [{"number": "7"}]}', encoding="utf-8")
    assert main(["--root", str(repo), "experts", "report", "--export", str(bad)]) == 2
    assert "pulls[0].number" in capsys.readouterr().err
    bad.write_text("not json", encoding="utf-8")
    assert main(["--root", str(repo), "experts", "report", "--export", str(bad)]) == 2


# --- reminders -----------------------------------------------------------------------------------------

def test_reminder_schedule():
    assert [age for age in range(0, 30) if reminder_due(age, 14, 3)] == [15, 18, 21, 24, 27]


def test_reminders_on_recorded_data(export, roster):
    assert reminders(export, roster, overdue_days=14, every=3) == []  # carol is at day 20: 15, 18, 21 …
    [due] = reminders(export, roster, overdue_days=14, every=5)  # 15, 20 …
    assert due.pull == 103 and [o.expert.handle for o in due.overdue] == ["carol-expert"]
    text = render_reminder(due, 14)
    assert "@carol-expert（王可欣）：已等待 20 天（请求于 2025-03-11）" in text
    assert "Bob-Expert" not in text


def test_remind_command_writes_comment_files(repo, tmp_path, capsys):
    (repo / ".github").mkdir()
    (repo / ".github" / "experts.yaml").write_bytes((GITHUB / "roster.yaml").read_bytes())
    folder = tmp_path / "reminders"
    assert main(["--root", str(repo), "experts", "remind", "--export", str(GITHUB / "export.json"),
                 "--overdue-days", "10", "--comment-dir", str(folder)]) == 0
    assert json.loads(capsys.readouterr().out) == {"dry_run": False, "reminders": [
        {"number": 103, "handles": ["carol-expert"]}]}
    assert [f.name for f in folder.iterdir()] == ["103.md"]
