"""The `zlhcg` command line: validate in three formats, new, exit codes, and no tracebacks for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pipeline.cli import main
from pipeline.submit.record_template import render_template
from tests.factories import add_record, record_data


def run(repo, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "--root", str(repo), *args],
                          capture_output=True, text=True, encoding="utf-8")


@pytest.fixture
def broken(repo):
    path = add_record(repo, record_data())
    text = path.read_text(encoding="utf-8").replace("level: 国际先进", "level: 世界一流")
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index("level: 世界一流") + 1
    return repo, line


def test_validate_text_report(broken):
    repo, line = broken
    result = run(repo, "validate")
    assert result.returncode == 1
    assert f"results/2025/2025-3kq8m2va/2025-3kq8m2va.yaml:{line}:8: 错误（字段 level）" in result.stdout
    assert "修改建议" in result.stdout and "检查未通过" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_github_annotations(broken):
    repo, line = broken
    result = run(repo, "validate", "--format", "github")
    assert result.returncode == 1
    assert f"::error file=results/2025/2025-3kq8m2va/2025-3kq8m2va.yaml,line={line},col=8,title=schema.enum::" in result.stdout


def test_validate_json_report_is_stable(broken):
    repo, line = broken
    first, second = run(repo, "validate", "--format", "json"), run(repo, "validate", "--format", "json")
    assert first.stdout == second.stdout
    report = json.loads(first.stdout)
    assert report["ok"] is False and report["errors"] == 1
    item = report["diagnostics"][0]
    assert (item["line"], item["column"], item["rule"], item["field"]) == (line, 8, "schema.enum", "level")


def test_the_command_flushes_everything_before_its_quick_exit(broken, capsys):
    """`python -m pipeline` ends with os._exit (no teardown of a whole library's objects): its exit code and every
    byte of its output, piped and far larger than a pipe's buffer, are still those of main()."""
    repo, _ = broken
    for n in range(1000):  # one diagnostic each
        (repo / "results" / f"misplaced-{n}.yaml").write_text("title: [\n", encoding="utf-8")
    assert main(["--root", str(repo), "validate", "--format", "json"]) == 1
    expected = capsys.readouterr().out
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # output held until flushed
    result = subprocess.run([sys.executable, "-m", "pipeline", "--root", str(repo), "validate", "--format", "json"],
                            capture_output=True, text=True, encoding="utf-8", env=buffered)
    assert len(expected) > 200_000
    assert (result.returncode, result.stdout) == (1, expected)


def test_validate_passes_on_a_valid_library(repo):
    add_record(repo, record_data())
    result = run(repo, "validate")
    assert result.returncode == 0 and "检查通过" in result.stdout


def test_validate_limited_to_paths(broken):
    repo, _ = broken
    add_record(repo, record_data(id="2025-3kq8m2vb"), record_id="2025-3kq8m2vb")
    result = run(repo, "validate", str(repo / "results" / "2025" / "2025-3kq8m2vb"))
    assert result.returncode == 0, result.stdout


def test_new_creates_a_template_that_validation_then_explains(repo):
    result = run(repo, "new", "--category", "基础研究成果")
    assert result.returncode == 0 and "已创建 results/" in result.stdout
    [created] = list((repo / "results").glob("*/*/*.yaml"))
    text = created.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=https://zlhcg.example.org/schema/result-2.0.0.json")
    assert f"id: {created.stem}" in text and "\npapers:\n" in text and "\n# breakthrough:" in text
    report = run(repo, "validate")
    assert report.returncode == 1 and "尚未填写" in report.stdout and "Traceback" not in report.stderr


def test_new_refuses_to_overwrite(repo):
    assert run(repo, "new", "--id", "2025-3kq8m2va").returncode == 0
    again = run(repo, "new", "--id", "2025-3kq8m2va")
    assert again.returncode == 2 and "不会覆盖" in again.stderr


def test_template_lists_every_schema_field(repo):
    from pipeline.model.library import load_rules
    from pipeline.check.schemas import iter_schema_fields
    from pipeline.read.sources import Layout
    from datetime import date

    rules = load_rules(Layout(repo), date(2026, 1, 1))
    text = render_template(rules.schemas, "2026-00000000", "https://x/", "技术攻关成果")
    for path, node, _ in iter_schema_fields(rules.schemas, "result"):
        name = path.rsplit(".", 1)[-1].removesuffix("[]")
        if path.split(".")[0].removesuffix("[]") in ("withdrawn", "entered"):
            continue
        assert f"{name}:" in text, path


def test_unknown_category_and_bad_arguments_are_usage_errors(repo):
    assert run(repo, "new", "--category", "其他").returncode == 2
    bad = run(repo, "validate", "--format", "xml")
    assert bad.returncode == 2 and "参数错误" in bad.stderr


def test_unexpected_errors_never_show_a_traceback(monkeypatch, capsys, repo):
    def explode(args):
        raise RuntimeError("boom")

    monkeypatch.setattr("pipeline.cli.cmd_validate", explode)
    from pipeline import cli

    parser = cli.build_parser()
    args = parser.parse_args(["--root", str(repo), "validate"])
    args.func = explode
    monkeypatch.setattr(cli.ChineseArgumentParser, "parse_args", lambda self, argv=None: args)
    assert main([]) == 3
    err = capsys.readouterr().err
    assert "程序内部错误" in err and "Traceback" not in err
