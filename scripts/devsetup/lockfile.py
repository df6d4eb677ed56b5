"""The lock's files: which are generated from pyproject.toml, and reading a compiled lock back.

    requirements/runtime.in   generated: [project] dependencies + [build-system] requires
    requirements/test.in      generated: the test extra, constrained to the runtime lock's pins
    requirements/uv.in        hand-written: the locking tool itself
    requirements/*.txt        compiled by `uv pip compile --universal --generate-hashes` (every wheel's hash)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

REQUIREMENTS = Path("requirements")
RUNTIME, TEST, TOOL = "runtime", "test", "uv"
COMPILE_ORDER = (TOOL, RUNTIME, TEST)  # test.in reads runtime.txt
GENERATED = "# Generated from pyproject.toml by `python3 scripts/dev.py lock`: edit pyproject.toml, not this file.\n"
ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+?)\s*(?:;\s*(?P<marker>[^\\]+?))?\s*\\?$")
HASH = re.compile(r"^\s+--hash=(?P<hash>sha256:[0-9a-f]{64})\s*\\?$")


@dataclass(frozen=True)
class Pin:
    """One `name==version ; marker` entry of a compiled lock and its hashes."""
    name: str
    version: str
    marker: str | None
    hashes: tuple[str, ...]


def lock_path(root: Path, name: str) -> Path:
    return root / REQUIREMENTS / f"{name}.txt"


def input_path(root: Path, name: str) -> Path:
    return root / REQUIREMENTS / f"{name}.in"


def canonical(name: str) -> str:
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    """The canonical project name a PEP 508 requirement starts with ("setuptools>=68" → "setuptools")."""
    return canonical(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)[1])


def read_pyproject(root: Path) -> dict:
    with (root / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)


def generated_inputs(pyproject: dict) -> dict[str, str]:
    """The text of runtime.in and test.in for this pyproject.toml."""
    runtime = [GENERATED, "# [project] dependencies\n", *lines(pyproject["project"]["dependencies"]),
               "# [build-system] requires: the project is installed with --no-build-isolation on top of the lock\n",
               *lines(pyproject["build-system"]["requires"])]
    test = [GENERATED, "-c runtime.txt\n", "-r runtime.in\n", "# [project.optional-dependencies] test\n",
            *lines(pyproject["project"]["optional-dependencies"]["test"])]
    return {RUNTIME: "".join(runtime), TEST: "".join(test)}


def lines(requirements: list[str]) -> list[str]:
    return [f"{requirement}\n" for requirement in requirements]


def parse_lock(text: str) -> list[Pin]:
    """Every entry of a compiled lock, in order. Lines that are neither entries, hashes nor comments are errors."""
    pins: list[Pin] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if entry := ENTRY.match(line):
            pins.append(Pin(canonical(entry["name"]), entry["version"], entry["marker"], ()))
        elif (digest := HASH.match(line)) and pins:
            last = pins[-1]
            pins[-1] = Pin(last.name, last.version, last.marker, last.hashes + (digest["hash"],))
        else:
            raise ValueError(f"line {number} is not a pinned entry or a hash: {line!r}")
    return pins
