"""Entry dates, update dates and revisions read from git: first-parent history of main, one pass."""

from __future__ import annotations

import shutil
from datetime import date, datetime

import pytest

from pipeline.read.history import HistoryError, read_histories
from pipeline.model.library import load_library
from pipeline.model.records import SHANGHAI
from tests.factories import add_record, make_repo, new_id, record_data
from tests.gitrepo import GitRepo

TODAY = date(2026, 6, 1)


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def git_repo(tmp_path) -> GitRepo:
    return GitRepo.init(tmp_path / "repo")


def test_a_direct_commit_gives_entry_and_update_dates(git_repo):
    git_repo.write("results/a/a.yaml", "v1\n")
    git_repo.commit("收录 a", "2025-03-01T10:00:00+08:00")
    git_repo.write("results/a/a.yaml", "v2\n")
    second = git_repo.commit("修改 a", "2025-04-02T09:00:00+08:00")

    history = read_histories(git_repo.root)["results/a/a.yaml"]

    assert history.added == shanghai(2025, 3, 1, 10, 0)
    assert history.updated == shanghai(2025, 4, 2, 9, 0)
    assert [(r.subject, r.when) for r in history.revisions] == [
        ("修改 a", shanghai(2025, 4, 2, 9, 0)), ("收录 a", shanghai(2025, 3, 1, 10, 0))]
    assert history.revisions[0].commit == second


def test_dates_are_committer_dates_in_shanghai_time(git_repo):
    git_repo.write("results/a/a.yaml", "v1\n")
    # 20:30 UTC on 4 March is 04:30 on 5 March in Shanghai; the author date (a week earlier) is not used.
    git_repo.commit("收录 a", "2025-03-04T20:30:00Z", author_when="2025-02-25T10:00:00+08:00")

    history = read_histories(git_repo.root)["results/a/a.yaml"]

    assert history.added == shanghai(2025, 3, 5, 4, 30)
    assert history.added.date() == date(2025, 3, 5)


def test_a_merged_branch_enters_on_the_merge_commit(git_repo):
    git_repo.write("README.md", "库\n")
    git_repo.commit("初始化", "2025-01-01T08:00:00+08:00")
    git_repo.branch("submit")
    git_repo.write("results/b/b.yaml", "draft\n")
    git_repo.commit("草稿", "2025-02-01T08:00:00+08:00")
    git_repo.write("results/b/b.yaml", "final\n")
    git_repo.commit("定稿", "2025-02-03T08:00:00+08:00")
    git_repo.checkout("main")
    merge = git_repo.merge("submit", "2025-02-10T15:00:00+08:00", "合并拉取请求 #7")

    history = read_histories(git_repo.root)["results/b/b.yaml"]

    assert history.added == shanghai(2025, 2, 10, 15, 0)
    assert [(r.subject, r.commit) for r in history.revisions] == [("合并拉取请求 #7", merge)]


def test_a_merge_counts_only_what_the_branch_brought_when_main_moved_on(git_repo):
    git_repo.write("results/a/a.yaml", "a\n")
    git_repo.commit("收录 a", "2025-01-01T08:00:00+08:00")
    git_repo.branch("submit")
    git_repo.write("results/b/b.yaml", "b\n")
    git_repo.commit("草稿 b", "2025-01-05T08:00:00+08:00")
    git_repo.checkout("main")
    git_repo.write("results/a/a.yaml", "a2\n")
    git_repo.commit("修改 a", "2025-01-06T08:00:00+08:00")
    git_repo.merge("submit", "2025-01-08T08:00:00+08:00", "合并 b")

    histories = read_histories(git_repo.root)

    assert histories["results/b/b.yaml"].added == shanghai(2025, 1, 8, 8, 0)
    assert [r.subject for r in histories["results/a/a.yaml"].revisions] == ["修改 a", "收录 a"]


def test_a_squash_merge_enters_on_the_squash_commit(git_repo):
    git_repo.write("README.md", "库\n")
    git_repo.commit("初始化", "2025-01-01T08:00:00+08:00")
    git_repo.branch("submit")
    git_repo.write("results/c/c.yaml", "draft\n")
    git_repo.commit("草稿", "2025-02-01T08:00:00+08:00")
    git_repo.checkout("main")
    git_repo.squash("submit", "2025-02-20T11:00:00+08:00", "收录成果 c (#9)")

    history = read_histories(git_repo.root)["results/c/c.yaml"]

    assert history.added == shanghai(2025, 2, 20, 11, 0)
    assert [r.subject for r in history.revisions] == ["收录成果 c (#9)"]


