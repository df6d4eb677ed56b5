"""The machine around the Python packages: is it Debian/Ubuntu, may we run apt-get, and running it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

NO_APT = "ZLHCG_NO_APT"  # "1": never run apt-get, name the command instead (the set-up tests rely on it)
OS_RELEASE = Path("/etc/os-release")


class SetupError(Exception):
    """A set-up step that cannot go on. The message is one Chinese line for the reader, naming what to do."""


def is_debian_like(os_release: Path = OS_RELEASE) -> bool:
    try:
        text = os_release.read_text(encoding="utf-8")
    except OSError:
        return False
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    ids = {fields.get("ID", "").strip('"')} | set(fields.get("ID_LIKE", "").strip('"').split())
    return bool(ids & {"debian", "ubuntu"})


def may_run_apt() -> bool:
    """apt-get runs only as root on Debian/Ubuntu, and never when ZLHCG_NO_APT=1."""
    if os.environ.get(NO_APT, "0") not in ("", "0"):
        return False
    return os.geteuid() == 0 and is_debian_like() and shutil.which("apt-get") is not None


def install_command(packages: list[str]) -> str:
    return "sudo apt-get install -y " + " ".join(packages)


def apt_install(packages: list[str]) -> None:
    """Non-interactive (CI runs with no stdin): no prompts, no recommends, the package lists refreshed first."""
    print(f"正在用 apt-get 安装系统软件包：{' '.join(packages)}", file=sys.stderr, flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    steps = (["apt-get", "update", "-qq"],
             ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages])
    for args in steps:
        result = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, check=False)
        if result.returncode != 0:
            raise SetupError(f"{' '.join(args[:2])} 失败（退出码 {result.returncode}），请查看上面的输出后手动执行："
                             f"{install_command(packages)}")


def run_step(command: list[str], root: Path, what: str, env: dict[str, str] | None = None) -> None:
    """Runs one set-up command with no stdin; a failure becomes a SetupError naming the step."""
    result = subprocess.run(command, cwd=root, env=env, stdin=subprocess.DEVNULL, check=False)
    if result.returncode != 0:
        raise SetupError(f"{what}失败（退出码 {result.returncode}），请查看上面的输出。")
