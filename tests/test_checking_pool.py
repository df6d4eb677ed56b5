"""A large library is checked on several processes: the verdict must be the same, file by file."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from pipeline.diagnostics import format_text
from pipeline.model import checking_pool
from pipeline.model.library import load_library
from tests.factories import add_record, make_repo, new_id, record_data

TODAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def mixed_library(tmp_path_factory):
    """Valid records and broken ones (a YAML error, a schema error, a rule error, a duplicate id)."""
    root = make_repo(tmp_path_factory.mktemp("pool") / "repo")
    for n in range(12):
        add_record(root, record_data(id=new_id(n)))
    add_record(root, text="title: 缺少冒号后的空格\nsummary:[1\n", record_id=new_id(20))
    add_record(root, record_data(id=new_id(21), units="不是列表"))
    broken_code = record_data(id=new_id(22))
    broken_code["units"][0]["credit_code"] = "91330000000000000X"
    add_record(root, broken_code)
    shutil.copytree(root / "results" / new_id(0), root / "results" / new_id(23))
    (root / "results" / new_id(23) / f"{new_id(0)}.yaml").rename(root / "results" / new_id(23) / f"{new_id(23)}.yaml")
    return root


def run(root, monkeypatch, jobs: str, threshold: int):
    monkeypatch.setenv(checking_pool.JOBS_VARIABLE, jobs)
    monkeypatch.setattr(checking_pool, "IN_PARALLEL_FROM", threshold)
    return load_library(root, today=TODAY)


def test_several_processes_give_the_same_records_and_messages_as_one(mixed_library, monkeypatch):
    spawned = []
    real_pool = checking_pool.ProcessPoolExecutor
    monkeypatch.setattr(checking_pool, "ProcessPoolExecutor", lambda *a, **k: spawned.append(k) or real_pool(*a, **k))
    alone = run(mixed_library, monkeypatch, "1", 1)
    assert not spawned
    together = run(mixed_library, monkeypatch, "2", 1)
    assert spawned, "the second run must really use worker processes"
    assert format_text(together.diagnostics) == format_text(alone.diagnostics)
    assert together.library.records == alone.library.records
    files = {d.file.split("/")[1] for d in alone.diagnostics}
    assert {new_id(20), new_id(21), new_id(22), new_id(23)} <= files
    assert len(alone.library.records) == 12  # the three broken files and the copy with a borrowed id are refused


def test_small_libraries_are_checked_in_this_process(mixed_library, monkeypatch):
    monkeypatch.setattr(checking_pool, "ProcessPoolExecutor", None)  # would fail if used
    result = run(mixed_library, monkeypatch, "2", checking_pool.IN_PARALLEL_FROM)
    assert len(result.library.records) == 12 and result.diagnostics


def test_workers_that_cannot_start_leave_the_checking_to_this_process(mixed_library, monkeypatch):
    expected = run(mixed_library, monkeypatch, "1", 1)
    monkeypatch.setattr(checking_pool, "_start_worker", _exit_at_once)
    again = run(mixed_library, monkeypatch, "2", 1)
    assert format_text(again.diagnostics) == format_text(expected.diagnostics)
    assert again.library.records == expected.library.records


def _exit_at_once(*_args) -> None:
    import os

    os._exit(3)  # as a worker killed by the kernel would
