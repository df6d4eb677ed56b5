#!/usr/bin/env python3
"""The README's commands, each doing its whole set-up first (standard library only: it runs before .venv exists).

    python3 scripts/dev.py build [zlhcg build options]   .venv from requirements/runtime.txt, then `zlhcg build`
    python3 scripts/dev.py test [pytest options]         system packages and browser, .venv from
                                                         requirements/test.txt, then pytest
    python3 scripts/dev.py lock [--upgrade [PACKAGE ...]] regenerate requirements/*.in and *.txt (uses PyPI)
    python3 scripts/dev.py install [runtime|test]        only the .venv (the workflows use it)

Python packages come only from the lock, checked by hash; the project is installed on top without resolving
anything. See docs/supply-chain.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from devsetup import locking, machine  # noqa: E402 - after the path above
from devsetup.browser import ENV as BROWSER_ENV  # noqa: E402
from devsetup.lockfile import RUNTIME, TEST  # noqa: E402
from devsetup.system import SetupError  # noqa: E402
from devsetup.venv import ensure_venv  # noqa: E402

USAGE = "用法：python3 scripts/dev.py build|test|lock|install [参数…]（见 scripts/dev.py 开头的说明）"


def ensure_lock(lock: str) -> Path:
    """The test lock includes the runtime lock at the same versions, so it satisfies a runtime request."""
    return ensure_venv(ROOT, lock, also_good=(TEST,) if lock == RUNTIME else ())


def build(args: list[str]) -> int:
    machine.prepare_for_build(ROOT, dict(os.environ))  # the fonts the PDF documents embed
    python = ensure_lock(RUNTIME)
    return run_in_venv(python.parent / "zlhcg", ["build", *args], os.environ)


def test(args: list[str]) -> int:
    browser = machine.prepare_for_tests(ROOT, dict(os.environ))  # before anything is installed or run
    python = ensure_lock(TEST)
    print(f"浏览器测试使用 {browser}", file=sys.stderr, flush=True)
    return run_in_venv(python, ["-m", "pytest", *args], {**os.environ, BROWSER_ENV: browser})


def lock(args: list[str]) -> int:
    if args and args[0] != "--upgrade":
        raise SetupError("lock 只接受 --upgrade [包名…]：不加参数时保留现有版本，只补上新增或改动的依赖。")
    locking.refresh_lock(ROOT, upgrade=args[1:] if args else None)
    return 0


def install(args: list[str]) -> int:
    if args not in ([], [RUNTIME], [TEST]):
        raise SetupError(f"install 只接受 {RUNTIME} 或 {TEST}（默认 {RUNTIME}）。")
    ensure_lock(*(args or [RUNTIME]))
    return 0


COMMANDS = {"build": build, "test": test, "lock": lock, "install": install}


def run_in_venv(program: Path, args: list[str], environ) -> int:
    """Replaces this process, so the exit status and signals are the command's own."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(ROOT)
    os.execve(str(program), [str(program), *args], dict(environ))


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        return COMMANDS[argv[0]](argv[1:])
    except SetupError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
