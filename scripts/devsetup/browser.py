"""Finding a Chromium or Google Chrome that runs, from ZLHCG_CHROMIUM, PATH or the usual install paths.

The candidates are data (`requirements/system.toml`, table `browser`); the browser tests receive the one found
through the same environment variable (`tests/browser/conftest.py`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ENV = "ZLHCG_CHROMIUM"
VERSION_TIMEOUT = 30  # seconds; a cold first start of Chromium on a busy machine takes a few


class BrowserEnvInvalid(Exception):
    """ZLHCG_CHROMIUM names something that does not run: the reader asked for that browser, so no fallback."""


def runs(path: str) -> bool:
    """A browser is usable when `--version` exits 0 (Ubuntu's snap wrapper without snapd, for one, does not)."""
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        return False
    try:
        result = subprocess.run([path, "--version"], capture_output=True, timeout=VERSION_TIMEOUT,
                                stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def candidates(spec: dict, search_path: str | None) -> list[str]:
    on_path = [shutil.which(name, path=search_path) for name in spec["names"]]
    found = [str(Path(path)) for path in on_path if path]
    return list(dict.fromkeys(found + list(spec["paths"])))


def find_browser(spec: dict, environ: dict[str, str]) -> str | None:
    """The browser to use, or None. Raises BrowserEnvInvalid when ZLHCG_CHROMIUM is set but does not run."""
    chosen = environ.get(ENV, "")
    if chosen:
        if runs(chosen):
            return chosen
        raise BrowserEnvInvalid(chosen)
    return next((path for path in candidates(spec, environ.get("PATH")) if runs(path)), None)