def test_a_move_to_another_folder_keeps_the_history(git_repo):
    git_repo.write("results/r1.yaml", "内容\n" * 20)
    git_repo.commit("收录", "2025-01-01T08:00:00+08:00")
    git_repo.move("results/r1.yaml", "results/r1/r1.yaml")
    git_repo.commit("迁移目录结构", "2025-06-01T08:00:00+08:00")

    histories = read_histories(git_repo.root)

    assert "results/r1.yaml" not in histories
    moved = histories["results/r1/r1.yaml"]
    assert moved.added == shanghai(2025, 1, 1, 8, 0)
    assert [r.subject for r in moved.revisions] == ["迁移目录结构", "收录"]


def test_moving_the_library_into_year_folders_keeps_every_entry_date(git_repo):
    ids = [new_id(1), new_id(2, 2024)]
    for n, record_id in enumerate(ids):
        git_repo.write(f"results/{record_id}/{record_id}.yaml", f"成果 {n}\n" * 20)
        git_repo.commit(f"收录 {record_id}", f"2025-0{n + 1}-01T08:00:00+08:00")
    for record_id in ids:
        git_repo.move(f"results/{record_id}", f"results/{record_id[:4]}/{record_id}")
    git_repo.commit("按年份分文件夹", "2025-06-01T08:00:00+08:00")

    histories = read_histories(git_repo.root)

    assert sorted(histories) == sorted(f"results/{i[:4]}/{i}/{i}.yaml" for i in ids)
    for n, record_id in enumerate(ids):
        moved = histories[f"results/{record_id[:4]}/{record_id}/{record_id}.yaml"]
        assert moved.added == moved.updated == shanghai(2025, n + 1, 1, 8, 0)
        assert [(r.subject, r.content) for r in moved.revisions] == [("按年份分文件夹", False),
                                                                     (f"收录 {record_id}", True)]


def test_a_renamed_move_merged_from_a_branch_keeps_the_history(git_repo):
    git_repo.write("site/monthly/old/2025-03.md", "月报\n" * 20)
    git_repo.commit("发布月报", "2025-03-20T08:00:00+08:00")
    git_repo.branch("tidy")
    git_repo.move("site/monthly/old/2025-03.md", "site/monthly/2025-03.md")
    git_repo.commit("整理", "2025-04-01T08:00:00+08:00")
    git_repo.checkout("main")
    git_repo.merge("tidy", "2025-04-02T08:00:00+08:00", "合并整理")

    history = read_histories(git_repo.root)["site/monthly/2025-03.md"]

    assert history.added == shanghai(2025, 3, 20, 8, 0)
    assert history.updated == shanghai(2025, 4, 2, 8, 0)


def test_a_similar_file_with_another_name_is_a_new_file_not_a_rename(git_repo):
    template = "同一模板生成的内容\n" * 30
    git_repo.write("results/x/x.yaml", template + "x\n")
    git_repo.commit("收录 x", "2025-01-01T08:00:00+08:00")
    git_repo.delete("results/x")
    git_repo.write("results/y/y.yaml", template + "y\n")
    git_repo.commit("删除 x，收录 y", "2025-05-01T08:00:00+08:00")

    histories = read_histories(git_repo.root)

    assert git_repo.repo.git.diff("-M", "--name-status", "HEAD~1", "HEAD").startswith("R")  # git pairs them
    assert "results/x/x.yaml" not in histories
    assert histories["results/y/y.yaml"].added == shanghai(2025, 5, 1, 8, 0)
    assert len(histories["results/y/y.yaml"].revisions) == 1


def test_a_file_moved_and_then_deleted_leaves_no_history_under_either_name(git_repo):
    git_repo.write("results/r1.yaml", "内容\n" * 20)
    git_repo.write("results/keep/keep.yaml", "留下\n")
    git_repo.commit("收录", "2025-01-01T08:00:00+08:00")
    git_repo.write("results/r1.yaml", "内容\n" * 20 + "改\n")
    git_repo.commit("修改", "2025-01-02T08:00:00+08:00")
    git_repo.move("results/r1.yaml", "results/r1/r1.yaml")
    git_repo.commit("迁移", "2025-02-01T08:00:00+08:00")
    git_repo.delete("results/r1")
    git_repo.commit("删除", "2025-03-01T08:00:00+08:00")

    assert set(read_histories(git_repo.root)) == {"results/keep/keep.yaml"}


def test_a_file_deleted_and_added_again_starts_a_new_history(git_repo):
    git_repo.write("results/a/a.yaml", "first\n")
    git_repo.commit("收录", "2025-01-01T08:00:00+08:00")
    git_repo.delete("results/a/a.yaml")
    git_repo.commit("删除", "2025-02-01T08:00:00+08:00")
    git_repo.write("results/a/a.yaml", "second\n")
    git_repo.commit("重新收录", "2025-03-01T08:00:00+08:00")

    history = read_histories(git_repo.root)["results/a/a.yaml"]

    assert history.added == shanghai(2025, 3, 1, 8, 0)
    assert [r.subject for r in history.revisions] == ["重新收录"]


