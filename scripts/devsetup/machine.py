"""What the tests need from the machine besides Python packages (`requirements/system.toml`), made ready before
any test runs: found, installed with apt-get (root on Debian/Ubuntu), or named in one line for the reader."""

from __future__ import annotations

import glob
import shutil
import sys
import tomllib
from ctypes.util import find_library
from pathlib import Path

from devsetup.browser import ENV, BrowserEnvInvalid, find_browser
from devsetup.system import SetupError, apt_install, install_command, may_run_apt

SPEC = Path("requirements/system.toml")


def load_spec(root: Path) -> dict:
    with (root / SPEC).open("rb") as handle:
        return tomllib.load(handle)


def missing_tools(spec: dict, environ: dict[str, str]) -> list[str]:
    """Packages of the `tools` table with a command not on PATH or (on Linux) a shared library or file not installed."""
    return [tool["package"] for tool in spec.get("tools", ()) if not has_tool(tool, environ.get("PATH"))]


def has_tool(tool: dict, search_path: str | None) -> bool:
    commands = all(shutil.which(command, path=search_path) for command in tool.get("commands", ()))
    libraries = sys.platform != "linux" or all(find_library(name) for name in tool.get("libraries", ()))
    files = sys.platform != "linux" or all(glob.glob(pattern) for pattern in tool.get("files", ()))
    return commands and libraries and files


def browser_or_fail(spec: dict, environ: dict[str, str]) -> str | None:
    try:
        return find_browser(spec["browser"], environ)
    except BrowserEnvInvalid as error:
        raise SetupError(f"环境变量 {ENV} 指向的浏览器 {error} 不存在或不能运行。请改正它，或去掉它并执行："
                         f"{install_command(spec['browser']['packages'])}") from None


def missing_packages(spec: dict, environ: dict[str, str]) -> tuple[str | None, list[str]]:
    browser = browser_or_fail(spec, environ)
    wanted = ([] if browser else list(spec["browser"]["packages"])) + missing_tools(spec, environ)
    return browser, list(dict.fromkeys(wanted))  # a package named in both lists is installed once


def missing_message(packages: list[str], browser_missing: bool) -> str:
    """One line that ends with the command, so it can be copied as it is."""
    hint = f"（也可以用环境变量 {ENV} 指定已安装的 Chromium 或 Chrome）" if browser_missing else ""
    return f"缺少运行测试所需的系统软件包 {' '.join(packages)}{hint}。请先执行：{install_command(packages)}"


def prepare_for_tests(root: Path, environ: dict[str, str]) -> str:
    """The browser path for the tests, after installing what is missing (root on Debian/Ubuntu only)."""
    spec = load_spec(root)
    browser, missing = missing_packages(spec, environ)
    if not missing:
        return browser
    if not may_run_apt():
        raise SetupError(missing_message(missing, browser is None))
    apt_install(missing)
    browser, still = missing_packages(spec, environ)
    if still:
        raise SetupError(f"apt-get 已执行，但仍缺少 {' '.join(still)}（找不到可运行的浏览器或命令），请检查安装输出。")
    return browser


def prepare_for_build(root: Path, environ: dict[str, str]) -> None:
    """Installs the system packages the build itself needs (`build = true` in the tools table: the fonts the
    PDF documents embed) when root on Debian/Ubuntu, or stops with one line naming the command."""
    spec = {"tools": [tool for tool in load_spec(root).get("tools", ()) if tool.get("build")]}
    missing = missing_tools(spec, environ)
    if not missing:
        return
    if not may_run_apt():
        raise SetupError(f"缺少构建网站所需的系统软件包 {' '.join(missing)}。请先执行：{install_command(missing)}")
    apt_install(missing)
    if missing_tools(spec, environ):
        raise SetupError(f"apt-get 已执行，但仍缺少 {' '.join(missing)}，请检查安装输出。")
