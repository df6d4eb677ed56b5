"""The cold history pass works on the log while git still writes it: the log arrives in parts of whole
commits, and record versions are compared on a background thread. None of it may change a date, a revision
or a field change: the histories must be those of reading the whole log first and comparing afterwards."""

from __future__ import annotations

import subprocess

import pytest

from pipeline.read import first_parent_log as log_module
from pipeline.read import history_cache, revisions
from pipeline.read.history import HistoryError, _parse_log, build_histories, read_histories
from tests.gitrepo import GitRepo, day

RECORD = "# yaml-language-server: $schema=../../schema/v{v}.json\ntitle: 成果{n}\nprogress:\n{items}"


def record(n: int, items: int = 1, v: int = 1, comment: str = "") -> str:
    return comment + RECORD.format(v=v, n=n, items="".join(f"  - 第{i}项\n" for i in range(items)))


@pytest.fixture
def git_repo(tmp_path, monkeypatch) -> GitRepo:
    """Additions, merges, field changes, a reformat, a schema migration, a deletion, a move."""
    monkeypatch.setenv(history_cache.SWITCH, "0")  # every read here is cold
    repo = GitRepo.init(tmp_path / "repo")
    repo.write(".gitignore", "/.cache/\n")
    repo.commit("建立成果库", day(0))
    for n in range(8):
        repo.branch(f"pr{n}")
        repo.write(f"results/r{n}/r{n}.yaml", record(n))
        repo.commit(f"提交 r{n}", day(n + 1))
        repo.checkout("main")
        repo.merge(f"pr{n}", day(n + 1))
    for n in range(0, 8, 2):
        repo.write(f"results/r{n}/r{n}.yaml", record(n, items=2))
        repo.commit(f"补充 r{n}", day(n + 10))
    repo.write("results/r1/r1.yaml", record(1, comment="# 只加了注释\n"))
    repo.commit("注释 r1", day(20))
    repo.write("results/r3/r3.yaml", record(3, v=2))
    repo.commit("迁移 r3", day(21))
    repo.delete("results/r5/r5.yaml")
    repo.commit("撤回 r5", day(22))
    repo.move("results/r6/r6.yaml", "results/new/r6.yaml")
    repo.commit("移动 r6", day(23))
    return repo


def whole_log(root) -> str:
    return subprocess.run(["git", "log", *log_module.LOG_OPTIONS, "HEAD"], cwd=root, capture_output=True,
                          check=True).stdout.decode()


def read_first_then_compare(root):
    """The reference: the whole log parsed at once, then every wanted pair compared in this thread."""
    def diffs(pairs):
        pairs = set(pairs)
        blobs = revisions.read_blobs(root, (sha for pair in pairs for sha in pair))
        return {(old, new): revisions.compare(blobs[old], blobs[new]) for old, new in pairs
                if old in blobs and new in blobs}

    return build_histories(_parse_log(whole_log(root)), diffs)


def in_small_parts(monkeypatch, cores: int = 2) -> None:
    monkeypatch.setattr(log_module, "PART_BYTES", 1)  # a part per commit: each read is at least a byte
    monkeypatch.setattr(log_module, "IN_PARALLEL_FROM", 2)
    monkeypatch.setattr(log_module, "usable_cores", lambda: cores)


def test_the_log_arrives_in_parts_of_whole_commits_that_make_up_the_log(git_repo, monkeypatch):
    in_small_parts(monkeypatch, cores=1)
    parts = log_module.first_parent_log(git_repo.root, lambda text: text)
    assert len(parts) > 1 and "".join(parts) == whole_log(git_repo.root)
    assert all(part.lstrip("\n").startswith("\x01") for part in parts)
    commits = [commit for part in parts for commit in _parse_log(part)]
    assert commits == list(_parse_log(whole_log(git_repo.root)))


def test_streamed_parallel_reading_gives_the_histories_of_reading_first_and_comparing_after(git_repo,
                                                                                         monkeypatch):
    expected = read_first_then_compare(git_repo.root)
    assert [r.content for r in expected["results/r1/r1.yaml"].revisions] == [False, True]
    assert [r.content for r in expected["results/r3/r3.yaml"].revisions] == [False, True]
    assert [c.key for c in expected["results/r0/r0.yaml"].revisions[0].changes] == ["progress"]
    assert read_histories(git_repo.root) == expected  # large parts, one process
    in_small_parts(monkeypatch)
    assert read_histories(git_repo.root) == expected


def test_a_failing_git_log_range_is_a_history_error(git_repo, monkeypatch):
    in_small_parts(monkeypatch)
    monkeypatch.setattr(log_module, "LOG_OPTIONS", (*log_module.LOG_OPTIONS, "--no-such-option"))
    with pytest.raises(HistoryError, match="读取 git 历史失败"):
        read_histories(git_repo.root)


def cat_file_calls(monkeypatch) -> list[list[str]]:
    calls, real = [], subprocess.run
    monkeypatch.setattr(subprocess, "run",
                        lambda args, **kw: (calls.append(args) if "cat-file" in args else None) or real(args, **kw))
    return calls


def modified_pairs(root) -> list[tuple[str, str]]:
    return [(c.old_blob, c.new_blob) for commit in _parse_log(whole_log(root)) for c in commit.changes
            if c.status == "M"]


def plain(found) -> dict:
    return {pair: (diff.content, diff.fields) for pair, diff in found.items()}


def compared_here(root, pairs) -> dict:
    blobs = revisions.read_blobs(root, (sha for pair in pairs for sha in pair))
    return plain({(old, new): revisions.compare(blobs[old], blobs[new]) for old, new in pairs})


def test_pairs_handed_over_early_are_compared_once_on_the_thread(git_repo, monkeypatch):
    pairs = modified_pairs(git_repo.root)
    calls = cat_file_calls(monkeypatch)
    with revisions.VersionComparisons(git_repo.root) as comparisons:
        comparisons.start(pairs[:2])
        comparisons.start(pairs)
        found = comparisons.result(pairs[1:])
    assert 1 <= len(calls) <= 2  # the thread may take both hand-overs at once
    assert plain(found) == compared_here(git_repo.root, pairs[1:])


def test_a_pair_not_handed_over_early_is_compared_when_asked_for(git_repo, monkeypatch):
    pairs = modified_pairs(git_repo.root)
    with revisions.VersionComparisons(git_repo.root) as comparisons:
        found = comparisons.result(pairs)
    assert plain(found) == compared_here(git_repo.root, pairs)


def test_a_failure_on_the_thread_is_raised_by_result(tmp_path):
    with revisions.VersionComparisons(tmp_path) as comparisons:  # not a git repository: cat-file fails
        comparisons.start([("1" * 40, "2" * 40)])
        with pytest.raises(subprocess.CalledProcessError):
            comparisons.result([])
