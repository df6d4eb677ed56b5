"""The GitHub workflows, pull-request template and code owners: parsed and checked offline, plus zizmor."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline.review.prcheck import COORDINATOR_LABEL

REPO = Path(__file__).resolve().parents[1]
GITHUB = REPO / ".github"
WORKFLOWS = GITHUB / "workflows"
OURS = ("validate.yml", "publish.yml")
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40})"
                    r"\s+#\s*v\d+(?:\.\d+){0,2}\s*$")


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(doc: dict) -> dict:
    """PyYAML reads the key `on` as the boolean True (YAML 1.1)."""
    return doc.get("on", doc.get(True))


def steps(doc: dict):
    for job_id, job in doc["jobs"].items():
        for step in job.get("steps", ()):
            yield job_id, step


def step_using(doc: dict, action: str) -> dict:
    found = [s for _, s in steps(doc) if s.get("uses", "").startswith(action + "@")]
    assert len(found) == 1, f"expected one step using {action}"
    return found[0]


def step_running(doc: dict, command: str) -> dict:
    found = [s for _, s in steps(doc) if command in s.get("run", "")]
    assert len(found) == 1, f"expected one step running {command}"
    return found[0]


# --- security rules, for each of our workflows ---------------------------------------------------------

@pytest.mark.parametrize("name", OURS)
def test_no_permissions_at_the_top_and_no_pull_request_target(name):
    doc = load(name)
    assert doc["permissions"] == {}
    assert "pull_request_target" not in triggers(doc)


@pytest.mark.parametrize("name", OURS)
def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment(name):
    lines = [line for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines
    for line in lines:
        assert PINNED.match(line), f"not pinned to a full commit id with a version comment: {line.strip()}"


def test_an_action_is_pinned_to_the_same_commit_everywhere():
    pins: dict[str, set[str]] = {}
    for name in OURS:
        for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines():
            if match := PINNED.match(line):
                pins.setdefault(match["action"], set()).add(match["sha"])
    assert {action for action, shas in pins.items() if len(shas) > 1} == set()
    assert {"actions/checkout", "actions/setup-python", "actions/upload-artifact", "actions/upload-pages-artifact",
            "actions/deploy-pages"} <= set(pins)


@pytest.mark.parametrize("name", OURS)
def test_checkouts_fetch_full_history_and_keep_no_credentials(name):
    checkouts = [step for _, step in steps(load(name)) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for checkout in checkouts:
        assert checkout["with"]["persist-credentials"] is False
        assert checkout["with"]["fetch-depth"] == 0


@pytest.mark.parametrize("name", OURS)
def test_no_expression_is_expanded_inside_a_shell_script(name):
    for job_id, step in steps(load(name)):
        assert "${{" not in step.get("run", ""), f"{name} job {job_id}: pass values through env: instead"


@pytest.mark.parametrize("name", OURS)
def test_every_job_has_a_timeout_and_the_workflow_a_concurrency_group(name):
    doc = load(name)
    assert doc["concurrency"]["group"]
    for job in doc["jobs"].values():
        assert 0 < job["timeout-minutes"] <= 60


@pytest.mark.parametrize("name, job_id, expected", [
    ("validate.yml", "validate", {"contents": "read"}),
    ("validate.yml", "approvals", {"contents": "read", "pull-requests": "read"}),
    ("publish.yml", "build", {"contents": "read"}),
    ("publish.yml", "deploy", {"pages": "write", "id-token": "write"}),
    ("publish.yml", "deploy-object-storage", {"contents": "read"}),
])
def test_each_job_has_only_the_permissions_it_needs(name, job_id, expected):
    jobs = load(name)["jobs"]
    assert jobs[job_id]["permissions"] == expected
    assert {(n, j) for n in OURS for j in load(n)["jobs"]} == {
        ("validate.yml", "validate"), ("validate.yml", "approvals"), ("publish.yml", "build"), ("publish.yml", "deploy"),
        ("publish.yml", "deploy-object-storage")}


# --- validate: pull requests ---------------------------------------------------------------------------

def test_validate_runs_on_pull_requests_and_when_labels_change():
    on = triggers(load("validate.yml"))
    assert set(on) == {"pull_request", "pull_request_review"}
    assert {"opened", "synchronize", "reopened", "labeled", "unlabeled"} <= set(on["pull_request"]["types"])
    assert load("validate.yml")["concurrency"]["cancel-in-progress"] is True
    assert load("validate.yml")["jobs"]["validate"]["if"] == "github.event_name == 'pull_request'"


def test_approvals_are_checked_with_the_base_branchs_code_and_roster():
    step = load("validate.yml")["jobs"]["approvals"]["steps"][-1]
    script = step["run"]
    assert 'git worktree add --detach "$RUNNER_TEMP/base" HEAD^1' in script
    assert '--roster "$RUNNER_TEMP/base/.github/experts.yaml"' in script and "--check-approvals" in script
    assert 'python "$RUNNER_TEMP/base/scripts/dev.py" install' in script  # the base's lock and code
    assert re.findall(r'\S*\.venv/bin/zlhcg', script) == ['"$RUNNER_TEMP/base/.venv/bin/zlhcg']


def test_validate_checks_the_pull_request_against_its_base_with_annotations():
    step = step_running(load("validate.yml"), "zlhcg check-pr")
    assert step["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert '--base "origin/${BASE_REF}"' in step["run"] and "--format github" in step["run"]


def test_the_coordinator_flag_comes_only_from_the_label():
    step = step_running(load("validate.yml"), "zlhcg check-pr")
    assert step["env"]["COORDINATOR"] == (
        f"${{{{ contains(github.event.pull_request.labels.*.name, '{COORDINATOR_LABEL}') }}}}")
    assert 'if [ "${COORDINATOR}" = "true" ]' in step["run"] and "args+=(--coordinator)" in step["run"]


def test_validate_builds_the_site_and_uploads_it_for_preview():
    doc = load("validate.yml")
    build = step_running(doc, ".venv/bin/zlhcg build")
    step_running(doc, ".venv/bin/zlhcg validate")
    upload = step_using(doc, "actions/upload-artifact")
    assert upload["with"]["path"] == "build/site"
    assert f"steps.{build['id']}.outcome == 'success'" in upload["if"]


# --- publish: main, daily after midnight in Shanghai, by hand --------------------------------------------

def test_publish_triggers():
    on = triggers(load("publish.yml"))
    assert set(on) == {"push", "schedule", "workflow_dispatch"}
    assert on["push"] == {"branches": ["main"]}
    [schedule] = on["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert (hour, rest) == ("16", ["*", "*", "*"]) and 0 <= int(minute) <= 9  # 00:0x Asia/Shanghai (UTC+8)


def test_publish_builds_with_full_history_and_deploys_to_pages():
    doc = load("publish.yml")
    step_running(doc, ".venv/bin/zlhcg build")
    assert step_using(doc, "actions/upload-pages-artifact")["with"]["path"] == "build/site"
    deploy = doc["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert doc["concurrency"]["cancel-in-progress"] is False


def test_one_repository_variable_chooses_pages_or_object_storage():
    jobs = load("publish.yml")["jobs"]
    assert jobs["deploy"]["if"] == "vars.PUBLISH_TARGET != 'object-storage'"  # Pages stays the default
    assert jobs["deploy-object-storage"]["if"] == "vars.PUBLISH_TARGET == 'object-storage'"
    assert jobs["deploy-object-storage"]["needs"] == "build"


def test_object_storage_deploy_uses_the_built_artifact_and_secrets_only_through_env():
    job = load("publish.yml")["jobs"]["deploy-object-storage"]
    assert job["environment"]["name"] == "object-storage"
    download = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"]["name"] == "github-pages"  # what actions/upload-pages-artifact uploads (artifact.tar)
    [deploy] = [s for s in job["steps"] if "zlhcg deploy" in s.get("run", "")]
    assert deploy["env"]["AWS_ACCESS_KEY_ID"] == "${{ secrets.S3_ACCESS_KEY_ID }}"
    assert deploy["env"]["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.S3_SECRET_ACCESS_KEY }}"
    assert '--to "$DEPLOY_TO"' in deploy["run"] and '--site "$RUNNER_TEMP/site"' in deploy["run"]
    text = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
    assert text.count("secrets.") == 2  # no other step sees a secret
    assert "zlhcg build" not in "".join(s.get("run", "") for s in job["steps"])  # deploys what build built


# --- zizmor ----------------------------------------------------------------------------------------------

def test_zizmor_finds_nothing_in_the_github_folder():
    zizmor = Path(sys.executable).with_name("zizmor")
    assert zizmor.exists(), "zizmor is in the test lock: python3 scripts/dev.py test installs it"
    done = subprocess.run([str(zizmor), "--offline", "--no-progress", "--format", "plain", str(GITHUB)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


# --- pull-request template and code owners -------------------------------------------------------------

def test_the_pull_request_template_has_the_submitters_checklist():
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    boxes = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    for promise in ("权属清晰无争议", "不含涉密内容", "图片版权", "个人信息"):
        assert any(promise in box for box in boxes), promise


def code_owners(path: str) -> list[str]:
    """GitHub's rule for the folder and file patterns we use: the last matching line wins."""
    owners: list[str] = []
    for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *names = line.split()
        assert pattern.startswith("/"), "patterns are anchored at the repository root"
        target = pattern[1:]
        if path == target or (target.endswith("/") and path.startswith(target)):
            owners = names
    return owners


