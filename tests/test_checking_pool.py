"""A large library is checked on several processes: the verdict must be the same, file by file."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from pipeline.diagnostics import format_text
from pipeline.model import checking_pool
from pipeline.model.library import load_library
from pipeline.read.sources import record_file, record_folder
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
    copy = root / record_folder(new_id(23))
    shutil.copytree(root / record_folder(new_id(0)), copy)
    (copy / f"{new_id(0)}.yaml").rename(copy / f"{new_id(23)}.yaml")
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
    files = {d.file.split("/")[2] for d in alone.diagnostics}
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


def test_validating_keeps_only_the_records_editions_cite_and_says_the_same(monkeypatch):
    """`zlhcg validate` checks every file but keeps only what the edition rules need: same diagnostics as a
    full load, on the demo library (editions citing records) and with a broken edition added."""
    from tests.conftest import REPO

    full = load_library(REPO, today=TODAY)
    lean = load_library(REPO, today=TODAY, diagnostics_only=True)
    assert format_text(lean.diagnostics) == format_text(full.diagnostics)
    cited = {i for e in full.library.editions for i in e.result_ids}
    assert {r.id for r in lean.library.records} == cited < {r.id for r in full.library.records}


def test_validating_reports_an_edition_that_cites_a_broken_record(tmp_path):
    """The demo's first monthly report and the records it cites, one of them broken: the report's complaint
    about it comes from the edition rules, which see the same records either way."""
    import re

    from tests.conftest import REPO

    root = make_repo(tmp_path / "repo")
    report = sorted((REPO / "site" / "monthly").glob("2*.md"))[0]
    (root / "site" / "monthly").mkdir(parents=True)
    shutil.copy(report, root / "site" / "monthly" / report.name)
    cited = re.findall(r"result: (\S+)", report.read_text(encoding="utf-8"))
    for record_id in cited:
        shutil.copytree(REPO / record_folder(record_id), root / record_folder(record_id))
    broken = root / record_file(cited[0])
    broken.write_text(broken.read_text(encoding="utf-8").replace("\nunits:", "\nunits: 不是列表\nunused:", 1),
                      encoding="utf-8")
    full = load_library(root, today=TODAY)
    lean = load_library(root, today=TODAY, diagnostics_only=True)
    assert format_text(lean.diagnostics) == format_text(full.diagnostics)
    about_report = [d for d in lean.diagnostics if d.file == f"site/monthly/{report.name}"]
    assert about_report and any(cited[0] in d.message for d in about_report)
    assert {r.id for r in lean.library.records} == set(cited[1:])
