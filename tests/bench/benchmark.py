"""The scale benchmark: times our pipeline on generated corpora and compares the build with the stock stack.

    .venv/bin/python -m tests.bench.benchmark --repeat 1 --no-stock        # the curve: 1,000 … 100,000 records
    .venv/bin/python -m tests.bench.benchmark --sizes 1000 10000            # with the stock comparison
    .venv/bin/python -m tests.bench.benchmark --sizes 30 --repeat 1 --no-stock  # what CI runs: proves it works

Not a test: it prints Markdown tables. For each size N it generates (or reuses, see --fresh) the corpus of
tests/bench/corpus.py in WORKDIR and measures, each in a subprocess of its own so the peak RSS is that step's
(getrusage(RUSAGE_CHILDREN) in a small wrapper process around the command):

- validate-all: `zlhcg validate` (every record and edition, no git);
- check-pr: `zlhcg check-pr --base main` on a branch adding one new record, and on one editing a record that a
  monthly report cites;
- git history pass: `pipeline.read.history.read_histories` (timed inside the process, without interpreter start),
  once cold (no `.cache/history`, as a fresh clone) and once with the cache that first pass left;
- full build: `zlhcg build --out …` (validation, git history, pages, feeds, exports, search, printed documents;
  without the history cache and the document cache, as the publishing workflow builds), wall time, CPU time and
  peak RSS, and the size of what it writes;
- one summary edited: a commit on a branch edits one public record's summary, the site is built again (with the
  caches the full build left, as a pull request's preview builds) and the files whose bytes changed are counted
  (what a deploy uploads);
- search: `build_search_index(publication)` time and size, and what a browser with an empty cache downloads
  for each of a fixed set of Chinese queries and their first page of results (`files_for_first_page`), raw and
  gzip -9;
- feeds: `render_feeds(publication, media sizes)` time.

Timings are medians of --repeat runs (default 3), CPU time beside wall time because the machine may be shared
(the load average is printed before and after each size). The stock comparison (tests/bench/stock.py) builds
the same corpus with mkdocs-material, mkdocs-rss-plugin, mkdocs-git-revision-date-localized-plugin and the
built-in search in a virtualenv of its own, once per size; a stock build that exceeds --stock-timeout is
reported as such, and if smaller stock sizes were measured (--stock-extra) its time is extrapolated with a
power law through the two largest measurements, labelled 外推 (extrapolated), never as a measurement.
"""

from __future__ import annotations

import argparse
import fcntl
import gzip
import importlib.metadata
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from pipeline.read.sources import record_file, record_folder
from pipeline.web.site_documents import CACHE_FOLDER as DOCUMENTS_CACHE
from tests.bench import corpus as corpus_module
from tests.bench.corpus import BUILT_AT, BUILT_AT_EPOCH, DEFAULT_SEED

PROJECT = Path(__file__).resolve().parents[2]
WORKDIR = Path("/tmp/zlhcg-bench")
QUERIES = ("碳化硅", "新能源汽车", "关键技术", "技术", "太赫兹通信", "钛合金 航空发动机", "国际先进水平", "芯")
# Issue 18's targets, by library size: the table the closing note fills in.
TARGETS = {
    10_000: {"build_wall": 30.0, "peak_mb": 1024.0, "validate": 6.0, "check_pr": 1.0, "history": 3.0,
             "output_mib": 300.0, "query_kb": 500.0, "changed_files": 60},
    100_000: {"build_wall": 480.0, "peak_mb": 6144.0, "validate": 60.0, "check_pr": 2.0, "history": 40.0,
              "output_mib": 3072.0, "query_kb": 1000.0, "changed_files": 60},
}

# Runs a command as its only child and reports, as JSON in the file named by argv[1]: wall time, CPU time of
# the child and its descendants, the largest RSS of any one of them (getrusage) and the peak of their summed
# RSS, sampled every 50 ms from /proc (the build runs the search index in a second process at the same time).
WRAPPER = """
import json, os, resource, subprocess, sys, time
def tree_rss(pid):
    total, stack = 0, [pid]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1])
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            pass
    return total * os.sysconf("SC_PAGE_SIZE")
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
peak = 0
while child.poll() is None:
    peak = max(peak, tree_rss(child.pid))
    time.sleep(0.05)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_kb": usage.ru_maxrss,
               "tree_peak_kb": peak // 1024, "code": child.returncode}, out)
"""


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float  # the largest single process (getrusage)
    code: int
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False
    tree_peak_mb: float = float("nan")  # all its processes together, sampled

    @property
    def peak_mb(self) -> float:
        """The memory figure we quote: the larger of the two (sampling can miss a short peak)."""
        return max(self.rss_mb, self.tree_peak_mb) if self.tree_peak_mb == self.tree_peak_mb else self.rss_mb