@pytest.mark.parametrize("path, owners", [
    ("site/monthly/2025-03.md", ["@zj-kjt/coordinators"]),
    ("site/quarterly/2025-Q1.md", ["@zj-kjt/coordinators"]),
    ("site/annual/2025.md", ["@zj-kjt/coordinators"]),
    ("schema/result.schema.yaml", ["@zj-kjt/maintainers"]),
    ("schema/vocab/fields.yaml", ["@zj-kjt/maintainers"]),
    ("pipeline/prcheck.py", ["@zj-kjt/maintainers"]),
    (".github/workflows/validate.yml", ["@zj-kjt/maintainers"]),
    (".github/CODEOWNERS", ["@zj-kjt/maintainers"]),
    ("results/2025/2025-3kq8m2va/2025-3kq8m2va.yaml", []),
])
def test_code_owners(path, owners):
    assert code_owners(path) == owners


# --- record paths in the intake workflows (records live in results/<year>/<id>/) ----------------------------

def test_the_form_intake_finds_the_id_an_earlier_run_gave_the_submission():
    script = step_running(load("intake.yml"), "compare/${BASE}...${BRANCH}")["run"]
    expression = re.search(r"sed -nE '([^']+)'", script).group(1)
    changed = "\n".join(["README.md", "results/2025/2025-3kq8m2vb/2025-3kq8m2vb.yaml",
                         "results/2025/2025-3kq8m2vb/photo.png", "results/2025-3kq8m2vc/2025-3kq8m2vc.yaml", ""])
    found = subprocess.run(["sed", "-nE", expression], input=changed, capture_output=True, text=True,
                           env={"LC_ALL": "C"}, check=True)
    assert found.stdout.split() == ["2025-3kq8m2vb", "2025-3kq8m2vb"]  # the old flat layout is not a record


def test_the_batch_intake_commits_each_record_at_its_year_folder_path():
    script = step_running(load("intake-batch.yml"), "git add --")["run"]
    command = re.search(r'git add -- ("[^"]+")', script).group(1)
    shown = subprocess.run(["bash", "-c", f"id=2025-3kq8m2vb; printf '%s' {command}"], capture_output=True,
                           text=True, check=True)
    assert shown.stdout == "results/2025/2025-3kq8m2vb/2025-3kq8m2vb.yaml"
