"""The hostile-input corpus in `tests/data/bad/`: each case, run through the real command line in a subprocess,
fails with the diagnostics its `case.yaml` expects — rule, file, line and column where given, a Chinese
message — exit code 1, no traceback, within 2 seconds of wall time (interpreter start and imports included).

Cases marked `xfail` in their `case.yaml` are bugs found by this corpus and left to the lead; they are strict,
so a fix makes them fail until the mark is removed. Two pull requests creating records at once (real random
ids, and a forced collision) are checked at the end, on real git branches.

Set ZLHCG_BAD_TIMINGS=<file> to append each case's wall time as a JSON line (for the figures in docs/hostile-input.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from pipeline.check.ids import new_id
from pipeline.model.records import SHANGHAI
from tests.factories import REPO, add_record, make_repo, record_data
from tests.gitrepo import GitRepo

BAD = REPO / "tests" / "data" / "bad"
BUDGET_S = 2.0
KILL_AFTER_S = 5.0  # a case still running then has long blown its budget; don't let it eat the suite's time
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)  # the checks' "today" (SOURCE_DATE_EPOCH)
BASE_COMMIT_AT = "2025-05-01T10:00:00+08:00"
PR_COMMIT_AT = "2025-12-01T10:00:00+08:00"
CJK = re.compile("[\u3400-\u9fff]")
# No message may show a Python value as Python prints it, nor libyaml's or jsonschema's own English.
PYTHON_REPR = re.compile(r"\{'|\['|\bNone\b|\bTrue\b|\bFalse\b")
PARSER_TEXT = re.compile(r"\b(found|expected|while (scanning|parsing)|mapping values|could not|is not of type|"
                         r"is a required property|does not match|Additional properties)\b", re.IGNORECASE)
GROUPS = ("encoding", "structure", "typing", "rules", "injection", "repository")


@dataclass(frozen=True)
class Expected:
    file: str
    rule: str
    message_contains: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def matches(self, d: dict) -> bool:
        return (d["file"] == self.file and d["rule"] == self.rule and self.message_contains in d["message"]
                and (self.line is None or d["line"] == self.line)
                and (self.column is None or d["column"] == self.column)
                and (self.field is None or d["field"] == self.field))


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    group: str
    command: str  # validate | check-pr
    expect: tuple[Expected, ...]
    library: tuple[dict, ...] = ()  # valid records to add next to the inputs (made from the exemplar)
    symlinks: tuple[dict, ...] = ()  # {path, target}: made here, git cannot commit them portably
    delete: tuple[str, ...] = ()  # check-pr: paths the pull request deletes from the base
    base: str | None = None  # check-pr: folder (in the case) with the base branch's files
    xfail: str | None = None
    absent: tuple[str, ...] = ()  # rules that must not be reported (a misleading follow-on error)

    @property
    def folder(self) -> Path:
        return BAD / self.name

    def inputs(self) -> list[Path]:
        """The files the pull request writes (everything but case.yaml and the base/ folder)."""
        skip = {self.folder / "case.yaml"}
        base = self.folder / self.base if self.base else None
        return [p for p in sorted(self.folder.rglob("*")) if p.is_file() and p not in skip
                and not (base and base in p.parents)]


def load_case(folder: Path) -> Case:
    data = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    return Case(folder.name, data["title"], data["group"], data.get("command", "validate"),
                tuple(Expected(**e) for e in data["expect"]), tuple(data.get("library", ())),
                tuple(data.get("symlinks", ())), tuple(data.get("delete", ())), data.get("base"), data.get("xfail"),
                tuple(data.get("absent", ())))


CASES = [load_case(f) for f in sorted(BAD.iterdir()) if f.is_dir() and (f / "case.yaml").is_file()]


def params(command: str):
    return [pytest.param(c, id=c.name, marks=[pytest.mark.xfail(strict=True, raises=AssertionError, reason=c.xfail)]
                         if c.xfail else []) for c in CASES if c.command == command]


# --- running the command line ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def validate_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "--root", str(root), "validate", "--format", "json"]


def zlhcg(*args: str) -> list[str]:
    """`zlhcg` as installed next to this interpreter (else `python -m pipeline`, the same entry point)."""
    script = Path(sys.executable).with_name("zlhcg")
    return [str(script), *args] if script.is_file() else [sys.executable, "-m", "pipeline", *args]


def check_pr_command() -> list[str]:
    return zlhcg("check-pr", "--base", "main", "--format", "json")  # run in the repository: no --root


def run(command: list[str], cwd: Path) -> Run:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    env.pop("ZLHCG_DEBUG", None)
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=KILL_AFTER_S)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{' '.join(command[-4:])} still running after {KILL_AFTER_S} s "
                             f"(budget {BUDGET_S} s); killed") from None
    seconds = time.perf_counter() - started
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"), seconds)


def record_timing(case: Case, result: Run) -> None:
    target = os.environ.get("ZLHCG_BAD_TIMINGS")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps({"case": case.name, "group": case.group, "command": case.command,
                                  "seconds": round(result.seconds, 3), "xfail": bool(case.xfail)}) + "\n")


def assert_rejected(case: Case, result: Run) -> None:
    record_timing(case, result)
    assert result.seconds < BUDGET_S, f"took {result.seconds:.2f} s (budget {BUDGET_S} s)"
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 1, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    report = json.loads(result.stdout)
    diagnostics = report["diagnostics"]
    assert report["ok"] is False and report["errors"] >= 1
    for d in diagnostics:
        assert CJK.search(d["message"]), f"message without Chinese: {d}"
        for text in (d["message"], d["hint"]):
            assert not PYTHON_REPR.search(text), f"Python repr in a message: {text}"
            assert not PARSER_TEXT.search(text), f"untranslated parser text in a message: {text}"
    for expected in case.expect:
        found = [d for d in diagnostics if expected.matches(d)]
        shown = [(d["file"], d["rule"], d["line"], d["column"], d["message"][:60]) for d in diagnostics[:12]]
        assert found, f"missing {expected} among {shown}"
        assert found[0]["severity"] == "error" and CJK.search(found[0]["hint"]), found[0]
    unwanted = [(d["file"], d["rule"], d["message"]) for d in diagnostics if d["rule"] in case.absent]
    assert not unwanted, f"reported, though the case says it must not be: {unwanted}"


# --- building the library or the repository ---------------------------------------------------------------

def copy_inputs(case: Case, root: Path) -> None:
    for source in case.inputs():
        target = root / source.relative_to(case.folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def add_library(case: Case, root: Path) -> None:
    for overrides in case.library:
        add_record(root, record_data(**overrides))


def make_symlinks(case: Case, root: Path) -> None:
    for link in case.symlinks:
        path = root / link["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(link["target"])


needs_symlinks = pytest.mark.skipif(os.name == "nt", reason="symlinks")


@needs_symlinks
@pytest.mark.parametrize("case", params("validate"))
def test_validate_rejects_the_case(case: Case, tmp_path):
    root = make_repo(tmp_path / "lib")
    copy_inputs(case, root)
    add_library(case, root)
    make_symlinks(case, root)

    result = run(validate_command(root), root)

    assert_rejected(case, result)


def pull_request(case: Case, root: Path) -> GitRepo:
    """main: the schema plus the case's base/ files; branch pr: the case's inputs, deletions and symlinks."""
    make_repo(root)
    if case.base:
        shutil.copytree(case.folder / case.base, root, dirs_exist_ok=True)
    repo = GitRepo.init(root)
    repo.commit("基准分支", BASE_COMMIT_AT)
    repo.branch("pr")
    for path in case.delete:
        repo.delete(path)
    copy_inputs(case, root)
    make_symlinks(case, root)
    repo.commit("拉取请求", PR_COMMIT_AT)
    return repo


@needs_symlinks
@pytest.mark.parametrize("case", params("check-pr"))
def test_check_pr_rejects_the_case(case: Case, tmp_path):
    repo = pull_request(case, tmp_path / "repo")

    result = run(check_pr_command(), repo.root)

    assert_rejected(case, result)


# --- the corpus itself ------------------------------------------------------------------------------------

def test_the_corpus_covers_every_group_with_enough_cases():
    assert len(CASES) >= 45
    by_group = {g: [c for c in CASES if c.group == g] for g in GROUPS}
    assert {c.group for c in CASES} == set(GROUPS)
    assert all(len(cases) >= 5 for cases in by_group.values()), {g: len(c) for g, c in by_group.items()}
    for case in CASES:
        assert CJK.search(case.title) and case.expect and case.command in ("validate", "check-pr"), case.name
        assert case.inputs() or case.delete, f"{case.name} has no input"


def test_the_generator_reproduces_the_committed_inputs():
    done = subprocess.run([sys.executable, str(BAD / "make_cases.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_base_record_of_the_corpus_is_valid(tmp_path):
    """Control: without its mutation, the record every case starts from passes."""
    root = make_repo(tmp_path / "lib")
    target = root / "results" / "2025" / "2025-3kq8m2va" / "2025-3kq8m2va.yaml"
    target.parent.mkdir(parents=True)
    shutil.copyfile(BAD / "_base.yaml", target)

    result = run(validate_command(root), root)

    assert (result.returncode, json.loads(result.stdout)["diagnostics"]) == (0, [])
    assert result.seconds < BUDGET_S


# --- two pull requests creating records at the same time ---------------------------------------------------

def _branch_with_new_record(repo: GitRepo, branch: str, record_id: str, title: str, when: str) -> None:
    repo.checkout("main")
    repo.branch(branch)
    add_record(repo.root, record_data(id=record_id, title=title, entered=None))
    repo.commit(f"新增成果 {record_id}", when)


def _check_pr(repo: GitRepo) -> tuple[int, list[dict]]:
    result = run(check_pr_command(), repo.root)
    assert "Traceback" not in result.stdout + result.stderr and result.seconds < BUDGET_S
    return result.returncode, json.loads(result.stdout)["diagnostics"]


@pytest.fixture
def shared_base(tmp_path) -> GitRepo:
    root = make_repo(tmp_path / "repo")
    add_record(root, record_data(id="2025-0000000a"))
    repo = GitRepo.init(root)
    repo.commit("成果库", BASE_COMMIT_AT)
    return repo


def test_two_concurrent_pull_requests_with_fresh_ids_both_pass_and_merge(shared_base):
    repo = shared_base
    first, second = new_id(NOW.date()), new_id(NOW.date())  # real randomness, as `zlhcg new` does
    assert first != second  # 40 random bits each: a clash here is a one-in-10^12 event, not a flaky test
    _branch_with_new_record(repo, "unit-a", first, "新型固态电池电解质材料及其制备方法", PR_COMMIT_AT)
    _branch_with_new_record(repo, "unit-b", second, "高通量基因测序芯片关键技术", PR_COMMIT_AT)

    for branch in ("unit-a", "unit-b"):
        repo.checkout(branch)
        assert _check_pr(repo) == (0, []), branch
    repo.checkout("main")
    repo.merge("unit-a", "2025-12-02T10:00:00+08:00")
    repo.merge("unit-b", "2025-12-02T11:00:00+08:00")

    result = run(zlhcg("validate", "--format", "json"), repo.root)
    assert (result.returncode, json.loads(result.stdout)["diagnostics"]) == (0, [])
    assert {p.name for p in (repo.root / "results").glob("*/*")} == {"2025-0000000a", first, second}


def test_two_concurrent_pull_requests_with_the_same_id_are_caught_on_the_second_merge(shared_base):
    repo = shared_base
    same = new_id(NOW.date())
    _branch_with_new_record(repo, "unit-a", same, "新型固态电池电解质材料及其制备方法", PR_COMMIT_AT)
    _branch_with_new_record(repo, "unit-b", same, "高通量基因测序芯片关键技术", PR_COMMIT_AT)
    for branch in ("unit-a", "unit-b"):  # each alone is fine: the id is free on main
        repo.checkout(branch)
        assert _check_pr(repo) == (0, []), branch

    repo.checkout("main")
    repo.merge("unit-a", "2025-12-02T10:00:00+08:00")
    repo.checkout("unit-b")  # the second pull request is checked again against the new main before merging
    code, diagnostics = _check_pr(repo)

    assert code == 1
    assert [(d["file"], d["rule"]) for d in diagnostics] == [(f"results/{same[:4]}/{same}", "pr.id-taken")]
    assert f"编号“{same}”已被主分支上的另一条成果使用" in diagnostics[0]["message"]
