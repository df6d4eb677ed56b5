"""Files under `.cache/history/` that spare a build what git history already told an earlier one: the raw
first-parent log (first_parent_log.py) and the field-by-field comparison of record versions (revisions.py).
Both describe immutable things — a commit's diff, a pair of blobs — so a cached entry never goes stale; a file
that cannot be read is ignored, and one that cannot be written is skipped (a read-only checkout still builds).
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

FOLDER = Path(".cache") / "history"
SWITCH = "ZLHCG_HISTORY_CACHE"  # "0": neither read nor write (benchmarks of a cold pass)


def enabled() -> bool:
    return os.environ.get(SWITCH, "1") != "0"


def read_text(root: Path, name: str) -> str | None:
    if not enabled():
        return None
    try:
        with gzip.open(root / FOLDER / name, "rt", encoding="utf-8", newline="") as cached:
            return cached.read()
    except (OSError, EOFError, UnicodeDecodeError):
        return None


def write_text(root: Path, name: str, text: str) -> None:
    if not enabled():
        return
    path = root / FOLDER / name
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(temporary, "wt", encoding="utf-8", newline="", compresslevel=1) as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError:
        pass
