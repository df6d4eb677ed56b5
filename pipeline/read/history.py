"""Dates and revisions from git, in one pass over the first-parent history of the checked-out branch.

Entry into the library (入库) is the first-parent commit of main that added the file: the merge or squash
commit, dated by its committer date, never a branch author's date. Each first-parent commit is compared with
its first parent only, so what happened on a merged branch shows as one change made by the merge.

Rename rule: git's rename detection (`-M`, at least 50 % similar) runs on each first-parent diff, and a rename
is followed only when the file keeps its name and changes folder (a layout migration such as
`results/<id>/<id>.yaml` → `results/<year>/<id>/<id>.yaml`); the renamed file keeps the history, entry date included, of
the file it came from. A pair with different names (one record deleted and a similar one, copied from the same
template, added in the same commit) is a deletion and an addition. A file deleted and added again starts a new
history at the new addition. A layout migration should move files unchanged, in a commit of its own: git finds
exact renames however many files move, but gives up on inexact ones past its rename limit.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator, Mapping

from pipeline.dates import SHANGHAI
from pipeline.kinds import all_kinds
from pipeline.read.first_parent_log import first_parent_log
from pipeline.read.revisions import ContentDiff, FieldChange, VersionComparisons

_STATUS = re.compile(r"[AMDT]|[RC][0-9]{0,3}")
# A line "修订说明：…" in the merge (or squash) commit's message is the submitter's note in the public log.
# (Not a git trailer: git accepts only ASCII trailer keys.)
_NOTE = re.compile(r"^修订说明[:：][ \t]*(\S.*)$", re.MULTILINE)
SHALLOW_MESSAGE = ("当前仓库是浅克隆（shallow clone），缺少完整的 git 历史，无法确定成果的入库日期。"
                   "请获取完整历史后再构建：git fetch --unshallow；"
                   "GitHub Actions 中请为 actions/checkout 设置 fetch-depth: 0。")


@dataclass(frozen=True)
class Revision:
    """One first-parent commit of main that changed a file. The subject and commit id are for maintainers
    and open data, never for a public page; `content` is False for a reformat or schema migration."""

    when: datetime
    subject: str
    commit: str
    added: bool = False  # the revision that added the file (入库)
    content: bool = True
    changes: tuple[FieldChange, ...] = ()  # fields changed, when the file is a record that could be compared
    note: str = ""  # the submitter's short note (a line 修订说明：… in the commit message)


class HistoryError(Exception):
    """A checkout whose history cannot give dates (shallow, or git failing); the message is for users."""


@dataclass(frozen=True)
class FileHistory:
    added: datetime
    updated: datetime  # the last content change (a reformat or schema migration is not one)
    revisions: tuple[Revision, ...]  # newest first, reformats and migrations included

    @property
    def public_revisions(self) -> tuple[Revision, ...]:
        return tuple(r for r in self.revisions if r.content)


@dataclass(frozen=True)
class _Change:
    status: str  # A, M, D, T or R (C is read as A: a copy is a new file)
    path: str
    old_path: str = ""
    old_blob: str = ""
    new_blob: str = ""


@dataclass(frozen=True)
class _Commit:
    revision: Revision
    changes: tuple[_Change, ...]


def tracked_prefixes() -> tuple[str, ...]:
    """Records, and every registered edition kind's folder."""
    return ("results/", *(kind.source_folder + "/" for kind in all_kinds()))


def _changes(tracked: tuple[str, ...], status: str, path: str, old_path: str = "",
             blobs: tuple[str, str] = ("", "")) -> list[_Change]:
    """One status entry of `git log` as changes to paths under the `tracked` prefixes, applying the rename
    rule. (Paths are filtered here, not by a git pathspec: on a long history a pathspec makes `git log` several
    times slower.)"""
    if status in "RC" and not path.startswith(tracked):
        return [_Change("D", old_path)] if status == "R" and old_path.startswith(tracked) else []
    if not path.startswith(tracked):
        return []
    if status in "RC" and not old_path.startswith(tracked):
        return [_Change("A", path)]
    if status == "C":
        return [_Change("A", path)]
    if status == "R" and PurePosixPath(old_path).name != PurePosixPath(path).name:
        return [_Change("A", path), _Change("D", old_path)]
    return [_Change(status, path, old_path, *blobs)]


def _parse_log(output: str) -> Iterator[_Commit]:
    """Reads `git log -z --raw --no-abbrev --format=%x01%H%x1f%ct%x1f%s%x1f%b`: a header token per
    commit, then a raw token per change (`:mode mode old-blob new-blob status`) and its path tokens (two paths
    after a rename or copy)."""
    tokens = output.split("\0")
    tracked = tracked_prefixes()  # once per history, not once per changed file
    i = 0
    revision, changes = None, []
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        i += 1
        if token.startswith("\x01"):
            if revision is not None:
                yield _Commit(revision, tuple(changes))
            sha, stamp, subject, body = token[1:].split("\x1f", 3)
            note = _NOTE.search(body)
            revision = Revision(datetime.fromtimestamp(int(stamp), SHANGHAI), subject, sha,
                                note=note.group(1).strip() if note else "")
            changes = []
        elif token.startswith(":"):
            _, _, old_blob, new_blob, status = token[1:].split(" ")
            if not _STATUS.fullmatch(status):
                continue
            if status[0] in "RC":
                changes.extend(_changes(tracked, status[0], tokens[i + 1], tokens[i], (old_blob, new_blob)))
                i += 2
            else:
                changes.extend(_changes(tracked, status, tokens[i], blobs=(old_blob, new_blob)))
                i += 1
    if revision is not None:
        yield _Commit(revision, tuple(changes))


