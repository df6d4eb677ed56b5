"""The lock (requirements/) agrees with pyproject.toml, carries hashes, and is what every installer uses.
Offline: it reads the committed files only (refreshing the lock is `python3 scripts/dev.py lock`)."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from devsetup.locking import compile_command  # noqa: E402
from devsetup.lockfile import (RUNTIME, TEST, TOOL, Pin, canonical, generated_inputs, lock_path,  # noqa: E402
                               parse_lock, read_pyproject)

REFRESH = "python3 scripts/dev.py lock"


def locked(name: str) -> list[Pin]:
    return parse_lock(lock_path(REPO, name).read_text(encoding="utf-8"))


def lock_problems(requirements: list[str], pins: list[Pin]) -> list[str]:
    """Every way `pins` fails `requirements`: a requirement not locked, or locked at a version outside its range."""
    by_name: dict[str, list[Pin]] = {}
    for pin in pins:
        by_name.setdefault(pin.name, []).append(pin)
    problems = []
    for text in requirements:
        requirement = Requirement(text)
        entries = by_name.get(canonical(requirement.name), [])
        if not entries:
            problems.append(f"{requirement.name} is not in the lock")
        problems += [f"{requirement.name}=={pin.version} is outside {requirement.specifier}" for pin in entries
                     if not requirement.specifier.contains(pin.version, prereleases=True)]
    return problems


def unhashed(pins: list[Pin]) -> list[str]:
    return [f"{pin.name}=={pin.version}" for pin in pins if not pin.hashes]


def declared(pyproject: dict) -> dict[str, list[str]]:
    runtime = pyproject["project"]["dependencies"] + pyproject["build-system"]["requires"]
    return {RUNTIME: runtime, TEST: runtime + pyproject["project"]["optional-dependencies"]["test"]}


# --- the committed lock -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [RUNTIME, TEST])
def test_every_declared_dependency_is_locked_within_its_range(name):
    assert lock_problems(declared(read_pyproject(REPO))[name], locked(name)) == [], f"run `{REFRESH}`"


@pytest.mark.parametrize("name", [RUNTIME, TEST, TOOL])
def test_every_lock_entry_has_sha256_hashes(name):
    pins = locked(name)
    assert pins and unhashed(pins) == []


def test_the_runtime_and_test_locks_pin_shared_packages_alike():
    runtime = {(pin.name, pin.marker): pin.version for pin in locked(RUNTIME)}
    test = {(pin.name, pin.marker): pin.version for pin in locked(TEST)}
    assert {key: version for key, version in runtime.items() if test.get(key) != version} == {}


def test_the_lock_inputs_are_generated_from_pyproject():
    for name, text in generated_inputs(read_pyproject(REPO)).items():
        assert (REPO / "requirements" / f"{name}.in").read_text(encoding="utf-8") == text, f"run `{REFRESH}`"


@pytest.mark.parametrize("name", [RUNTIME, TEST, TOOL])
def test_the_lock_header_records_the_command_that_dev_lock_runs(name):
    """Dependabot recompiles with the options of this header; it must be exactly what `dev.py lock` runs."""
    header = lock_path(REPO, name).read_text(encoding="utf-8").splitlines()[1]
    command = [part for part in compile_command(Path("uv"), name, None) if part != "--quiet"]
    assert header == "#    " + " ".join(command)
    assert "--universal" in header and "--generate-hashes" in header and "--python-version 3.11" in header


def test_the_python_floor_of_the_lock_is_the_projects():
    requires = read_pyproject(REPO)["project"]["requires-python"]
    assert requires == ">=3.11" and "--python-version 3.11" in " ".join(compile_command(Path("uv"), TEST, None))


# --- the check itself fails when pyproject.toml and the lock disagree ---------------------------------------

def edited_pyproject(**changes) -> dict:
    pyproject = read_pyproject(REPO)
    pyproject["project"]["dependencies"] = pyproject["project"]["dependencies"] + changes.get("add", [])
    return pyproject


def test_a_dependency_missing_from_the_lock_is_reported():
    pyproject = edited_pyproject(add=["requests-toolbelt>=1.0"])
    assert lock_problems(declared(pyproject)[RUNTIME], locked(RUNTIME)) == ["requests-toolbelt is not in the lock"]


def test_a_pin_outside_the_declared_range_is_reported():
    pins = [Pin(pin.name, "1.5.3" if pin.name == "mkdocs" else pin.version, pin.marker, pin.hashes)
            for pin in locked(RUNTIME)]
    assert lock_problems(declared(read_pyproject(REPO))[RUNTIME], pins) == ["mkdocs==1.5.3 is outside <1.7,>=1.6"]


def test_an_entry_without_hashes_is_reported():
    text = lock_path(REPO, RUNTIME).read_text(encoding="utf-8")
    stripped = re.sub(r"(?m)^(mkdocs==\S+) \\\n(?:\s+--hash=\S+ \\\n)*\s+--hash=\S+\n", r"\1\n", text)
    assert stripped != text
    assert unhashed(parse_lock(stripped)) == ["mkdocs==1.6.1"]


def test_a_line_the_parser_does_not_understand_is_an_error():
    with pytest.raises(ValueError, match="line 2"):
        parse_lock("mkdocs==1.6.1 \\\n    --hash=sha256:12\n")


# --- every installer uses the lock ------------------------------------------------------------------------

def run_scripts(workflow: Path) -> list[str]:
    doc = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    return [step.get("run", "") for job in doc["jobs"].values() for step in job.get("steps", ())]


@pytest.mark.parametrize("workflow", sorted((REPO / ".github" / "workflows").glob("*.yml")), ids=lambda p: p.name)
def test_workflows_install_python_packages_only_from_the_lock(workflow):
    scripts = "\n".join(run_scripts(workflow))
    assert not re.search(r"\bpip3?\b[^\n]*\binstall\b", scripts), "install through scripts/dev.py install"
    if "zlhcg" in scripts:
        assert re.search(r"^python \S*scripts/dev\.py\" install|^python scripts/dev\.py install", scripts, re.M)


def test_ci_runs_the_readme_test_command():
    lines = [line for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    assert lines[-1] == "python3 scripts/dev.py test < /dev/null" and "set -euo pipefail" in lines


def test_the_readme_quick_start_uses_the_set_up_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.split("## 快速开始", 1)[1].split("\n## ", 1)[0]
    assert "python3 scripts/dev.py build" in start and "python3 scripts/dev.py test" in start
    assert "pip install" not in start


def test_dependabot_proposes_lock_and_action_updates():
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert {entry["package-ecosystem"] for entry in config["updates"]} == {"uv", "github-actions"}


def test_the_system_packages_are_listed_once():
    with (REPO / "requirements" / "system.toml").open("rb") as handle:
        spec = tomllib.load(handle)
    packages = spec["browser"]["packages"] + [tool["package"] for tool in spec["tools"]]
    assert {"chromium", "fonts-noto-cjk", "poppler-utils", "libatomic1", "jq"} <= set(packages)
    assert "apt-get install" not in (REPO / ".ci" / "run").read_text(encoding="utf-8")
