"""The raw first-parent log of HEAD, which history.py reads dates and revisions from.

It is the one part of a build that grows faster than the library: git diffs every commit against its first
parent, and each such diff reads the whole `results/` tree, so a history of N records costs about N² — 3 s
of git at 10,000 records, minutes at 100,000. Two things keep it short:

- A commit's diff against its first parent never changes (the commit id fixes both trees), so the log already
  read is kept in `.cache/history/` (CI keeps that folder between runs) and git is asked only for the commits
  added since. A rewritten history (the cached tip is no longer on the chain) is read again in full.
- A long stretch still to read is cut into ranges of equal work (a commit costs about as much as the tree it
  diffs, so the cuts are not at equal numbers of commits), read by one `git log` process per core at a time.
  There are a few more ranges than cores, and each is handed to `on_range` as soon as it is read, so the caller
  can work on the older part of the log (comparing record versions) while git still reads the rest.
"""

from __future__ import annotations

import json
import math
import subprocess
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Callable

from pipeline.cores import usable_cores
from pipeline.read import history_cache

LOG_OPTIONS = ("--first-parent", "--diff-merges=first-parent", "--root", "-M", "--raw", "--no-abbrev", "-z", "--no-color",
               "--format=%x01%H%x1f%ct%x1f%s%x1f%b")
CACHE_NAME = "first-parent-log.gz"
CACHE_FORMAT = 1
IN_PARALLEL_FROM = 2000  # commits still to read; fewer are read by one process
RANGES_PER_CORE = 4  # more ranges than cores: the first ones read can be worked on while git reads the rest


def first_parent_log(root: Path, on_range: Callable[[str], None] = lambda text: None) -> str:
    """`git log <LOG_OPTIONS> HEAD`, newest commit first, as text; HEAD must be a valid commit. Each stretch
    read from git now (not from the cache) is also given to `on_range` when it is read, in no set order."""
    chain = _git(root, "rev-list", "--first-parent", "HEAD").split()
    version = _git(root, "--version").strip()
    tip, cached = _read_cache(root, version)
    known = chain.index(tip) if tip in chain else len(chain)
    if known == len(chain):
        cached = ""
    text = _join(_read_ranges(root, chain, known, on_range), cached)
    if known:
        _write_cache(root, version, chain[0], text)
    return text


def _read_ranges(root: Path, chain: list[str], count: int, on_range: Callable[[str], None]) -> str:
    """The log of chain[:count] (the newest `count` commits), by parallel processes when it is long."""
    if count == 0:
        return ""
    jobs = min(usable_cores(), 4) if count >= IN_PARALLEL_FROM else 1
    cuts = _cuts(len(chain), count, jobs * RANGES_PER_CORE if jobs > 1 else 1)
    ranges = [(chain[newer], chain[older] if older < len(chain) else None) for newer, older in zip(cuts, cuts[1:])]
    with ThreadPoolExecutor(jobs) as pool:  # threads only wait for git: each range is a `git log` process
        reading = {pool.submit(_log_range, root, newest, stop): n for n, (newest, stop) in enumerate(ranges)}
        outputs = [""] * len(ranges)
        for done in as_completed(reading):
            outputs[reading[done]] = done.result()
            on_range(outputs[reading[done]])
    return _join(*outputs)


def _log_range(root: Path, newest: str, stop: str | None) -> str:
    """The log from `newest` down to, not including, `stop` (down to the root without one)."""
    args = ["git", "log", *LOG_OPTIONS, newest, *(["--not", stop] if stop else [])]
    process = subprocess.Popen(args, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, process.args, out, err)
    return out.decode("utf-8", errors="replace")


def _cuts(length: int, count: int, parts: int) -> list[int]:
    """Chain indexes (0 = newest) splitting chain[:count] into `parts` ranges of about equal work. Commit i
    from the root diffs a tree of about i records, so the work up to it grows as i²."""
    base = length - count  # commits already known, counted from the root
    total = length ** 2 - base ** 2
    from_root = [math.isqrt(base ** 2 + total * k // parts) for k in range(parts, -1, -1)]
    cuts = [length - n for n in from_root]
    return sorted(set(cuts))


def _join(*parts: str) -> str:
    return "\0".join(part for part in parts if part)


def _read_cache(root: Path, version: str) -> tuple[str, str]:
    text = history_cache.read_text(root, CACHE_NAME)
    header, _, log = (text or "").partition("\n")
    try:
        found = json.loads(header)
    except ValueError:
        return "", ""
    if not isinstance(found, dict) or found.get("format") != CACHE_FORMAT or found.get("git") != version:
        return "", ""
    return str(found.get("tip", "")), log


def _write_cache(root: Path, version: str, tip: str, text: str) -> None:
    header = json.dumps({"format": CACHE_FORMAT, "git": version, "tip": tip})
    history_cache.write_text(root, CACHE_NAME, header + "\n" + text)


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True, text=True).stdout
