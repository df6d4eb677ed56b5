"""`python3 scripts/dev.py test` makes the machine ready before any test runs: it finds a browser (or installs
one as root on Debian/Ubuntu), and otherwise stops with one Chinese line naming the command. Run here in a
scratch copy of the set-up files, with the browser hidden and apt-get switched off (ZLHCG_NO_APT=1)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from devsetup import machine  # noqa: E402
from devsetup.browser import find_browser  # noqa: E402
from devsetup.system import SetupError  # noqa: E402
from devsetup.venv import lock_digest  # noqa: E402

def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


def fake_browser(path: Path) -> Path:
    return executable(path, "#!/bin/sh\necho 'Chromium 999.0'\n")


@pytest.fixture
def scratch(tmp_path) -> Path:
    """The set-up script, its data and the lock in an empty folder; the usual browser paths point into it."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "requirements", root / "requirements")
    shutil.copy(REPO / "pyproject.toml", root)
    spec = root / "requirements" / "system.toml"
    hidden = re.sub(r"paths = \[.*?\]", lambda paths: re.sub(r'"/(?:usr|snap|opt|Applications)/[^"]*"',
                                                                f'"{tmp_path}/no-browser-here"', paths.group(0)),
                    spec.read_text(encoding="utf-8"), flags=re.S)
    spec.write_text(hidden, encoding="utf-8")
    return root


def run_test_command(root: Path, path: Path, **environ) -> subprocess.CompletedProcess:
    env = {"PATH": str(path), "HOME": str(root), "ZLHCG_NO_APT": "1", "LANG": "C.UTF-8", **environ}
    return subprocess.run([sys.executable, str(root / "scripts" / "dev.py"), "test", "-q"], env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def tools_on(bin_dir: Path) -> Path:
    for command in ("pdftotext", "pdftoppm", "jq"):
        executable(bin_dir / command, "#!/bin/sh\nexit 0\n")
    return bin_dir


def test_without_a_browser_it_stops_before_any_test_with_one_line_naming_the_command(scratch, tmp_path):
    result = run_test_command(scratch, tools_on(tmp_path / "bin"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("缺少运行测试所需的系统软件包 chromium fonts-noto-cjk（也可以用环境变量 ZLHCG_CHROMIUM "
                             "指定已安装的 Chromium 或 Chrome）。请先执行：sudo apt-get install -y chromium fonts-noto-cjk\n")
    assert not (scratch / ".venv").exists()  # stopped before creating the environment, let alone running pytest


def test_missing_tools_are_named_with_the_browser_packages(scratch, tmp_path):
    result = run_test_command(scratch, tmp_path / "empty-bin")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.endswith("请先执行：sudo apt-get install -y chromium fonts-noto-cjk poppler-utils jq\n")


def test_a_browser_variable_pointing_nowhere_is_reported_not_ignored(scratch, tmp_path):
    nowhere = tmp_path / "nowhere" / "chrome"
    result = run_test_command(scratch, tools_on(tmp_path / "bin"), ZLHCG_CHROMIUM=str(nowhere))
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert f"环境变量 ZLHCG_CHROMIUM 指向的浏览器 {nowhere} 不存在或不能运行" in result.stderr
    assert "sudo apt-get install -y chromium fonts-noto-cjk" in result.stderr
    assert not (scratch / ".venv").exists()


def test_the_browser_found_is_passed_to_pytest_in_the_environment(scratch, tmp_path):
    """A prepared .venv whose `python` records how it was called stands in for the real one."""
    browser = fake_browser(tmp_path / "bin" / "chromium")  # found on PATH, not given in the environment
    record = tmp_path / "record.txt"
    executable(scratch / ".venv" / "bin" / "python",
               f'#!/bin/sh\nprintf "%s\\n" "$@" > {record}\necho "browser=$ZLHCG_CHROMIUM" >> {record}\n')
    (scratch / ".venv" / "zlhcg-lock.json").write_text(f'{{"test": "{lock_digest(scratch, "test")}"}}')
    result = run_test_command(scratch, tools_on(tmp_path / "bin"))
    assert result.returncode == 0, result.stderr
    assert record.read_text().splitlines() == ["-m", "pytest", "-q", f"browser={browser}"]


def test_discovery_finds_the_browser_named_by_the_variable(tmp_path):
    browser = fake_browser(tmp_path / "somewhere" / "chromium-dev")
    spec = {"names": ["chromium"], "paths": []}
    assert find_browser(spec, {"PATH": "", "ZLHCG_CHROMIUM": str(browser)}) == str(browser)


def test_discovery_searches_path_names_then_usual_paths_and_skips_browsers_that_do_not_run(tmp_path):
    broken = executable(tmp_path / "bin" / "chromium", "#!/bin/sh\nexit 1\n")  # e.g. a snap wrapper without snap
    usual = fake_browser(tmp_path / "opt" / "chrome")
    spec = {"names": ["chromium", "google-chrome"], "paths": [str(tmp_path / "missing"), str(usual)]}
    assert find_browser(spec, {"PATH": str(broken.parent)}) == str(usual)
    on_path = fake_browser(tmp_path / "bin" / "google-chrome")
    assert find_browser(spec, {"PATH": str(broken.parent)}) == str(on_path)


def test_as_root_on_debian_the_missing_packages_are_installed_with_apt(scratch, tmp_path, monkeypatch):
    installed = []
    bin_dir = tmp_path / "bin"

    def apt_install(packages):  # stands in for apt-get: "installs" the browser where the search looks
        installed.append(packages)
        fake_browser(bin_dir / "chromium")

    monkeypatch.setattr(machine, "may_run_apt", lambda: True)
    monkeypatch.setattr(machine, "apt_install", apt_install)
    browser = machine.prepare_for_tests(scratch, {"PATH": str(tools_on(bin_dir))})
    assert installed == [["chromium", "fonts-noto-cjk"]] and browser == str(bin_dir / "chromium")


def test_when_apt_did_not_bring_a_browser_it_says_so(scratch, tmp_path, monkeypatch):
    monkeypatch.setattr(machine, "may_run_apt", lambda: True)
    monkeypatch.setattr(machine, "apt_install", lambda packages: None)
    with pytest.raises(SetupError, match="仍缺少 chromium fonts-noto-cjk"):
        machine.prepare_for_tests(scratch, {"PATH": str(tools_on(tmp_path / "bin"))})


def test_apt_is_never_run_when_switched_off(monkeypatch):
    from devsetup import system

    monkeypatch.setenv("ZLHCG_NO_APT", "1")
    assert system.may_run_apt() is False


@pytest.mark.parametrize(("args", "message"), [
    (["install", "docs"], "install 只接受 runtime 或 test（默认 runtime）。\n"),
    (["lock", "mkdocs"], "lock 只接受 --upgrade [包名…]：不加参数时保留现有版本，只补上新增或改动的依赖。\n"),
], ids=["install", "lock"])
def test_wrong_arguments_get_one_chinese_line_and_change_nothing(scratch, args, message):
    result = subprocess.run([sys.executable, str(scratch / "scripts" / "dev.py"), *args], capture_output=True,
                            text=True, env={"PATH": ""}, timeout=60)
    assert (result.returncode, result.stderr) == (1, message)
    assert not (scratch / ".venv").exists() and not (scratch / ".cache").exists()


def test_an_unknown_subcommand_prints_the_usage():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "dev.py"), "deploy"], capture_output=True,
                            text=True, env={**os.environ, "PATH": os.environ.get("PATH", "")})
    assert result.returncode == 2 and result.stderr.startswith("用法：python3 scripts/dev.py build|test|lock|install")


