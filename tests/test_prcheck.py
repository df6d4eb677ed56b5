"""`zlhcg check-pr`: what a pull request may change, checked against throwaway repositories."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest
import yaml

from pipeline.cli import main
from pipeline.review.prcheck import check_pull_request
from tests.factories import EXEMPLAR_IMAGE, add_edition, add_record, dump_yaml, make_repo, new_id, record_data
from tests.gitrepo import GitRepo

TODAY = date(2026, 1, 10)
BASE_DAY = "2025-05-01"  # the date of the base commit every pull request here starts from
A, B, C, NEW = new_id(1), new_id(2), new_id(3), new_id(9)
WITHDRAWN_REASON = "完成单位申请撤回，成果权属待核实。"


def record_path(record_id: str) -> str:
    return f"results/{record_id[:4]}/{record_id}/{record_id}.yaml"


def monthly_front(ids, *, published="2025-04-10", serial=30, issue=3, corrections=None, survey="2025-04-01",
                  **extra) -> dict:
    front = {
        "issue": issue, "serial": serial, "published": published,
        "featured": [{"result": i, "note": "本月完成中试验证，进展显著。",
                      "survey": {"date": survey, "by": "省科技厅成果处"}} for i in ids],
        "distribution": {"to": ["省委、省政府"]},
    }
    if corrections:
        front["corrections"] = corrections
    return {**front, **extra}


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    """Main has records A (featured in the published March report), B, and C (already withdrawn);
    the checked-out branch `pr` starts from it."""
    root = make_repo(tmp_path / "lib")
    add_record(root, record_data(id=A, entered=None))
    add_record(root, record_data(id=B))
    add_record(root, record_data(id=C, withdrawn={"date": "2025-04-20", "reason": WITHDRAWN_REASON}))
    add_edition(root, "monthly", "2025-03", monthly_front([A]))
    git_repo = GitRepo.init(root)
    git_repo.commit("成果库", f"{BASE_DAY}T10:00:00+08:00")
    git_repo.branch("pr")
    return git_repo


def check(repo: GitRepo, *, coordinator=False, commit=True, base="main"):
    if commit:
        repo.commit("拉取请求的改动", "2025-12-01T10:00:00+08:00")
    _, found = check_pull_request(repo.root, base, today=TODAY, coordinator=coordinator)
    return found


def advance_base(repo: GitRepo, message: str) -> None:
    """Commits on the branch and moves main along: the change is on the base before the pull request's."""
    repo.commit(message, f"{BASE_DAY}T12:00:00+08:00")
    repo.repo.git.branch("-f", "main", "pr")


def errors(found) -> list[tuple[str, str]]:
    return sorted((d.file, d.rule) for d in found if d.is_error)


def edit_record(repo: GitRepo, record_id: str, **overrides) -> None:
    path = repo.root / record_path(record_id)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.write_text(dump_yaml(data), encoding="utf-8")


def add_new_record(repo: GitRepo, record_id: str = NEW, **overrides) -> None:
    add_record(repo.root, record_data(id=record_id, **overrides))


# --- validation of what changed ------------------------------------------------------------------------

def test_adding_one_valid_record_passes(repo):
    add_new_record(repo)
    assert errors(check(repo)) == []


def test_only_changed_files_are_validated(repo):
    repo.write(record_path(B), dump_yaml(record_data(id=B, title="")))
    advance_base(repo, "main 上有一个坏记录（本不应发生；检查拉取请求时不应扫描它）")
    add_new_record(repo)

    assert errors(check(repo)) == []


def test_a_changed_record_is_validated_with_its_line(repo):
    text = repo.read(record_path(B)).replace("title: 车规级", "title: 车规级\u200b")
    repo.write(record_path(B), text)

    found = [d for d in check(repo) if d.is_error]

    assert [(d.file, d.rule, d.line) for d in found] == [(record_path(B), "yaml.forbidden-char", 3)]  # line 1 schema_version, 2 id


def test_a_schema_change_validates_the_whole_library(repo):
    repo.write(record_path(B), dump_yaml(record_data(id=B, title="")))
    advance_base(repo, "main 上有一个坏记录")
    vocab = repo.root / "schema" / "vocab" / "levels.yaml"
    vocab.write_text(vocab.read_text(encoding="utf-8") + "\n", encoding="utf-8")

    assert errors(check(repo)) == [(record_path(B), "schema.minLength")]


