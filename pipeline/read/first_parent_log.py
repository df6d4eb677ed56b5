"""The raw first-parent log of HEAD, which history.py reads dates and revisions from.

It is the one part of a build that grows faster than the library: git diffs every commit against its first
parent, and each such diff reads the whole `results/` tree, so a history of N records costs about N² — 3 s
of git at 10,000 records, minutes at 100,000. Two things keep it short:

- A commit's diff against its first parent never changes (the commit id fixes both trees), so the log already
  read is kept in `.cache/history/` (CI keeps that folder between runs) and git is asked only for the commits
  added since. A rewritten history (the cached tip is no longer on the chain) is read again in full.
- A long stretch still to read is cut into one range per core and read by parallel `git log` processes, cut
  where the work, not the number of commits, is equal: a commit costs about as much as the tree it diffs.
"""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

from pipeline.cores import usable_cores
from pipeline.read import history_cache

LOG_OPTIONS = ("--first-parent", "--diff-merges=first-parent", "--root", "-M", "--raw", "--no-abbrev", "-z", "--no-color",
               "--format=%x01%H%x1f%ct%x1f%s%x1f%b")
CACHE_NAME = "first-parent-log.gz"
CACHE_FORMAT = 1
IN_PARALLEL_FROM = 2000  # commits still to read; fewer are read by one process


def first_parent_log(root: Path) -> str:
    """`git log <LOG_OPTIONS> HEAD`, newest commit first, as text; HEAD must be a valid commit."""
    chain = _git(root, "rev-list", "--first-parent", "HEAD").split()
    version = _git(root, "--version").strip()
    tip, cached = _read_cache(root, version)
    known = chain.index(tip) if tip in chain else len(chain)
    if known == len(chain):
        cached = ""
    text = _join(_read_ranges(root, chain, known), cached)
    if known:
        _write_cache(root, version, chain[0], text)
    return text


def _read_ranges(root: Path, chain: list[str], count: int) -> str:
    """The log of chain[:count] (the newest `count` commits), by parallel processes when it is long."""
    if count == 0:
        return ""
    jobs = usable_cores()
    cuts = _cuts(len(chain), count, min(jobs, 4) if count >= IN_PARALLEL_FROM else 1)
    processes = []
    for newer, older in zip(cuts, cuts[1:]):
        stop = ["--not", chain[older]] if older < len(chain) else []
        processes.append(subprocess.Popen(["git", "log", *LOG_OPTIONS, chain[newer], *stop], cwd=root,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    outputs = []
    for process in processes:
        out, err = process.communicate()
        if process.returncode != 0:
            raise subprocess.CalledProcessError(process.returncode, process.args, out, err)
        outputs.append(out.decode("utf-8", errors="replace"))
    return _join(*outputs)


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