def measure(command: list[str], env: dict[str, str], timeout: float | None = None) -> Run:
    """One run of `command` (cwd: the project) in a wrapper process; a timeout kills the whole group."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as report:
        process = subprocess.Popen([sys.executable, "-c", WRAPPER, report.name, *command], cwd=PROJECT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return Run(float(timeout), float("nan"), float("nan"), -9, timed_out=True)
        data = json.loads(Path(report.name).read_text() or "{}")
    if not data:
        return Run(float("nan"), float("nan"), float("nan"), process.returncode, stdout, stderr)
    return Run(data["wall"], data["cpu"], data["rss_kb"] / 1024, data["code"], stdout, stderr,
               tree_peak_mb=data["tree_peak_kb"] / 1024)


def median_run(runs: list[Run]) -> Run:
    """The run with the median wall time (its CPU and RSS belong to the same run); every run must succeed."""
    for run in runs:
        if run.code != 0:
            raise RuntimeError(f"exit {run.code}:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    ordered = sorted(runs, key=lambda r: r.wall)
    return ordered[(len(ordered) - 1) // 2]


def bench_env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": str(BUILT_AT_EPOCH), "PYTHONPATH": str(PROJECT),
            "NO_MKDOCS_2_WARNING": "1", "LC_ALL": "C.UTF-8"}


def zlhcg(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "--root", str(root), *args]


def _git(root: Path, *args: str, env: dict | None = None) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- corpora and pull-request branches ---------------------------------------------------------------------

def ensure_corpus(count: int, seed: int, fresh: bool, workdir: Path = WORKDIR) -> Path:
    """The corpus for (count, seed), generated unless a complete one is cached in `workdir`. A cached corpus
    made from older project files (schema, mkdocs.yml, theme, hand-written pages: the first commit copies them)
    gets one more commit bringing them up to date, rather than being generated again (100,000 records take
    a quarter of an hour to generate)."""
    root = workdir / f"corpus-{count}-s{seed}"
    marker = root / ".git" / "zlhcg-bench-complete"
    identity = f"{count} {seed} {corpus_module.LAYOUT}"
    lines = marker.read_text().split("\n") if marker.exists() else []
    if root.exists() and (fresh or not lines or lines[0].rsplit(" ", 1)[0] != identity):
        shutil.rmtree(root)
    if not root.exists():
        started = time.perf_counter()
        corpus_module.generate(count, root, seed, progress=say)
        say(f"语料生成用时 {time.perf_counter() - started:.1f} 秒")
    else:
        say(f"使用已缓存的语料 {root}（加 --fresh 重新生成）")
    _git(root, "checkout", "-q", "-f", "main")
    digest = corpus_module.project_digest()
    if lines and lines[0].rsplit(" ", 1)[-1] != digest:
        refresh_project_files(root)
    marker.write_text(f"{identity} {digest}\n")
    return root


def refresh_project_files(root: Path) -> None:
    """Commits the project's current schema, config, theme and hand-written pages into a cached corpus."""
    files = corpus_module.project_files()
    for name in (*corpus_module.COPIED, "site"):
        for path in sorted((root / name).rglob("*")) if (root / name).is_dir() else []:
            relative = path.relative_to(root).as_posix()
            if path.is_file() and relative not in files and not relative.startswith(
                    tuple(f + "/" for f in corpus_module.EDITION_FOLDERS)):
                path.unlink()
    for relative, content in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(content)
    _git(root, "add", "-A", "--", *corpus_module.COPIED, "site")
    if _git(root, "status", "--porcelain"):
        _git(root, "commit", "-q", "-m", "更新项目文件", env=_commit_env(BUILT_AT - timedelta(hours=3)))
        say("已把项目当前的 schema、配置、主题和手写页面提交到缓存的语料中")


def _commit_env(moment) -> dict[str, str]:
    stamp = f"{int(moment.timestamp())} +0800"
    return {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}