def test_a_new_edition_citing_an_unknown_record_fails_and_a_known_one_passes(repo):
    add_edition(repo.root, "monthly", "2025-04", monthly_front([A, NEW], published="2025-05-10", serial=31, issue=4))
    assert errors(check(repo)) == [("site/monthly/2025-04.md", "edition.unknown-result")]

    add_edition(repo.root, "monthly", "2025-04", monthly_front([A, B], published="2025-05-10", serial=31, issue=4))
    assert errors(check(repo)) == []


def test_a_new_monthly_report_reusing_a_serial_is_reported_on_the_new_file(repo):
    add_edition(repo.root, "monthly", "2025-02", monthly_front([B], published="2025-03-10", serial=30, issue=2,
                                                                 survey="2025-03-01"))
    assert errors(check(repo)) == [("site/monthly/2025-02.md", "edition.duplicate-serial")]

    add_edition(repo.root, "monthly", "2025-02", monthly_front([B], published="2025-03-10", serial=29, issue=2,
                                                                 survey="2025-03-01"))
    assert errors(check(repo)) == []


def test_withdrawing_a_record_breaks_the_unchanged_edition_that_features_it(repo):
    edit_record(repo, A, withdrawn={"date": "2025-11-01", "reason": WITHDRAWN_REASON})

    assert errors(check(repo)) == [("site/monthly/2025-03.md", "edition.withdrawn-result")]


