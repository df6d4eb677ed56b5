"""The benchmark corpus generator and the benchmark command work, at a size CI can afford (N = 30).

The benchmark itself is not a test; this only proves that the generator writes a valid library with the
history it promises, and that the benchmark's steps run to the end. The stock comparison is not run here (its
packages are not installed in CI).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from pipeline.read.history import read_histories
from pipeline.model.library import load_library
from pipeline.model.records import SHANGHAI
from tests.bench import benchmark, corpus

N = 30


def git(root, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return corpus.generate(N, tmp_path_factory.mktemp("bench") / "corpus")


@pytest.fixture(scope="module")
def library(generated):
    result = load_library(generated.root, today=corpus.BUILT_AT.date(), history=read_histories(generated.root),
                          require_dates=True)
    assert result.ok, [(d.file, d.message) for d in result.diagnostics if d.is_error]
    return result.library


def test_every_record_enters_through_its_own_merge_commit(generated):
    root = generated.root
    merges = git(root, "rev-list", "--first-parent", "--merges", "main").split()
    assert len(merges) == N
    added = []
    for sha in merges:
        parents = git(root, "rev-list", "--parents", "-n", "1", sha).split()[1:]
        assert len(parents) == 2
        assert git(root, "log", "-1", "--format=%s", parents[1]).startswith("成果入库：")
        files = git(root, "diff", "--name-only", "--diff-filter=A", parents[0], sha).split()
        records = [f for f in files if f.endswith(".yaml")]
        assert len(records) == 1 and all(f.startswith(records[0].rsplit("/", 1)[0] + "/") for f in files)
        added.append(records[0])
    assert len(set(added)) == N == len(list((root / "results").glob("*/*")))


def test_entry_dates_come_from_the_merge_commits(generated, library):
    assert not any("\nentered:" in p.read_text(encoding="utf-8") for p in (generated.root / "results").rglob("*.yaml"))
    assert len(library.records) == N
    for record in library.records:
        stamp = git(generated.root, "log", "--first-parent", "--diff-filter=A", "--format=%ct", "main", "--",
                    record.source).split()
        assert record.entered_explicit is None
        assert record.entered == datetime.fromtimestamp(int(stamp[-1]), SHANGHAI)


def test_embargoed_withdrawn_and_edited_records_exist(generated, library):
    by_id = library.by_id
    assert generated.embargoed and generated.withdrawn and generated.edited
    for record_id in generated.embargoed:
        assert by_id[record_id].publish_at > corpus.BUILT_AT
    for record_id in generated.withdrawn:
        record = by_id[record_id]
        assert record.withdrawn is not None and len(record.revisions) >= 2  # withdrawn by a later commit
    for record_id in generated.edited:
        assert len(by_id[record_id].revisions) >= 2 and by_id[record_id].updated > by_id[record_id].entered


def test_editions_of_every_kind_validate(library):
    kinds = {e.kind for e in library.editions}
    assert kinds == {"monthly", "quarterly", "annual"}
    cited = {i for e in library.editions for i in e.result_ids}
    assert cited and cited <= set(library.by_id)


def test_same_seed_same_history(generated, tmp_path):
    again = corpus.generate(N, tmp_path / "again")
    other = corpus.generate(N, tmp_path / "other", seed=corpus.DEFAULT_SEED + 1)
    head = git(generated.root, "rev-parse", "main")
    assert git(again.root, "rev-parse", "main") == head
    assert git(other.root, "rev-parse", "main") != head


def test_benchmark_build_step_builds_the_corpus(generated, library, tmp_path):
    run = benchmark.run_our_build(generated.root, tmp_path / "site")
    assert run.code == 0, run.stderr[-2000:]
    assert run.wall > 0 and run.rss_mb > 0
    for record_id in generated.embargoed:
        assert not (tmp_path / "site" / "results" / record_id).exists()
    public = next(r.id for r in library.records if r.id not in generated.embargoed)
    assert (tmp_path / "site" / "results" / public / "index.html").is_file()


def test_a_rebuild_sets_the_previous_output_aside_until_the_run_ends(generated, tmp_path):
    """No output is removed between timings (see benchmark.discard): the previous one waits in the trash."""
    site = tmp_path / "site"
    for _ in range(2):
        assert benchmark.run_our_build(generated.root, site).code == 0
    (aside,) = (tmp_path / benchmark.TRASH).iterdir()
    assert (aside / "index.html").is_file() and (site / "index.html").is_file()
    benchmark.empty_trash(tmp_path)
    assert not (tmp_path / benchmark.TRASH).exists()


def test_benchmark_command_prints_its_tables(tmp_path, capsys):
    assert benchmark.main(["--sizes", str(N), "--repeat", "1", "--no-stock", "--workdir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for row in ("全部校验", "check-pr：新增 1 条成果", "check-pr：修改 1 条成果", "git 历史读取", "完整构建", "订阅源生成",
                "搜索索引生成", "一次中文查询", "CPU："):
        assert row in out
    assert not (tmp_path / benchmark.TRASH).exists()  # the outputs set aside during the run are gone at its end


def test_outputs_left_in_the_trash_wait_until_every_timing_is_done(tmp_path, monkeypatch):
    leftover = tmp_path / benchmark.TRASH / "site-earlier"
    leftover.mkdir(parents=True)
    measured = benchmark.measure_ours

    def measure_with_the_leftover_still_there(*args, **kwargs):
        assert leftover.is_dir()
        return measured(*args, **kwargs)

    monkeypatch.setattr(benchmark, "measure_ours", measure_with_the_leftover_still_there)
    assert benchmark.main(["--sizes", str(N), "--repeat", "1", "--no-stock", "--workdir", str(tmp_path)]) == 0
    assert not leftover.exists()


def test_a_second_run_on_the_same_work_folder_is_refused(tmp_path, capsys):
    with benchmark.workdir_lock(tmp_path):
        assert benchmark.main(["--sizes", str(N), "--repeat", "1", "--no-stock", "--workdir", str(tmp_path)]) == 2
    assert "另一个基准测试正在使用" in capsys.readouterr().err
    assert not list(tmp_path.glob("corpus-*"))  # refused before touching anything
    with benchmark.workdir_lock(tmp_path):  # the lock goes with the run that held it
        pass


def test_stock_comparison_site_keeps_the_history_and_builds(generated, library, tmp_path):
    """The stock site is the corpus rewritten commit by commit: same number of commits and dates, one Markdown
    page per record, and MkDocs (Material, theme-only variant: the two git plugins are not installed in CI)
    builds it."""
    from tests.bench import stock

    site = stock.make_stock_site(generated.root, tmp_path / "stock", progress=lambda _message: None)
    corpus_dates = git(generated.root, "log", "--format=%ct", "main").split()
    stock_dates = git(site, "log", "--format=%ct", "main").split()
    assert stock_dates[1:] == corpus_dates  # plus the one commit that adds index pages and mkdocs.yml
    pages = sorted(p.parent.name for p in (site / "docs" / "results").glob("*/index.md"))
    assert pages == sorted(r.id for r in library.records)
    first = library.records[0]
    page = (site / "docs" / "results" / first.id / "index.md").read_text(encoding="utf-8")
    assert first.title in page and first.summary[:20] in page
    config = stock.variant_config(site, "none")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "out" / "results" / first.id / "index.html").is_file()


def test_a_large_corpus_enters_a_days_records_in_one_pull_request(tmp_path, monkeypatch):
    """Past 10,000 records (here: past 20) a day's records enter by one pull request, so the history keeps the
    commit count of a smaller library; every record still gets its entry date, that of its day's merge."""
    monkeypatch.setattr(corpus, "ONE_PER_COMMIT_UP_TO", 20)
    monkeypatch.setattr(corpus, "period_start", lambda count: corpus.END - timedelta(days=12))
    made = corpus.generate(60, tmp_path / "corpus")
    merges = git(made.root, "rev-list", "--first-parent", "--merges", "main").split()
    added = []
    for sha in merges:
        files = git(made.root, "diff", "--name-only", "--diff-filter=A", f"{sha}^1", sha).split()
        added.append(len([f for f in files if f.endswith(".yaml")]))
    assert sum(added) == 60 and max(added) > 1 and len(merges) <= 13
    histories = read_histories(made.root)
    result = load_library(made.root, today=corpus.BUILT_AT.date(), history=histories, require_dates=True)
    assert result.ok and len(result.library.records) == 60
    assert len({r.entered for r in result.library.records}) == len(merges)  # one entry moment per pull request