def prepare_pr_branches(root: Path, seed: int) -> tuple[str, str]:
    """`bench/add` adds one new record to main, `bench/edit` changes the level of a record a monthly report
    cites (so check-pr also rechecks that report). Returns the two record ids."""
    env = _commit_env(BUILT_AT - timedelta(hours=2))
    _git(root, "checkout", "-q", "-f", "-B", "bench/add", "main")
    record_id, text, images = corpus_module.standalone_record(seed + 1, BUILT_AT - timedelta(days=1))
    folder = root / record_folder(record_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{record_id}.yaml").write_text(text, encoding="utf-8")
    for name, content in images.items():
        (folder / name).write_bytes(content)
    _git(root, "add", "results")
    _git(root, "commit", "-q", "-m", f"成果入库：{record_id}", env=env)

    _git(root, "checkout", "-q", "-f", "-B", "bench/edit", "main")
    latest = sorted((root / "site" / "monthly").glob("*.md"))[-1]
    edited = re.search(r"result: ([0-9a-z-]+)", latest.read_text(encoding="utf-8")).group(1)
    path = root / record_file(edited)
    text = path.read_text(encoding="utf-8")
    level = re.search(r"^level: (\S+)$", text, re.MULTILINE).group(1)
    path.write_text(text.replace(f"\nlevel: {level}\n", f"\nlevel: {'国内领先' if level != '国内领先' else '国际先进'}\n"),
                    encoding="utf-8")
    _git(root, "commit", "-q", "-am", f"修改成果水平：{edited}", env=env)
    _git(root, "checkout", "-q", "-f", "main")
    return record_id, edited


def time_check_pr(root: Path, branch: str, repeat: int, env: dict) -> Run:
    _git(root, "checkout", "-q", "-f", branch)
    try:
        return median_run([measure(zlhcg(root, "check-pr", "--base", "main"), env) for _ in range(repeat)])
    finally:
        _git(root, "checkout", "-q", "-f", "main")


# --- our measurements ----------------------------------------------------------------------------------

TRASH = ".trash"  # under the work folder: outputs set aside during a run, removed when every timing is done


def discard(path: Path) -> None:
    """Sets a finished output aside (a rename) instead of removing it. Tens of thousands of files removed just
    before a build make ext4 search past their freed inodes, for every file the build creates, for a minute or
    more (`recently_deleted` in perf; 10,000 records: 3–10 s more kernel time, even after the 1,000-record steps
    removed their few thousand). A CI runner's fresh disk never pays that, so no timing here should. A path that
    does not exist is left alone."""
    if not path.exists():
        return
    trash = path.parent / TRASH
    trash.mkdir(exist_ok=True)
    path.rename(trash / f"{path.name}-{time.time_ns()}")


# The slowdown `discard` avoids follows the removal for about a minute: a run that empties a large trash leaves
# the time in the work folder, and the next run there waits out the rest before it times anything.
SETTLE_SECONDS = 90
SETTLE_AFTER_FILES = 10_000
EMPTIED = ".trash-emptied"


def empty_trash(workdir: Path) -> None:
    trash = workdir / TRASH
    removed = sum(len(names) for _, _, names in os.walk(trash))
    shutil.rmtree(trash, ignore_errors=True)
    if removed >= SETTLE_AFTER_FILES:
        (workdir / EMPTIED).write_text(f"{time.time():.0f}\n")


def settle(workdir: Path, now=time.time, sleep=time.sleep) -> None:
    """Waits until SETTLE_SECONDS have passed since a previous run here removed many files (see empty_trash)."""
    try:
        emptied = float((workdir / EMPTIED).read_text())
    except (OSError, ValueError):
        return
    wait = emptied + SETTLE_SECONDS - now()
    if wait > 0:
        say(f"上一次运行刚删除了大量输出文件，文件系统会有约一分钟变慢：等待 {wait:.0f} 秒后再开始计时。")
        sleep(wait)


def run_our_build(root: Path, out: Path, env: dict | None = None) -> Run:
    """One full `zlhcg build` of `root` into `out`; a previous output is set aside first (see `discard`), as
    `zlhcg build` itself removes the old site only after building."""
    discard(out)
    return measure(zlhcg(root, "build", "--out", str(out)), env or bench_env())


def tree_size(folder: Path) -> tuple[int, int, int]:
    """(bytes, files, HTML pages) under `folder`."""
    total = files = pages = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            total += os.path.getsize(os.path.join(dirpath, name))
            files += 1
            pages += name.endswith(".html")
    return total, files, pages


def probe(kind: str, root: Path, env: dict) -> dict:
    run = measure([sys.executable, "-m", "tests.bench.benchmark", "--probe", kind, str(root)], env)
    if run.code != 0:
        raise RuntimeError(f"probe {kind} failed:\n{run.stderr[-3000:]}")
    return {**json.loads(run.stdout.strip().splitlines()[-1]), "run": run}


def _probe_history(root: Path) -> dict:
    """The pass as a fresh clone makes it (no cache), then as the next build of the same state makes it."""
    from pipeline.read import history_cache
    from pipeline.read.history import read_histories

    shutil.rmtree(root / history_cache.FOLDER, ignore_errors=True)
    started = time.perf_counter()
    histories = read_histories(root)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    again = read_histories(root)
    warm = time.perf_counter() - started
    assert again == histories
    return {"seconds": cold, "warm_seconds": warm, "files": len(histories or {})}


def _publication(root: Path):
    from pipeline.read.history import read_histories
    from pipeline.model.library import load_library
    from pipeline.model.publication import publish
    from pipeline.read.site_config import read_site_config

    result = load_library(root, today=BUILT_AT.date(), history=read_histories(root), require_dates=True)
    if not result.ok:
        raise SystemExit("语料校验未通过")
    config = read_site_config(root)
    return publish(result.library, BUILT_AT, config.site_url, config.site_name)


def _probe_content(root: Path) -> dict:
    from collections import Counter

    from pipeline.feeds.render import render_feeds
    from pipeline.search.index import build_search_index
    from pipeline.search.query import SearchIndex, files_for_first_page
    from pipeline.web.site_build import media_sizes

    pub = _publication(root)
    started = time.perf_counter()
    feeds = render_feeds(pub, media_sizes(root, pub))
    feeds_seconds = time.perf_counter() - started
    started = time.perf_counter()
    files = build_search_index(pub)
    search_seconds = time.perf_counter() - started
    unit = Counter(u.name for r in pub.records for u in r.units).most_common(1)[0][0]
    person = next(p.name for r in pub.records for p in r.people if len(p.name) == 3)
    title = pub.records[len(pub.records) // 2].title  # someone pasting a whole achievement name
    passage = pub.records[len(pub.records) // 3].summary[10:30]  # or 20 characters of a summary
    queries = []
    for query in (*QUERIES, unit, person, title, passage):
        fetched = files_for_first_page(files, query)
        queries.append({"query": query, "results": len(SearchIndex(files).search_docs(query)), "files": len(fetched),
                        "raw": sum(len(files[p]) for p in fetched),
                        "gzip": sum(len(gzip.compress(files[p], 9)) for p in fetched)})
    script = root / "site" / "assets" / "zlhcg" / "search.js"
    return {"feeds_seconds": feeds_seconds, "feed_files": len(feeds), "feed_bytes": sum(map(len, feeds.values())),
            "search_seconds": search_seconds, "index_files": len(files), "index_raw": sum(map(len, files.values())),
            "index_gzip": sum(len(gzip.compress(c, 9)) for c in files.values()),
            "script_raw": script.stat().st_size if script.exists() else 0,
            "script_gzip": len(gzip.compress(script.read_bytes(), 9)) if script.exists() else 0,
            "queries": queries, "records": len(pub.records)}


@dataclass
class SizeResult:
    count: int
    load_before: tuple[float, ...]
    commit: str = ""  # the code measured (the project may change during a long run)
    load_after: tuple[float, ...] = ()
    ours: dict = field(default_factory=dict)
    stock: dict = field(default_factory=dict)


def read_working_tree(root: Path) -> None:
    """Reads every file of the working tree once, untimed. A clone or checkout in CI has just written them, so
    they are in the page cache; a corpus cached here for hours may not be, and its first validation would time
    the disk (78 s instead of 42 s at 100,000 records)."""
    for folder, _, names in os.walk(root):
        if ".git" not in Path(folder).parts:
            for name in names:
                with open(os.path.join(folder, name), "rb") as file:
                    while file.read(1 << 20):
                        pass


def measure_ours(root: Path, count: int, seed: int, repeat: int, out: Path) -> dict:
    env = bench_env()
    result: dict = {}
    read_working_tree(root)
    say(f"[{count}] validate-all …")
    result["validate"] = median_run([measure(zlhcg(root, "validate"), env) for _ in range(repeat)])
    say(f"[{count}] check-pr …")
    prepare_pr_branches(root, seed)
    result["check_pr_add"] = time_check_pr(root, "bench/add", repeat, env)
    result["check_pr_edit"] = time_check_pr(root, "bench/edit", repeat, env)
    say(f"[{count}] git 历史 …")
    histories = [probe("history", root, env) for _ in range(repeat)]
    result["history"] = sorted(histories, key=lambda h: h["seconds"])[(repeat - 1) // 2]
    say(f"[{count}] 完整构建 …")
    builds = []
    cold = {**env, "ZLHCG_HISTORY_CACHE": "0"}  # as the publishing workflow builds: no history cache
    for _ in range(repeat):
        shutil.rmtree(root / DOCUMENTS_CACHE, ignore_errors=True)  # nor documents made by an earlier build
        builds.append(run_our_build(root, out, cold))
    result["build"] = median_run(builds)
    result["output"] = tree_size(out)
    result["search_in_build"] = (out / "search" / "manifest.json").exists()
    say(f"[{count}] 修改一条成果的简介后重新构建 …")
    result["summary_edit"] = summary_edit_delta(root, out, env)
    say(f"[{count}] 搜索索引与订阅源 …")
    result["content"] = probe("content", root, env)
    return result


def summary_edit_delta(root: Path, before: Path, env: dict) -> dict:
    """A branch whose one commit edits one public record's summary, built after main's build (`before`): the
    files whose bytes differ are what a deploy uploads. The history cache of main's build is warm, as in CI."""
    from tests.bench.deploy_delta import edit_one_summary

    _git(root, "checkout", "-q", "-f", "-B", "bench/summary", "main")
    try:
        record = edit_one_summary(root, before)
        _git(root, "commit", "-q", "-am", f"修改成果简介：{record.parent.name}",
             env=_commit_env(BUILT_AT - timedelta(hours=1)))
        after = before.with_name(before.name + "-edited")
        run = run_our_build(root, after, env)
        if run.code != 0:
            raise RuntimeError(f"build after the edit failed:\n{run.stderr[-3000:]}")
    finally:
        _git(root, "checkout", "-q", "-f", "main")
    changed = Counter(top_folder(path) for path in changed_files(before, after))
    discard(after)
    return {"run": run, "changed": sum(changed.values()), "by_folder": dict(changed.most_common())}


def changed_files(before: Path, after: Path) -> list[str]:
    """Site paths added, removed or with other bytes in `after` (compared file by file, not held in memory)."""
    paths = set(files_under(before)) | set(files_under(after))
    return sorted(p for p in paths if not ((before / p).is_file() and (after / p).is_file()
                                           and (before / p).read_bytes() == (after / p).read_bytes()))


def top_folder(key: str) -> str:
    return key.split("/", 1)[0] + "/" if "/" in key else key


def files_under(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]


# --- the stock comparison ---------------------------------------------------------------------------------

def measure_stock(corpus_root: Path, count: int, seed: int, timeout: float, workdir: Path = WORKDIR) -> dict:
    from tests.bench import stock

    mkdocs = stock.ensure_venv(progress=say)
    site = workdir / f"stock-{count}-s{seed}"
    marker = site / ".git" / "zlhcg-bench-complete"
    stamp = _git(corpus_root, "rev-parse", "main")  # made from this very corpus history
    if site.exists() and (not marker.exists() or marker.read_text() != stamp):
        shutil.rmtree(site)
    if not site.exists():
        stock.make_stock_site(corpus_root, site, progress=say)
        marker.write_text(stamp)
    out = workdir / f"stock-site-{count}"
    discard(out)
    say(f"[{count}] 对照构建（mkdocs-material + 插件，超时 {timeout:.0f} 秒）…")
    env = {**bench_env(), "PYTHONPATH": ""}
    run = measure([str(mkdocs), "build", "-q", "-f", str(site / "mkdocs.yml"), "-d", str(out)], env, timeout=timeout)
    result = {"build": run, "versions": stock.stock_versions()}
    if not run.timed_out and run.code == 0:
        result.update(_stock_output(out))
    elif not run.timed_out:
        raise RuntimeError(f"stock build failed:\n{run.stderr[-3000:]}")
    for plugins in ("search", "none"):  # where the stock time goes: without the two git plugins, without any
        say(f"[{count}] 对照构建（插件：{'仅内置搜索' if plugins == 'search' else '无'}）…")
        config = stock.variant_config(site, plugins)
        discard(out)
        variant = measure([str(mkdocs), "build", "-q", "-f", str(config), "-d", str(out)], env, timeout=timeout)
        result[plugins] = {"build": variant, **(_stock_output(out) if variant.code == 0 else {})}
    discard(out)
    return result


def _stock_output(out: Path) -> dict:
    found = {"output": tree_size(out)}
    index = out / "search" / "search_index.json"
    if index.exists():
        found["search_raw"] = index.stat().st_size
        found["search_gzip"] = len(gzip.compress(index.read_bytes(), 9))
    return found


def extrapolate(points: list[tuple[int, float]], count: int) -> float | None:
    """Power law t = a·N^b through the two largest measured sizes."""
    if len(points) < 2:
        return None
    (n1, t1), (n2, t2) = sorted(points)[-2:]
    exponent = math.log(t2 / t1) / math.log(n2 / n1)
    return t2 * (count / n2) ** exponent


# --- the report -----------------------------------------------------------------------------------------

def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    versions = {n: importlib.metadata.version(n) for n in ("mkdocs", "mkdocs-material")}
    return [f"- CPU：{cpu}，{os.cpu_count()} 个逻辑核", f"- 内存：{memory / 1024:.1f} GiB",
            f"- 系统：{platform.platform()}", f"- Python {platform.python_version()}，{git}",
            f"- MkDocs {versions['mkdocs']}，Material for MkDocs {versions['mkdocs-material']}"]


def code_version() -> str:
    commit = _git(PROJECT, "rev-parse", "--short", "HEAD").strip()
    dirty = "（pipeline/ 有未提交的改动）" if _git(PROJECT, "status", "--porcelain", "--", "pipeline").strip() else ""
    return commit + dirty


def _s(value: float) -> str:
    return "—" if value != value else f"{value:.2f} s"


def _mb(value: float) -> str:
    return "—" if value != value else f"{value:.0f} MB"


def _kib(value: float) -> str:
    return f"{value / 1024:,.1f} KiB"


def _mib(value: float) -> str:
    return f"{value / 2**20:,.1f} MiB" if value >= 2**20 else _kib(value)


def _target(count: int) -> dict | None:
    return TARGETS.get(count)


def _verdict(value: float, key: str, count: int) -> str:
    target = _target(count)
    return "" if target is None else ("✅" if value <= target[key] else "❌")


def _goal(key: str, count: int, unit: str) -> str:
    target = _target(count)
    return "" if target is None else f"≤ {target[key]:,g} {unit}".strip()


def size_table(result: SizeResult) -> list[str]:
    o, n = result.ours, result.count
    c = o["content"]
    worst = max(c["queries"], key=lambda q: q["gzip"])
    worst_raw = max(c["queries"], key=lambda q: q["raw"])
    b = o["build"]
    lines = [f"### {n:,} 条成果", "", f"被测代码：提交 {result.commit}", "",
             f"负载（1/5/15 分钟平均）：测量前 {'/'.join(f'{x:.2f}' for x in result.load_before)}，"
             f"测量后 {'/'.join(f'{x:.2f}' for x in result.load_after)}", "",
             "| 测量项 | 墙钟时间 | CPU 时间 | 峰值内存* | 目标 | |", "|---|---|---|---|---|---|"]

    def row(name: str, run: Run, key: str, ok: str | None = None) -> None:
        ok = _verdict(run.wall, key, n) if ok is None else ok
        lines.append(f"| {name} | {_s(run.wall)} | {_s(run.cpu)} | {_mb(run.peak_mb)} | {_goal(key, n, 's')} | {ok} |")

    row("全部校验 `zlhcg validate`", o["validate"], "validate")
    row("check-pr：新增 1 条成果", o["check_pr_add"], "check_pr")
    row("check-pr：修改 1 条成果", o["check_pr_edit"], "check_pr")
    h = o["history"]
    lines.append(f"| git 历史读取（进程内，无缓存） | {_s(h['seconds'])} | — | {_mb(h['run'].peak_mb)} | "
                 f"{_goal('history', n, 's')} | {_verdict(h['seconds'], 'history', n)} |")
    lines.append(f"| git 历史读取（进程内，缓存已有全部提交） | {_s(h['warm_seconds'])} | — | — | | |")
    row("完整构建 `zlhcg build`", b, "build_wall")
    lines.append(f"| 完整构建的峰值内存（所有进程合计） | | | {_mb(b.peak_mb)} | {_goal('peak_mb', n, 'MB')} | "
                 f"{_verdict(b.peak_mb, 'peak_mb', n)} |")
    edit = o.get("summary_edit")
    if edit:
        row("修改一条简介后的构建（增量读取历史）", edit["run"], "build_wall", "")
    lines.append(f"| 订阅源生成（进程内） | {_s(c['feeds_seconds'])} | — | — | | |")
    lines.append(f"| 搜索索引生成（进程内） | {_s(c['search_seconds'])} | — | — | | |")
    size, files, pages = o["output"]
    lines += ["", f"\\* 峰值内存：命令及其所有子进程同时占用的物理内存之和的峰值（每 50 毫秒采样），与单个进程最大值"
              f"（getrusage）取较大者；完整构建中单个进程最大 {_mb(b.rss_mb)}，合计峰值 {_mb(b.tree_peak_mb)}。",
              f"- 输出：{_mib(size)}，{files:,} 个文件，其中 {pages:,} 个 HTML 页面"
              + ("" if o["search_in_build"] else "（本次构建尚未包含搜索索引，见下行）")
              + f"；目标 {_goal('output_mib', n, 'MiB')} {_verdict(size / 2**20, 'output_mib', n)}"]
    if edit:
        folders = "，".join(f"{name} {count}" for name, count in edit["by_folder"].items())
        lines.append(f"- 修改一条成果的简介（一个提交）后内容变化的文件：{edit['changed']} 个（{folders}）；"
                     f"目标 {_goal('changed_files', n, '个')} {_verdict(edit['changed'], 'changed_files', n)}")
    lines += [f"- 搜索索引：{c['index_files']:,} 个文件，{_mib(c['index_raw'])}（gzip -9 后 {_mib(c['index_gzip'])}）；"
              f"search.js {_kib(c['script_raw'])}（gzip {_kib(c['script_gzip'])}）",
              f"- 一次中文查询（含第一页 20 条结果）浏览器下载的索引数据：最多 {_kib(worst['gzip'])} gzip"
              f"（“{worst['query']}”），未压缩最多 {_kib(worst_raw['raw'])}（“{worst_raw['query']}”）；目标 gzip "
              f"{_goal('query_kb', n, 'KB')} {_verdict(worst['gzip'] / 1000, 'query_kb', n)}", "",
              "| 查询 | 结果数 | 文件数 | 下载（未压缩） | 下载（gzip） |", "|---|---|---|---|---|"]
    for q in c["queries"]:
        lines.append(f"| {q['query']} | {q['results']:,} | {q['files']} | {_kib(q['raw'])} | {_kib(q['gzip'])} |")
    return lines + [""]


def comparison_tables(results: list[SizeResult], stock_points: dict[int, dict]) -> list[str]:
    lines = ["### 对照：mkdocs-material 常规做法（同一语料）", "",
             "| 成果数 | 我们：构建墙钟（CPU） | 对照：构建墙钟（CPU） | 对照/我们（墙钟） | 我们：峰值内存 | 对照：峰值内存 | 输出（我们/对照） | 搜索下载（我们单次查询最多 / 对照全量索引，gzip） |",
             "|---|---|---|---|---|---|---|---|"]
    measured = [(n, s["build"].wall) for n, s in sorted(stock_points.items()) if not s["build"].timed_out]
    measured_cpu = [(n, s["build"].cpu) for n, s in sorted(stock_points.items()) if not s["build"].timed_out]
    for result in results:
        ours, stock = result.ours, stock_points.get(result.count)
        if stock is None:
            continue
        run = stock["build"]
        worst = max(q["gzip"] for q in ours["content"]["queries"])
        if run.timed_out:
            guess = extrapolate([p for p in measured if p[0] < result.count], result.count)
            guess_cpu = extrapolate([p for p in measured_cpu if p[0] < result.count], result.count)
            stock_time = f"超时（> {run.wall:.0f} s）" + (f"；外推约 {guess:,.0f} s（CPU 约 {guess_cpu:,.0f} s）" if guess else "")
            ratio = f"> {run.wall / ours['build'].wall:.1f}×" + (f"（外推约 {guess / ours['build'].wall:.0f}×）" if guess else "")
            sizes, search = f"{_mib(ours['output'][0])} / —", f"{_kib(worst)} / —"
        else:
            stock_time, ratio = f"{_s(run.wall)}（{_s(run.cpu)}）", f"{run.wall / ours['build'].wall:.1f}×"
            sizes = f"{_mib(ours['output'][0])} / {_mib(stock['output'][0])}"
            search = f"{_kib(worst)} / {_kib(stock['search_gzip'])}"
        lines.append(f"| {result.count:,} | {_s(ours['build'].wall)}（{_s(ours['build'].cpu)}） | {stock_time} | {ratio} | "
                     f"{_mb(ours['build'].peak_mb)} | {_mb(run.peak_mb)} | {sizes} | {search} |")
    for n, s in sorted(stock_points.items()):
        if n not in {r.count for r in results}:
            run = s["build"]
            shown = "超时" if run.timed_out else f"{_s(run.wall)}（{_s(run.cpu)}）"
            lines.append(f"| {n:,}（仅对照） | — | {shown} | — | — | {_mb(run.peak_mb)} | — | — |")
    lines += ["", "常规做法逐项去掉插件（同一对照站点）：", "",
              "| 成果数 | 全部插件 | 去掉两个 git 插件（仅内置搜索） | 只用主题 | 内置搜索的索引（每次查询全部下载） |",
              "|---|---|---|---|---|"]
    for n, s in sorted(stock_points.items()):
        full, search, bare = s["build"], s["search"]["build"], s["none"]["build"]
        index = (f"{_mib(s['search']['search_raw'])}（gzip {_mib(s['search']['search_gzip'])}）"
                 if "search_raw" in s["search"] else "—")
        lines.append(f"| {n:,} | {'超时' if full.timed_out else _s(full.wall)} | {_s(search.wall)} | {_s(bare.wall)} | {index} |")
    versions = next((s["versions"] for s in stock_points.values()), {})
    lines += ["", "对照环境：" + "，".join(f"{k} {v}" for k, v in versions.items()), ""]
    return lines


def growth_table(results: list[SizeResult]) -> list[str]:
    """Each measurement's ratio between consecutive sizes: a ratio above the size ratio grows faster than the
    library."""
    if len(results) < 2:
        return []
    rows = [("全部校验", lambda o: o["validate"].wall), ("check-pr 新增", lambda o: o["check_pr_add"].wall),
            ("check-pr 修改", lambda o: o["check_pr_edit"].wall), ("git 历史（无缓存）", lambda o: o["history"]["seconds"]),
            ("git 历史（有缓存）", lambda o: o["history"]["warm_seconds"]),
            ("完整构建（墙钟）", lambda o: o["build"].wall), ("完整构建（CPU）", lambda o: o["build"].cpu),
            ("峰值内存", lambda o: o["build"].peak_mb), ("搜索索引", lambda o: o["content"]["search_seconds"]),
            ("订阅源", lambda o: o["content"]["feeds_seconds"]), ("输出大小", lambda o: o["output"][0]),
            ("最坏查询下载（gzip）", lambda o: max(q["gzip"] for q in o["content"]["queries"])),
            ("修改一条简介后变化的文件", lambda o: o["summary_edit"]["changed"] if "summary_edit" in o else 0)]
    pairs = list(zip(results, results[1:]))
    header = " | ".join(f"{b.count:,} / {a.count:,}（×{b.count / a.count:g}）" for a, b in pairs)
    lines = ["### 增长比值（相邻规模之比；大于数据量之比即增长快于成果库）", "", f"| 测量项 | {header} |",
             "|---|" + "---|" * len(pairs)]
    for name, get in rows:
        cells = []
        for a, b in pairs:
            x, y = get(a.ours), get(b.ours)
            cells.append(f"{y / x:.1f}" if x else "—")
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.benchmark", description="规模基准测试（打印 Markdown 表格）")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 30000, 100000],
                        help="成果数量（默认 1000 10000 30000 100000）")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=3, help="计时重复次数，取中位数（默认 3）")
    parser.add_argument("--fresh", action="store_true", help="重新生成语料（默认复用 /tmp 中的缓存）")
    parser.add_argument("--no-stock", action="store_true", help="不运行 mkdocs-material 常规做法的对照")
    parser.add_argument("--stock-timeout", type=float, default=1200, help="对照构建的超时秒数（默认 1200）")
    parser.add_argument("--stock-extra", type=int, nargs="*", default=[],
                        help="只为外推而测量对照构建的额外规模，例如 2000 5000")
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument("--probe", nargs=2, metavar=("KIND", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        kind, root = args.probe
        print(json.dumps((_probe_history if kind == "history" else _probe_content)(Path(root))))
        return 0
    try:
        with workdir_lock(args.workdir):
            return run_benchmark(args)
    except WorkdirBusy as busy:
        say(str(busy))
        return 2


class WorkdirBusy(Exception):
    """Another benchmark holds the work folder."""


@contextmanager
def workdir_lock(workdir: Path):
    """One run per work folder at a time. Two at once switch each other's corpus branches in the middle of a
    build (a record folder vanishes between listing and reading: an internal error) and time each other's
    load. The lock is the kernel's, so a run that dies leaves nothing to clean up."""
    workdir.mkdir(parents=True, exist_ok=True)
    with open(workdir / ".benchmark.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WorkdirBusy(f"另一个基准测试正在使用 {workdir}：两个同时运行会互相切换语料的分支、互相拖慢计时。"
                              "请等它结束，或用 --workdir 另选一个文件夹。") from None
        yield


def run_benchmark(args) -> int:
    # Outputs left in the trash by an unfinished run or by hand-made builds (run_our_build) go at the end with
    # this run's: removed now, they would slow the first builds as any removal does (see discard).
    args.workdir.mkdir(parents=True, exist_ok=True)
    settle(args.workdir)
    results, stock_points = [], {}
    for count in sorted(set(args.sizes)):
        root = ensure_corpus(count, args.seed, args.fresh, args.workdir)
        result = SizeResult(count, os.getloadavg(), code_version())
        result.ours = measure_ours(root, count, args.seed, args.repeat, args.workdir / f"site-{count}")
        if not args.no_stock:
            stock_points[count] = measure_stock(root, count, args.seed, args.stock_timeout, args.workdir)
        result.load_after = os.getloadavg()
        results.append(result)
        print("\n".join(size_table(result)), flush=True)
    if not args.no_stock:
        for count in sorted(set(args.stock_extra) - set(args.sizes)):
            root = ensure_corpus(count, args.seed, args.fresh, args.workdir)
            stock_points[count] = measure_stock(root, count, args.seed, args.stock_timeout, args.workdir)
    print("\n".join(growth_table(results)))
    if stock_points:
        print("\n".join(comparison_tables(results, stock_points)))
    print("### 机器\n\n" + "\n".join(machine()) + "\n")
    empty_trash(args.workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