def test_refreshing_a_lock_with_merge_conflict_markers_is_refused_before_any_download(scratch):
    lock = scratch / "requirements" / "test.txt"
    lock.write_text("<<<<<<< HEAD\n" + lock.read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run([sys.executable, str(scratch / "scripts" / "dev.py"), "lock"], capture_output=True,
                            text=True, env={"PATH": ""}, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("requirements/test.txt 含有合并冲突标记") and len(result.stderr.splitlines()) == 1
    assert not (scratch / ".cache").exists()


def test_a_missing_shared_library_is_named_by_its_package(monkeypatch):
    spec = {"tools": [{"package": "libatomic1", "libraries": ["atomic"]}, {"package": "poppler-utils",
                                                                          "commands": ["sh"]}]}
    monkeypatch.setattr(machine, "find_library", lambda name: None)
    monkeypatch.setattr(machine.sys, "platform", "linux")
    assert machine.missing_tools(spec, {"PATH": os.environ["PATH"]}) == ["libatomic1"]
    monkeypatch.setattr(machine, "find_library", lambda name: f"lib{name}.so.1")
    assert machine.missing_tools(spec, {"PATH": os.environ["PATH"]}) == []


def test_a_python_without_ensurepip_gets_the_venv_package_named_or_installed(monkeypatch):
    from devsetup import venv as devvenv

    monkeypatch.setattr(devvenv.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(devvenv, "may_run_apt", lambda: False)
    package = f"python{sys.version_info.major}.{sys.version_info.minor}-venv"
    with pytest.raises(SetupError, match=f"缺少 ensurepip）。请先执行：sudo apt-get install -y {package}$"):
        devvenv.ensure_venv_support()
    installed = []
    monkeypatch.setattr(devvenv, "may_run_apt", lambda: True)
    monkeypatch.setattr(devvenv, "apt_install", installed.append)
    devvenv.ensure_venv_support()
    assert installed == [[package]]


def test_build_without_the_document_fonts_stops_with_one_line_naming_the_command(scratch, tmp_path):
    spec = scratch / "requirements" / "system.toml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("/usr/share/fonts/opentype/noto/",
                                                             f"{tmp_path}/no-fonts-here/"), encoding="utf-8")
    env = {"PATH": os.environ["PATH"], "HOME": str(scratch), "ZLHCG_NO_APT": "1", "LANG": "C.UTF-8"}
    run = subprocess.run([sys.executable, str(scratch / "scripts" / "dev.py"), "build"], env=env,
                         capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert run.returncode != 0 and run.stdout == ""
    assert run.stderr == "缺少构建网站所需的系统软件包 fonts-noto-cjk。请先执行：sudo apt-get install -y fonts-noto-cjk\n"
    assert not (scratch / ".venv").exists()
