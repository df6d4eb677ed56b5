"""pipeline/experts/github_export.sh against a stand-in `gh` that serves recorded API responses: the file it
writes is the documented export format, and nothing a pull request controls reaches a URL unchecked."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from datetime import date

import pytest

from pipeline.experts.github_data import load_export
from pipeline.model.library import load_rules
from pipeline.read.sources import Layout
from tests.factories import EXEMPLAR, REPO

SCRIPT = REPO / "pipeline" / "experts" / "github_export.sh"
RECORD = "results/2025-3kq8m2va/2025-3kq8m2va.yaml"
HOSTILE = ["results/../../etc/passwd.yaml", "results/2025-3kq8m2va/2025-3kq8m2va.yaml?ref=evil",
           "results/2025-3kq8m2va/$(touch pwned).yaml"]

pytestmark = pytest.mark.skipif(not (shutil.which("bash") and shutil.which("jq")), reason="needs bash and jq")

FAKE_GH = """#!{python}
import json, sys
args = [a for a in sys.argv[1:] if a != "--paginate"]
assert args[0] == "api", args
path = args[1]
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(path + "\\n")
responses = json.load(open({data!r}, encoding="utf-8"))
if path not in responses:
    sys.stderr.write("HTTP 404: Not Found\\n")
    sys.exit(1)
for page in responses[path]:  # like older gh: one JSON document per page, back to back
    sys.stdout.write(json.dumps(page, ensure_ascii=False))
"""


def pull(number, title):
    return {"number": number, "title": title, "body": "含个人信息的正文", "state": "open", "draft": False,
            "user": {"login": "submitter"}, "created_at": "2025-03-01T00:00:00Z", "closed_at": None,
            "merged_at": None, "labels": [], "requested_reviewers": [{"login": "alice-expert"}],
            "head": {"ref": "x", "sha": "1" * 40}}


@pytest.fixture
def responses():
    content = base64.b64encode(EXEMPLAR.read_bytes()).decode()
    files = [{"filename": RECORD, "status": "added"},
             {"filename": "results/2025-3kq8m2va/module.png", "status": "added"}]
    files += [{"filename": name, "status": "added"} for name in HOSTILE]
    return {
        "repos/o/r/pulls?state=open&per_page=100": [[pull(5, "第一页")], [pull(6, "第二页")]],
        "repos/o/r/pulls/5/files?per_page=100": [files],
        "repos/o/r/pulls/5/reviews?per_page=100": [[{"user": {"login": "alice-expert"}, "state": "COMMENTED",
                                                      "submitted_at": "2025-03-02T00:00:00Z", "body": "意见"}]],
        "repos/o/r/issues/5/timeline?per_page=100": [[
            {"event": "committed", "sha": "1" * 40},
            {"event": "review_requested", "created_at": "2025-03-01T01:00:00Z",
             "requested_reviewer": {"login": "alice-expert"}, "actor": {"login": "coordinator"}}]],
        f"repos/o/r/contents/{RECORD}?ref=refs/pull/5/head": [{
            "path": RECORD, "sha": "2" * 40, "encoding": "base64", "content": content, "type": "file",
            "download_url": "https://raw.githubusercontent.com/o/r/x?token=SECRET"}],
        "repos/o/r/pulls/6/files?per_page=100": [[]],
        "repos/o/r/pulls/6/reviews?per_page=100": [[]],
        "repos/o/r/issues/6/timeline?per_page=100": [[]],
    }


def run_export(tmp_path, responses):
    data, log = tmp_path / "responses.json", tmp_path / "requests.log"
    data.write_text(json.dumps(responses, ensure_ascii=False), encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH.format(python=sys.executable, log=str(log), data=str(data)), encoding="utf-8")
    gh.chmod(0o755)
    out = tmp_path / "export.json"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", str(SCRIPT), "open", str(out), "o/r"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    return result, out, log


def test_export_has_the_documented_shape(tmp_path, responses):
    result, out, _ = run_export(tmp_path, responses)
    assert result.returncode == 0, result.stderr
    raw = json.loads(out.read_text(encoding="utf-8"))
    assert raw["format"] == "zlhcg-github-export/1" and raw["repository"] == "o/r" and raw["state"] == "open"
    first = raw["pulls"][0]
    assert [p["number"] for p in raw["pulls"]] == [5, 6]  # both pages
    assert "title" not in first and "body" not in first and "body" not in first["reviews"][0]
    assert [e["event"] for e in first["timeline"]] == ["review_requested"]
    assert set(first["contents"]) == {RECORD}
    assert set(first["contents"][RECORD]) == {"path", "sha", "encoding", "content"}  # no download_url token

    vocab = load_rules(Layout(REPO), date(2025, 7, 1)).vocab
    export = load_export(out, vocab)
    pr = export.pulls[0]
    assert pr.records[0].facts.field == "先进半导体材料"
    assert pr.requested == ("alice-expert",) and pr.events[0].login == "alice-expert"


def test_hostile_file_names_never_reach_a_url(tmp_path, responses):
    result, _, log = run_export(tmp_path, responses)
    assert result.returncode == 0, result.stderr
    requested = log.read_text(encoding="utf-8").splitlines()
    contents = [r for r in requested if "/contents/" in r]
    assert contents == [f"repos/o/r/contents/{RECORD}?ref=refs/pull/5/head"]
    assert not (tmp_path / "pwned").exists()


def test_usage_errors(tmp_path):
    for args in (["sideways", "x.json", "o/r"], ["open", "x.json", "o/r; rm -rf /"]):
        result = subprocess.run(["bash", str(SCRIPT), *args], cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 2