def test_a_symlinked_record_file_is_reported_not_followed(repo, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: x\n", encoding="utf-8")
    (repo.root / record_path(B)).unlink()
    os.symlink(secret, repo.root / record_path(B))

    found = errors(check(repo))

    assert (f"results/{B[:4]}/{B}", "layout.no-record") in found


# --- records on the base: no deletion, no new id or entry date, no undoing a withdrawal ---------------

def test_deleting_a_record_fails_and_withdrawing_it_passes(repo):
    repo.delete(f"results/{B[:4]}/{B}")
    assert errors(check(repo)) == [(record_path(B), "pr.record-deleted")]

    repo.repo.git.reset("--hard", "main")
    edit_record(repo, B, withdrawn={"date": "2025-11-01", "reason": WITHDRAWN_REASON})
    assert errors(check(repo)) == []


def test_moving_a_record_to_another_folder_fails(repo):
    repo.move(f"results/{B[:4]}/{B}", f"results/{NEW[:4]}/{NEW}")
    repo.move(f"results/{NEW[:4]}/{NEW}/{B}.yaml", f"results/{NEW[:4]}/{NEW}/{NEW}.yaml")
    edit_record(repo, NEW, id=NEW)

    assert (record_path(B), "pr.record-deleted") in errors(check(repo))


def test_changing_an_id_fails(repo):
    edit_record(repo, B, id=NEW)
    assert (record_path(B), "pr.id-changed") in errors(check(repo))


def test_editing_a_record_keeping_id_and_entered_passes(repo):
    edit_record(repo, B, title="车规级碳化硅功率模块关键技术及规模化应用")
    assert errors(check(repo)) == []


@pytest.mark.parametrize("record_id, entered", [(B, "2025-03-06"), (B, None), (A, "2025-05-01")],
                         ids=["changed", "removed", "added"])
def test_changing_removing_or_adding_entered_fails(repo, record_id, entered):
    edit_record(repo, record_id, entered=entered)
    found = [d for d in check(repo) if d.rule == "pr.entered-changed"]
    assert [d.file for d in found] == [record_path(record_id)]


def test_the_entered_error_points_at_the_changed_line(repo):
    edit_record(repo, B, entered="2025-03-06")
    line = next(n for n, text in enumerate(repo.read(record_path(B)).splitlines(), 1) if text.startswith("entered:"))

    found = [d for d in check(repo) if d.rule == "pr.entered-changed"]

    assert [(d.line, d.field) for d in found] == [(line, "entered")]
    assert "2025-03-05" in found[0].message


def test_undoing_a_withdrawal_fails(repo):
    edit_record(repo, C, withdrawn=None)
    assert errors(check(repo)) == [(record_path(C), "pr.withdrawal-undone")]


def test_redating_a_withdrawal_fails_but_rewording_its_reason_passes(repo):
    edit_record(repo, C, withdrawn={"date": "2025-04-21", "reason": WITHDRAWN_REASON})
    assert errors(check(repo)) == [(record_path(C), "pr.withdrawal-date-changed")]

    edit_record(repo, C, withdrawn={"date": "2025-04-20", "reason": "完成单位申请撤回，成果权属正在核实。"})
    assert errors(check(repo)) == []


# --- published editions change only with a correction note -------------------------------------------

def _correct(repo: GitRepo, corrections, **front) -> None:
    add_edition(repo.root, "monthly", "2025-03", monthly_front([A], corrections=corrections, **front),
                body="本期导语（已更正）。\n")


def test_changing_a_published_edition_without_a_correction_fails(repo):
    _correct(repo, None)
    assert errors(check(repo)) == [("site/monthly/2025-03.md", "pr.correction-missing")]


def test_changing_a_published_edition_with_a_dated_correction_passes(repo):
    _correct(repo, [{"date": "2025-12-01", "note": "更正导语中的一处表述。"}])
    assert errors(check(repo)) == []


def test_a_correction_may_be_dated_the_base_day_and_today(repo):
    _correct(repo, [{"date": BASE_DAY, "note": "更正导语中的一处表述。"},
                    {"date": TODAY.isoformat(), "note": "补充更正说明。"}])
    assert errors(check(repo)) == []


@pytest.mark.parametrize("day", ["2025-04-30", "2026-01-11"], ids=["before-base", "after-today"])
def test_a_correction_dated_outside_base_to_today_fails(repo, day):
    _correct(repo, [{"date": day, "note": "更正导语中的一处表述。"}])
    found = [d for d in check(repo) if d.is_error]
    assert [(d.rule, d.field) for d in found] == [("pr.correction-date", "corrections[0].date")]
    assert f"{BASE_DAY} 至 {TODAY}" in found[0].message


def test_a_published_correction_cannot_be_removed(repo):
    old = [{"date": "2025-04-15", "note": "更正一处错别字。"}]
    _correct(repo, old)
    advance_base(repo, "带更正的月报")

    _correct(repo, [{"date": "2025-12-01", "note": "再次更正导语。"}], title="新标题")
    assert errors(check(repo)) == [("site/monthly/2025-03.md", "pr.correction-removed")]

    _correct(repo, old + [{"date": "2025-12-01", "note": "再次更正导语。"}], title="新标题")
    assert errors(check(repo)) == []


def test_deleting_a_published_edition_fails(repo):
    repo.delete("site/monthly/2025-03.md")
    assert errors(check(repo)) == [("site/monthly/2025-03.md", "pr.edition-deleted")]


def test_an_edition_not_yet_published_changes_freely(repo):
    add_edition(repo.root, "monthly", "2026-01", monthly_front([B], published="2026-02-10", serial=40, issue=1))
    advance_base(repo, "预排下期月报")

    add_edition(repo.root, "monthly", "2026-01", monthly_front([B], published="2026-02-12", serial=40, issue=1))
    assert errors(check(repo)) == []
    repo.delete("site/monthly/2026-01.md")
    assert errors(check(repo)) == []


# --- a pull request that adds a record touches only its folder -----------------------------------------

def test_adding_a_record_and_changing_another_file_fails_unless_coordinator(repo):
    add_new_record(repo)
    edit_record(repo, B, title="车规级碳化硅功率模块关键技术及规模化应用")
    repo.write("README.md", "改动\n")

    assert errors(check(repo)) == [("README.md", "pr.outside-record"), (record_path(B), "pr.outside-record")]
    assert errors(check(repo, coordinator=True, commit=False)) == []


def test_adding_two_records_fails_unless_coordinator(repo):
    add_new_record(repo)
    add_new_record(repo, new_id(10))

    assert errors(check(repo)) == [(f"results/{NEW[:4]}/{NEW}", "pr.several-records")]
    assert errors(check(repo, coordinator=True, commit=False)) == []


def test_adding_an_image_to_an_existing_record_is_not_an_addition(repo):
    repo.copy_in(EXEMPLAR_IMAGE, f"results/{B[:4]}/{B}/line.png")
    edit_record(repo, B, media=[{"file": "module.png", "alt": "车规级碳化硅功率模块产品照片（演示图片）"},
                                {"file": "line.png", "alt": "碳化硅模块生产线（演示图片）"}])
    repo.write("README.md", "改动\n")

    assert errors(check(repo)) == []


def test_a_second_yaml_in_an_existing_folder_is_a_layout_error_not_a_new_record(repo):
    repo.write(f"results/{B[:4]}/{B}/{B}.yml", dump_yaml(record_data(id=B)))
    repo.write("README.md", "改动\n")

    found = errors(check(repo))

    assert (f"results/{B[:4]}/{B}/{B}.yml", "layout.extra-record") in found
    assert not [rule for _, rule in found if rule.startswith("pr.")]


def test_a_new_id_already_taken_on_the_base_tip_fails(repo):
    repo.checkout("main")
    add_new_record(repo)
    repo.commit("另一条拉取请求先合并了同一编号", "2025-06-01T10:00:00+08:00")
    repo.checkout("pr")
    add_new_record(repo, title="另一项成果：新型固态电池电解质材料")

    assert errors(check(repo)) == [(f"results/{NEW[:4]}/{NEW}", "pr.id-taken")]


# --- the command line ----------------------------------------------------------------------------------

def run_cli(repo: GitRepo, capsys, *args) -> tuple[int, str, str]:
    code = main(["--root", str(repo.root), "check-pr", "--base", "main", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768003200")  # 2026-01-10 08:00 Shanghai


def test_cli_text_and_exit_codes(repo, capsys, fixed_today):
    add_new_record(repo)
    repo.commit("新成果", "2025-12-01T10:00:00+08:00")
    assert run_cli(repo, capsys)[:2] == (0, "检查通过：没有发现问题。\n")

    repo.delete(f"results/{B[:4]}/{B}")
    repo.commit("删除", "2025-12-02T10:00:00+08:00")
    code, out, _ = run_cli(repo, capsys)
    assert code == 1
    assert f"{record_path(B)}: 错误: 这条成果已经入库，不能删除、改名或移动。 [pr.record-deleted]" in out


def test_cli_github_annotations_point_at_the_changed_line(repo, capsys, fixed_today):
    edit_record(repo, B, entered="2025-03-06")
    repo.commit("改入库日期", "2025-12-01T10:00:00+08:00")
    line = next(n for n, text in enumerate(repo.read(record_path(B)).splitlines(), 1) if text.startswith("entered:"))

    code, out, _ = run_cli(repo, capsys, "--format", "github")

    assert code == 1
    assert f"::error file={record_path(B)},line={line},col=10,title=pr.entered-changed::字段 entered：" in out


def test_cli_json_report(repo, capsys, fixed_today):
    add_new_record(repo)
    add_new_record(repo, new_id(10))
    repo.commit("两条", "2025-12-01T10:00:00+08:00")

    code, out, _ = run_cli(repo, capsys, "--format", "json")
    report = json.loads(out)

    assert code == 1
    assert report["ok"] is False and report["coordinator"] is False and report["changed_files"] == 4
    assert report["merge_base"] == repo.repo.git.merge_base("main", "HEAD")
    assert [d["rule"] for d in report["diagnostics"]] == ["pr.several-records"]

    code, out, _ = run_cli(repo, capsys, "--format", "json", "--coordinator")
    assert code == 0 and json.loads(out)["coordinator"] is True


def test_cli_unknown_base_is_a_usage_error(repo, capsys):
    code, out, err = run_cli(repo, capsys, "--base", "origin/nope")
    assert code == 2 and out == ""
    assert "找不到基准分支或提交“origin/nope”" in err


def test_cli_outside_git_is_a_usage_error(tmp_path, capsys):
    root = make_repo(tmp_path / "archive")
    code = main(["--root", str(root), "check-pr", "--base", "main"])
    assert code == 2
    assert "不是 git 仓库" in capsys.readouterr().err


def test_cli_in_a_shallow_clone_says_to_fetch_full_history(repo, tmp_path, capsys):
    add_new_record(repo)
    repo.commit("新成果", "2025-12-01T10:00:00+08:00")
    shallow = repo.clone(tmp_path / "shallow", depth=1, branch="pr")

    code = main(["--root", str(shallow.root), "check-pr", "--base", "origin/main"])

    assert code == 2
    assert "fetch-depth: 0" in capsys.readouterr().err
