"""The first-parent log is read once and kept: later builds ask git only for newer commits, a long stretch is
read by parallel processes, and none of it changes a single date or revision."""

from __future__ import annotations

import gzip
import subprocess

import pytest

from pipeline.read import first_parent_log as log_module
from pipeline.read import history_cache, revisions
from pipeline.read.history import read_histories
from tests.gitrepo import GitRepo, day


@pytest.fixture
def git_repo(tmp_path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "repo")
    repo.write(".gitignore", "/.cache/\n")
    repo.commit("建立成果库", day(0))
    for n in range(12):  # additions, edits, a deletion, a move, merges
        if n % 3 == 0:
            repo.branch(f"pr{n}")
            repo.write(f"results/r{n}/r{n}.yaml", f"title: 成果{n}\n")
            repo.commit(f"提交 r{n}", day(n))
            repo.checkout("main")
            repo.merge(f"pr{n}", day(n))
        else:
            repo.write(f"results/r{n}/r{n}.yaml", f"title: 成果{n}\n")
            repo.commit(f"收录 r{n}", day(n))
    repo.write("results/r1/r1.yaml", "title: 成果1（修订）\n")
    repo.commit("修改 r1", day(20))
    repo.delete("results/r2/r2.yaml")
    repo.commit("撤回 r2", day(21))
    repo.move("results/r4/r4.yaml", "results/new/r4.yaml")
    repo.commit("移动 r4", day(22))
    return repo


def git_log_calls(monkeypatch) -> list[list[str]]:
    """Every `git log` run from now on (reading the cache and the chain of commit ids is not one)."""
    calls, real = [], subprocess.Popen

    def spy(args, **options):
        if args[:2] == ["git", "log"]:
            calls.append(args)
        return real(args, **options)

    monkeypatch.setattr(subprocess, "Popen", spy)
    return calls


def uncached(root, monkeypatch):
    monkeypatch.setenv(history_cache.SWITCH, "0")
    try:
        return read_histories(root)
    finally:
        monkeypatch.delenv(history_cache.SWITCH)


def test_a_second_read_asks_git_only_for_the_new_commits(git_repo, monkeypatch):
    first = read_histories(git_repo.root)
    assert (git_repo.root / history_cache.FOLDER / log_module.CACHE_NAME).is_file()
    git_repo.write("results/r5/r5.yaml", "title: 成果5（修订）\n")
    new = git_repo.commit("修改 r5", day(23))
    calls = git_log_calls(monkeypatch)
    second = read_histories(git_repo.root)
    assert len(calls) == 1 and calls[0][-3:] == [new, "--not", git_repo.repo.head.commit.parents[0].hexsha]
    assert second == uncached(git_repo.root, monkeypatch)
    assert second["results/r5/r5.yaml"].revisions[0].commit == new
    assert {k: v for k, v in second.items() if k != "results/r5/r5.yaml"} == {
        k: v for k, v in first.items() if k != "results/r5/r5.yaml"}


def test_nothing_new_means_no_git_log_at_all(git_repo, monkeypatch):
    first = read_histories(git_repo.root)
    calls = git_log_calls(monkeypatch)
    assert read_histories(git_repo.root) == first and calls == []


def test_a_rewritten_history_is_read_again_in_full(git_repo, monkeypatch):
    read_histories(git_repo.root)
    git_repo.repo.git.reset("--hard", "HEAD~2")  # the cached tip is no longer on the chain
    git_repo.write("results/r7/r7.yaml", "title: 成果7（另一条历史）\n")
    git_repo.commit("修改 r7", day(24))
    calls = git_log_calls(monkeypatch)
    again = read_histories(git_repo.root)
    assert len(calls) == 1 and "--not" not in calls[0]
    assert again == uncached(git_repo.root, monkeypatch)
    assert "results/r4/r4.yaml" in again and "results/new/r4.yaml" not in again


def test_a_damaged_or_foreign_cache_is_ignored(git_repo, monkeypatch):
    expected = uncached(git_repo.root, monkeypatch)
    cache = git_repo.root / history_cache.FOLDER / log_module.CACHE_NAME
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"not gzip at all")
    assert read_histories(git_repo.root) == expected
    with gzip.open(cache, "wt", encoding="utf-8") as out:  # written by another git version: not trusted
        out.write('{"format": 1, "git": "git version 0.1", "tip": "%s"}\n' % git_repo.repo.head.commit.hexsha)
    assert read_histories(git_repo.root) == expected


def test_a_long_stretch_is_read_in_parallel_ranges_with_the_same_result(git_repo, monkeypatch):
    expected = uncached(git_repo.root, monkeypatch)
    monkeypatch.setattr(log_module, "IN_PARALLEL_FROM", 2)
    monkeypatch.setattr(log_module, "usable_cores", lambda: 3)
    calls = git_log_calls(monkeypatch)
    assert uncached(git_repo.root, monkeypatch) == expected
    assert len(calls) == 3


def test_ranges_are_cut_into_equal_numbers_of_commits():
    assert log_module._cuts(10_000, 2) == [0, 5_000, 10_000]
    assert log_module._cuts(3_000, 3) == [0, 1_000, 2_000, 3_000]  # only the newest 3,000 still to read
    assert log_module._cuts(50, 1) == [0, 50]


def test_record_versions_are_compared_once_and_the_comparison_kept(git_repo, monkeypatch):
    git_repo.write("results/r3/r3.yaml", "title: 成果3\nlevel: 国际领先\n")
    git_repo.commit("补充 r3", day(25))
    git_repo.write("results/r3/r3.yaml", "# 只加了注释\ntitle: 成果3\nlevel: 国际领先\n")
    git_repo.commit("注释 r3", day(26))
    first = read_histories(git_repo.root)
    assert (git_repo.root / history_cache.FOLDER / revisions.DIFFS_NAME).is_file()
    reads = []
    real = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: reads.append(args) or real(args, **kw))
    again = read_histories(git_repo.root)
    assert again == first and not [a for a in reads if "cat-file" in a]
    assert again == uncached(git_repo.root, monkeypatch)
    content = [r.content for r in again["results/r3/r3.yaml"].revisions]
    assert content == [False, True, True]  # a comment is no content change; the field added is
    assert [c.key for c in again["results/r3/r3.yaml"].revisions[1].changes] == ["level"]


def test_a_damaged_comparison_cache_is_made_again(git_repo, monkeypatch):
    expected = uncached(git_repo.root, monkeypatch)
    cache = git_repo.root / history_cache.FOLDER / revisions.DIFFS_NAME
    cache.parent.mkdir(parents=True)
    with gzip.open(cache, "wt", encoding="utf-8") as out:
        out.write('{"format": 1, "diffs": {"a b": "not a pair"}}')
    assert read_histories(git_repo.root) == expected
