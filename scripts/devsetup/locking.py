"""Refreshing the lock: write the inputs from pyproject.toml, then compile them with uv, itself installed from
`requirements/uv.txt` by hash. Re-running without --upgrade keeps every pin it can (uv prefers the versions
already in the output file), so after a merge only new or changed dependencies move."""

from __future__ import annotations

import sys
from pathlib import Path

from devsetup.lockfile import COMPILE_ORDER, generated_inputs, input_path, lock_path, read_pyproject
from devsetup.system import SetupError, run_step
from devsetup.venv import create_env

TOOL_VENV = Path(".cache/lock-tool")  # gitignored
PYTHON_FLOOR = "3.11"  # the lowest Python of requires-python; --universal covers every newer one and platform


def write_inputs(root: Path) -> None:
    for name, text in generated_inputs(read_pyproject(root)).items():
        input_path(root, name).write_text(text, encoding="utf-8")


def install_uv(root: Path) -> Path:
    """uv from the hash-pinned requirements/uv.txt, in a virtual environment of its own."""
    target = root / TOOL_VENV
    python = target / "bin" / "python"
    if not python.exists():
        create_env(target)
    run_step([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--require-hashes",
              "-r", str(lock_path(root, "uv"))], root, "安装锁定工具 uv")
    return target / "bin" / "uv"


def compile_command(uv: Path, name: str, upgrade: list[str] | None) -> list[str]:
    """The arguments uv records in the lock's header are the ones Dependabot reuses to recompile it."""
    command = [str(uv), "pip", "compile", "--quiet", "--no-config", "--universal", "--python-version",
               PYTHON_FLOOR, "--generate-hashes", f"requirements/{name}.in", "-o", f"requirements/{name}.txt"]
    if upgrade == []:
        command.append("--upgrade")
    for package in upgrade or ():
        command += ["--upgrade-package", package]
    return command


def refuse_conflicted_locks(root: Path) -> None:
    """uv reads the existing locks to keep their pins; a half-merged one must be settled first."""
    for name in COMPILE_ORDER:
        path = lock_path(root, name)
        if path.exists() and "\n<<<<<<< " in "\n" + path.read_text(encoding="utf-8"):
            raise SetupError(f"requirements/{name}.txt 含有合并冲突标记：先取其中一方（git checkout --ours "
                             f"requirements/{name}.txt），再执行 python3 scripts/dev.py lock。")


def refresh_lock(root: Path, upgrade: list[str] | None) -> None:
    """upgrade: None keeps pins, [] upgrades everything, [names] upgrades those packages only."""
    refuse_conflicted_locks(root)
    write_inputs(root)
    uv = install_uv(root)
    for name in COMPILE_ORDER:
        run_step(compile_command(uv, name, upgrade), root, f"生成锁定文件 requirements/{name}.txt")
        print(f"已更新 requirements/{name}.txt", file=sys.stderr)

