"""The review and intake workflows keep the repository's workflow rules: no privileged trigger fed by untrusted
input, least privilege, pinned actions, no credentials left behind, no expressions inside shell scripts."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.factories import REPO

WORKFLOWS = [REPO / ".github" / "workflows" / name for name in ("intake.yml", "reviewers.yml", "review-reminders.yml")]
PINNED = re.compile(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}")


def load(path):
    text = path.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=yaml.BaseLoader)  # BaseLoader: "on" stays the key "on"
    return text, data


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_triggers_and_permissions(path):
    _, data = load(path)
    triggers = set(data["on"])
    assert not triggers & {"pull_request_target", "workflow_run", "issue_comment"}
    assert data["permissions"] == {}
    assert "group" in data["concurrency"]
    for job in data["jobs"].values():
        assert int(job["timeout-minutes"]) <= 20
        assert job["permissions"], "every job states its permissions"
        assert all(v in ("read", "write", "none") for v in job["permissions"].values())


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_pinned_and_credentials_not_persisted(path):
    text, data = load(path)
    for job in data["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert PINNED.fullmatch(step["uses"]), step["uses"]
                line = next(line for line in text.splitlines() if step["uses"] in line)
                assert re.search(r"# v\d+\.\d+\.\d+$", line), "pinned SHA needs its version as a comment"
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] == "false"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expressions_inside_shell_scripts(path):
    _, data = load(path)
    for job in data["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step.get("name")


def test_intake_never_touches_the_issue_text_in_the_workflow():
    text, data = load(WORKFLOWS[0])
    assert set(data["on"]) == {"issues"} and data["on"]["issues"]["types"] == ["opened", "edited"]
    assert "issue.body" not in text and "issue.title" not in text
    assert "zlhcg from-issue" in text and '--event "$GITHUB_EVENT_PATH"' in text
    [job] = data["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    assert "成果报送" in job["if"]


def test_scheduled_workflows_only_read_pull_requests_as_data():
    for path in WORKFLOWS[1:]:
        text, data = load(path)
        assert set(data["on"]) == {"schedule", "workflow_dispatch"}
        assert "github_export.sh" in text
        for job in data["jobs"].values():
            assert job["permissions"]["contents"] == "read"
            for step in job["steps"]:
                assert "ref" not in step.get("with", {}), "only the default branch is checked out"