def test_only_library_folders_are_read(git_repo):
    git_repo.write("results/a/a.yaml", "a\n")
    git_repo.write("site/quarterly/2025-Q1.md", "q\n")
    git_repo.write("site/index.md", "首页\n")
    git_repo.write("pipeline/x.py", "\n")
    git_repo.commit("初始", "2025-01-01T08:00:00+08:00")

    assert set(read_histories(git_repo.root)) == {"results/a/a.yaml", "site/quarterly/2025-Q1.md"}


def test_a_repository_without_commits_has_no_histories(git_repo):
    assert read_histories(git_repo.root) == {}


def test_a_folder_without_git_has_no_history(tmp_path):
    assert read_histories(tmp_path) is None


def test_a_broken_git_folder_is_a_history_error(tmp_path):
    (tmp_path / ".git").mkdir()
    with pytest.raises(HistoryError, match="读取 git 历史失败"):
        read_histories(tmp_path)


def test_a_shallow_clone_is_refused_with_how_to_fix_it(git_repo, tmp_path):
    for day in (1, 2):
        git_repo.write("results/a/a.yaml", f"v{day}\n")
        git_repo.commit(f"第 {day} 次", f"2025-01-0{day}T08:00:00+08:00")
    shallow = git_repo.clone(tmp_path / "shallow", depth=1)
    assert shallow.repo.git.rev_parse("--is-shallow-repository") == "true"

    with pytest.raises(HistoryError) as raised:
        read_histories(shallow.root)

    assert "浅克隆" in str(raised.value) and "fetch-depth: 0" in str(raised.value)


def test_a_full_clone_reads_the_same_history(git_repo, tmp_path):
    git_repo.write("results/a/a.yaml", "v1\n")
    git_repo.commit("收录", "2025-01-01T08:00:00+08:00")
    clone = git_repo.clone(tmp_path / "full")

    assert read_histories(clone.root) == read_histories(git_repo.root)


# --- precedence, through load_library as the build uses it ---------------------------------------------

@pytest.fixture
def library_repo(tmp_path) -> GitRepo:
    root = make_repo(tmp_path / "lib")
    repo = GitRepo.init(root)
    repo.commit("初始化成果库", "2025-01-01T08:00:00+08:00")
    return repo


def _load(root):
    return load_library(root, today=TODAY, history=read_histories(root), require_dates=True)


def test_an_explicit_entered_date_wins_over_git(library_repo):
    add_record(library_repo.root, record_data(id=new_id(1), entered="2024-05-06"))
    add_record(library_repo.root, record_data(id=new_id(2), entered=None))
    library_repo.commit("迁移历史成果", "2025-03-01T10:00:00+08:00")

    result = _load(library_repo.root)

    assert result.ok, result.diagnostics
    explicit, from_git = result.library.record(new_id(1)), result.library.record(new_id(2))
    assert explicit.entered == shanghai(2024, 5, 6, 0, 0)
    assert from_git.entered == shanghai(2025, 3, 1, 10, 0)
    assert from_git.updated == shanghai(2025, 3, 1, 10, 0)
    assert [r.subject for r in from_git.revisions] == ["迁移历史成果"]


def test_a_record_not_yet_in_git_is_an_error_not_now(library_repo):
    add_record(library_repo.root, record_data(id=new_id(3), entered=None))

    result = _load(library_repo.root)

    assert [(d.file, d.rule) for d in result.diagnostics if d.is_error] == [
        (f"results/{new_id(3)[:4]}/{new_id(3)}/{new_id(3)}.yaml", "history.no-entry-date")]
    assert "git 历史中找不到" in result.diagnostics[0].message


def test_an_archive_builds_when_every_record_has_explicit_dates(library_repo, tmp_path):
    add_record(library_repo.root, record_data(id=new_id(4), entered="2024-05-06"))
    library_repo.commit("收录", "2025-03-01T10:00:00+08:00")
    archive = tmp_path / "archive"
    shutil.copytree(library_repo.root, archive, ignore=shutil.ignore_patterns(".git"))

    result = _load(archive)

    assert result.ok, result.diagnostics
    assert result.library.record(new_id(4)).entered == shanghai(2024, 5, 6, 0, 0)


def test_an_archive_says_which_records_lack_a_date(library_repo, tmp_path):
    add_record(library_repo.root, record_data(id=new_id(5), entered="2024-05-06"))
    add_record(library_repo.root, record_data(id=new_id(6), entered=None))
    library_repo.commit("收录", "2025-03-01T10:00:00+08:00")
    archive = tmp_path / "archive"
    shutil.copytree(library_repo.root, archive, ignore=shutil.ignore_patterns(".git"))

    result = _load(archive)

    errors = [d for d in result.diagnostics if d.is_error]
    assert [(d.file, d.rule) for d in errors] == [(f"results/{new_id(6)[:4]}/{new_id(6)}/{new_id(6)}.yaml", "history.no-entry-date")]
    assert "没有 git 历史" in errors[0].message and "entered" in errors[0].message