def test_a_run_after_a_large_removal_waits_for_the_file_system_to_settle(tmp_path, monkeypatch, capsys):
    """Timings started within a minute of removing a big trash ran 20–30 % slow (benchmark.discard); the run that
    empties one notes when, and the next run in that folder waits out the rest."""
    monkeypatch.setattr(benchmark, "SETTLE_AFTER_FILES", 3)
    small = tmp_path / benchmark.TRASH / "small"
    small.mkdir(parents=True)
    (small / "a").write_text("x")
    benchmark.empty_trash(tmp_path)
    assert not (tmp_path / benchmark.EMPTIED).exists()  # a few files: nothing to wait for
    big = tmp_path / benchmark.TRASH / "big"
    big.mkdir(parents=True)
    for name in "abc":
        (big / name).write_text("x")
    benchmark.empty_trash(tmp_path)
    emptied = float((tmp_path / benchmark.EMPTIED).read_text())
    waits = []
    benchmark.settle(tmp_path, now=lambda: emptied + 30, sleep=waits.append)
    assert waits == [benchmark.SETTLE_SECONDS - 30] and "等待 60 秒" in capsys.readouterr().err
    benchmark.settle(tmp_path, now=lambda: emptied + benchmark.SETTLE_SECONDS + 1, sleep=waits.append)
    assert len(waits) == 1
