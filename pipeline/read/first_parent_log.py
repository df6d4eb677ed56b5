"""The raw first-parent log of HEAD, which history.py reads dates and revisions from.

It is the one part of a build that grows faster than the library: git diffs every commit against its first
parent, and each such diff reads the tree of every folder on the changed paths. Records sit in year folders
(`results/<year>/<id>/`) so that this is one year's records, not the whole library's: with one flat
`results/` the pass cost N commits × N records (2.6 s of git at 10,000 records, against 0.45 s with year
folders). Two more things keep it short:

- A commit's diff against its first parent never changes (the commit id fixes both trees), so the log already
  read is kept in `.cache/history/` (CI keeps that folder between runs) and git is asked only for the commits
  added since. A rewritten history (the cached tip is no longer on the chain) is read again in full.
- A long stretch still to read is cut into one range per core and read by parallel `git log` processes, cut
  into equal numbers of commits.

The log is handed to the caller's `read_part` in parts, as git writes them (each part whole commits), so the
caller can work on what is read (compare record versions) while git still reads older commits.
"""

from __future__ import annotations

import json
import queue
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from pipeline.cores import usable_cores
from pipeline.read import history_cache

LOG_OPTIONS = ("--first-parent", "--diff-merges=first-parent", "--root", "-M", "--raw", "--no-abbrev", "-z", "--no-color",
               "--format=%x01%H%x1f%ct%x1f%s%x1f%b")
CACHE_NAME = "first-parent-log.gz"
CACHE_FORMAT = 1
IN_PARALLEL_FROM = 2000  # commits still to read; fewer are read by one process
PART_BYTES = 64 * 1024  # about this much log per part handed over while git still writes
_COMMIT_STARTS = (b"\0\x01", b"\0\n\x01")  # where a commit begins: a token that starts with --format's %x01

Part = TypeVar("Part")


def first_parent_log(root: Path, read_part: Callable[[str], Part]) -> list[Part]:
    """`git log <LOG_OPTIONS> HEAD` (HEAD must be a valid commit), cut into parts of whole commits, each given
    to `read_part` on this thread as soon as it is read; what `read_part` returned, newest commits first."""
    chain = _git(root, "rev-list", "--first-parent", "HEAD").split()
    version = _git(root, "--version").strip()
    tip, cached = _read_cache(root, version)
    known = chain.index(tip) if tip in chain else len(chain)
    if known == len(chain):
        cached = ""
    texts, parts = _read_ranges(root, chain, known, read_part)
    if cached:
        parts.append(read_part(cached))
    if known:
        _write_cache(root, version, chain[0], _join(*texts, cached))
    return parts


def _read_ranges(root: Path, chain: list[str], count: int,
                 read_part: Callable[[str], Part]) -> tuple[list[str], list[Part]]:
    """The log of chain[:count] (the newest `count` commits), by parallel processes when it is long: the text
    of each range, and what `read_part` made of its parts, in log order."""
    if count == 0:
        return [], []
    jobs = usable_cores()
    cuts = _cuts(count, min(jobs, 4) if count >= IN_PARALLEL_FROM else 1)
    ranges = [(chain[newer], chain[older] if older < len(chain) else None) for newer, older in zip(cuts, cuts[1:])]
    arrived: queue.Queue = queue.Queue()
    readers = [threading.Thread(target=_stream_range, args=(root, newest, stop, n, arrived), daemon=True)
               for n, (newest, stop) in enumerate(ranges)]
    for reader in readers:
        reader.start()
    texts: list[list[str]] = [[] for _ in ranges]
    parts: list[list[Part]] = [[] for _ in ranges]
    for _ in range(len(ranges)):
        while (item := arrived.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            n, text = item
            texts[n].append(text)
            parts[n].append(read_part(text))
    return ["".join(text) for text in texts], [part for each in parts for part in each]


def _stream_range(root: Path, newest: str, stop: str | None, n: int, arrived: queue.Queue) -> None:
    """Runs `git log` from `newest` down to, not including, `stop` (to the root without one), putting
    (n, part) on `arrived` for each part of whole commits read, then None (or the error, then None)."""
    try:
        for part in _log_parts(root, newest, stop):
            arrived.put((n, part))
    except Exception as exc:  # git missing or failing: raised by the thread that takes the parts
        arrived.put(exc)
    finally:
        arrived.put(None)  # whatever happened: that thread must not wait for this range forever


def _log_parts(root: Path, newest: str, stop: str | None) -> Iterator[str]:
    args = ["git", "log", *LOG_OPTIONS, newest, *(["--not", stop] if stop else [])]
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: nobody has to drain it while git writes
        process = subprocess.Popen(args, cwd=root, stdout=subprocess.PIPE, stderr=errors)
        pending, searched = b"", 0  # no commit starts before `searched` (a commit can be larger than a part)
        while chunk := process.stdout.read1(PART_BYTES):
            pending += chunk
            if len(pending) >= PART_BYTES:
                cut = max(pending.rfind(start, searched) for start in _COMMIT_STARTS) + 1
                searched = max(0, len(pending) - 2)
                if cut > 0:
                    yield pending[:cut].decode("utf-8", errors="replace")
                    pending, searched = pending[cut:], 0
        if process.wait() != 0:
            errors.seek(0)
            raise subprocess.CalledProcessError(process.returncode, args, b"", errors.read())
        if pending:
            yield pending.decode("utf-8", errors="replace")


def _cuts(count: int, parts: int) -> list[int]:
    """Chain indexes (0 = newest) splitting chain[:count] into `parts` ranges of about equal work. With records
    in year folders a commit diffs about one year's folder, whatever its age, so equal work is equal counts."""
    return sorted({count * k // parts for k in range(parts + 1)})


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