Diffs = Callable[[Iterable[tuple[str, str]]], Mapping[tuple[str, str], ContentDiff]]


def build_histories(commits: Iterable[_Commit], diffs: Diffs = lambda pairs: {}) -> dict[str, FileHistory]:
    """Walks commits newest first. A path's newest change decides whether it is in today's tree; its addition
    ends its history. `alias` maps a path a file had before a rename to the path it has today. `diffs` compares
    record versions by blob id, to tell content changes from reformats."""
    alias: dict[str, str] = {}
    revisions: dict[str, list[tuple[Revision, _Change]]] = {}
    added: dict[str, datetime] = {}
    settled: set[str] = set()  # addition reached, or deleted before today: older changes are another file's
    for commit in commits:
        for change in commit.changes:
            path = alias.get(change.path, change.path)
            if change.status == "R":
                alias[change.old_path] = path  # also when `path` is settled: then so is the older name
            if path in settled:
                continue
            if path not in revisions:
                if change.status == "D":
                    settled.add(path)
                    continue
                revisions[path] = []
            revisions[path].append((commit.revision, change))
            if change.status == "A":
                added[path] = commit.revision.when
                settled.add(path)
    kept = {path: revisions[path] for path in sorted(added)}
    found = diffs((change.old_blob, change.new_blob) for path, entries in kept.items()
                  if path.endswith(RECORD_SUFFIXES) for _, change in entries if change.status != "A")
    return {path: _file_history(path, entries, found) for path, entries in kept.items()}


RECORD_SUFFIXES = (".yaml", ".yml")


def _version_pairs(commits: Iterable[_Commit]) -> Iterator[tuple[str, str]]:
    """The blob pairs `build_histories` may ask `diffs` about: those of every change to a record file that
    neither adds nor deletes it (a few more than it asks about, for files deleted since)."""
    for commit in commits:
        for change in commit.changes:
            if change.status not in "AD" and change.path.endswith(RECORD_SUFFIXES):
                yield change.old_blob, change.new_blob


def _read_part(comparisons: VersionComparisons, text: str) -> list[_Commit]:
    """The commits of a part of the log, their record versions handed over to be compared while git reads on."""
    commits = list(_parse_log(text))
    comparisons.start(_version_pairs(commits))
    return commits


def _described(revision: Revision, change: _Change, path: str,
               diffs: Mapping[tuple[str, str], ContentDiff]) -> Revision:
    """The revision with what it changed: additions are content; a record version that cannot be read (its
    blob missing) counts as a content change rather than hiding one."""
    if change.status == "A":
        return dataclasses.replace(revision, added=True)
    diff = diffs.get((change.old_blob, change.new_blob)) if path.endswith(RECORD_SUFFIXES) else None
    if diff is None:
        return revision
    return dataclasses.replace(revision, content=diff.content, changes=diff.fields)


def _file_history(path: str, entries: list[tuple[Revision, _Change]],
                  diffs: Mapping[tuple[str, str], ContentDiff]) -> FileHistory:
    revisions = tuple(_described(revision, change, path, diffs) for revision, change in entries)
    updated = next(r.when for r in revisions if r.content)  # the addition is always content
    return FileHistory(revisions[-1].when, updated, revisions)


def read_histories(root: Path) -> dict[str, FileHistory] | None:
    """None when `root` is not a git checkout (an unpacked archive); raises HistoryError on a shallow clone."""
    if not (root / ".git").exists():
        return None
    try:
        import git  # GitPython; imported here so an archive build does not need git installed
    except ImportError as exc:  # GitPython refuses to import when no git executable is found
        raise HistoryError(f"找不到 git 程序，无法读取入库日期：{exc}") from None

    try:
        repo = git.Repo(root)
        if repo.git.rev_parse("--is-shallow-repository").strip() == "true":
            raise HistoryError(SHALLOW_MESSAGE)
        if not repo.head.is_valid():
            return {}
        with VersionComparisons(root) as comparisons:
            parts = first_parent_log(root, functools.partial(_read_part, comparisons))
            return build_histories((commit for part in parts for commit in part), comparisons.result)
    except git.GitCommandError as exc:
        raise HistoryError(f"读取 git 历史失败：{(exc.stderr or '').strip() or exc}") from None
    except subprocess.CalledProcessError as exc:
        stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        raise HistoryError(f"读取 git 历史失败：{stderr.strip() or exc}") from None
    except git.GitError as exc:  # not a repository, broken .git, git missing
        raise HistoryError(f"读取 git 历史失败：{exc}") from None
