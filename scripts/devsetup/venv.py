"""`.venv` from the lock, every file checked against its hash, nothing resolved:

1. the build backend (setuptools) alone, from the lock: packages published only as source (feedgen) and the
   project itself are built with it, never with an unpinned copy fetched into an isolated build environment;
2. the whole lock with `--require-hashes --no-build-isolation`;
3. the project with `--no-deps --no-build-isolation -e .`.

A stamp of the lock and pyproject.toml makes a re-run with nothing changed skip pip altogether."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import venv
from pathlib import Path

from devsetup.lockfile import lock_path, parse_lock, read_pyproject, requirement_name
from devsetup.system import SetupError, apt_install, install_command, may_run_apt, run_step

VENV = Path(".venv")
STAMP = "zlhcg-lock.json"  # inside .venv: {lock name: sha256 of lock + pyproject.toml when it was installed}
MINIMUM_PYTHON = (3, 11)


def python_of(root: Path) -> Path:
    return root / VENV / "bin" / "python"


def lock_digest(root: Path, name: str) -> str:
    return hashlib.sha256(lock_path(root, name).read_bytes() + (root / "pyproject.toml").read_bytes()).hexdigest()


def read_stamp(root: Path) -> dict[str, str]:
    try:
        return json.loads((root / VENV / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_current(root: Path, names: list[str]) -> bool:
    stamp = read_stamp(root)
    return any(stamp.get(name) == lock_digest(root, name) for name in names)


def check_python() -> None:
    if sys.version_info < MINIMUM_PYTHON:
        found = ".".join(map(str, sys.version_info[:3]))
        raise SetupError(f"需要 Python 3.11 或更高版本，当前是 {found}。请用 python3.11（或更新版本）运行本脚本。")


def ensure_venv_support() -> None:
    """Debian and Ubuntu ship `venv` without ensurepip until python3.X-venv is installed."""
    if importlib.util.find_spec("ensurepip") is not None:
        return
    package = f"python{sys.version_info.major}.{sys.version_info.minor}-venv"
    if not may_run_apt():
        raise SetupError(f"这个 Python 不能创建虚拟环境（缺少 ensurepip）。请先执行：{install_command([package])}")
    apt_install([package])


def create_env(target: Path) -> None:
    """A virtual environment with pip, from the Python running this script."""
    check_python()
    ensure_venv_support()
    print(f"正在创建虚拟环境 {target} …", file=sys.stderr, flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(target)


def ensure_venv(root: Path, lock: str, also_good: tuple[str, ...] = ()) -> Path:
    """The venv's python with `lock` installed. `also_good`: locks whose installation covers this one."""
    python = python_of(root)
    if not python.exists():
        create_env(root / VENV)
    elif is_current(root, [lock, *also_good]):
        return python
    print(f"正在按 requirements/{lock}.txt 安装依赖（核对哈希）…", file=sys.stderr, flush=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    backend = write_backend_pins(root, lock)
    run_step(pip + ["--require-hashes", "--no-deps", "-r", str(backend)], root, "安装构建工具 setuptools")
    # --use-pep517: Debian's pip 23.0 would otherwise fall back to `setup.py install` for feedgen.
    locked = ["--require-hashes", "--no-build-isolation", "--use-pep517", "-r", str(lock_path(root, lock))]
    run_step(pip + locked, root, f"按 requirements/{lock}.txt 安装依赖")
    run_step(pip + ["--no-deps", "--no-build-isolation", "-e", "."], root, "安装 zlhcg 本身")
    write_stamp(root, lock)
    return python


def write_backend_pins(root: Path, lock: str) -> Path:
    """The lock's entries for [build-system] requires, with their hashes, as a requirements file in .venv."""
    wanted = {requirement_name(requirement) for requirement in read_pyproject(root)["build-system"]["requires"]}
    pins = [pin for pin in parse_lock(lock_path(root, lock).read_text(encoding="utf-8")) if pin.name in wanted]
    path = root / VENV / "zlhcg-backend.txt"
    path.write_text("".join(f"{pin.name}=={pin.version} {' '.join('--hash=' + h for h in pin.hashes)}\n"
                            for pin in pins), encoding="utf-8")
    return path


def write_stamp(root: Path, lock: str) -> None:
    stamp = read_stamp(root) | {lock: lock_digest(root, lock)}
    (root / VENV / STAMP).write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")

