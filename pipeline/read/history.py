"""Dates and revisions from git, in one pass over the first-parent history of the checked-out branch.

Entry into the library (入库) is the first-parent commit of main that added the file: the merge or squash
commit, dated by its committer date, never a branch author's date. Each first-parent commit is compared with
its first parent only, so what happened on a merged branch shows as one change made by the merge.

Rename rule: git's rename detection (`-M`, at least 50 % similar) runs on each first-parent diff, and a rename
is followed only when the file keeps its name and changes folder (a layout migration such as
`results/<id>.yaml` → `results/<id>/<id>.yaml`); the renamed file keeps the history, entry date included, of
the file it came from. A pair with different names (one record deleted and a similar one, copied from the same
template, added in the same commit) is a deletion and an addition. A file deleted and added again starts a new
history at the new addition. A layout migration should move files unchanged, in a commit of its own: git finds
exact renames however many files move, but gives up on inexact ones past its rename limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

from pipeline.dates import SHANGHAI
from pipeline.kinds import all_kinds

_STATUS = re.compile(r"[AMDT]|[RC][0-9]{0,3}")
SHALLOW_MESSAGE = ("当前仓库是浅克隆（shallow clone），缺少完整的 git 历史，无法确定成果的入库日期。"
                   "请获取完整历史后再构建：git fetch --unshallow；"
                   "GitHub Actions 中请为 actions/checkout 设置 fetch-depth: 0。")


@dataclass(frozen=True)
class Revision:
    """One first-parent commit of main that changed a file."""

    when: datetime
    subject: str
    commit: str


class HistoryError(Exception):
    """A checkout whose history cannot give dates (shallow, or git failing); the message is for users."""


@dataclass(frozen=True)
class FileHistory:
    added: datetime
    updated: datetime
    revisions: tuple[Revision, ...]  # newest first


@dataclass(frozen=True)
class _Change:
    status: str  # A, M, D, T or R (C is read as A: a copy is a new file)
    path: str
    old_path: str = ""


@dataclass(frozen=True)
class _Commit:
    revision: Revision
    changes: tuple[_Change, ...]


def tracked_prefixes() -> tuple[str, ...]:
    """Records, and every registered edition kind's folder."""
    return ("results/", *(kind.source_folder + "/" for kind in all_kinds()))


def _tracked(path: str) -> bool:
    return path.startswith(tracked_prefixes())


def _changes(status: str, path: str, old_path: str = "") -> list[_Change]:
    """One status entry of `git log` as changes to tracked paths, applying the rename rule. (Paths are
    filtered here, not by a git pathspec: on a long history a pathspec makes `git log` several times slower.)"""
    if status in "RC" and not _tracked(path):
        return [_Change("D", old_path)] if status == "R" and _tracked(old_path) else []
    if not _tracked(path):
        return []
    if status in "RC" and not _tracked(old_path):
        return [_Change("A", path)]
    if status == "C":
        return [_Change("A", path)]
    if status == "R" and PurePosixPath(old_path).name != PurePosixPath(path).name:
        return [_Change("A", path), _Change("D", old_path)]
    return [_Change(status, path, old_path)]


def _parse_log(output: str) -> Iterator[_Commit]:
    """Reads `git log -z --name-status --format=%x01%H%x1f%ct%x1f%s`: a header token per commit, then
    status and path tokens (two paths after a rename or copy)."""
    tokens = output.split("\0")
    i = 0
    revision, changes = None, []
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        i += 1
        if token.startswith("\x01"):
            if revision is not None:
                yield _Commit(revision, tuple(changes))
            sha, stamp, subject = token[1:].split("\x1f", 2)
            revision = Revision(datetime.fromtimestamp(int(stamp), SHANGHAI), subject, sha)
            changes = []
        elif _STATUS.fullmatch(token):
            if token[0] in "RC":
                changes.extend(_changes(token[0], tokens[i + 1], tokens[i]))
                i += 2
            else:
                changes.extend(_changes(token, tokens[i]))
                i += 1
    if revision is not None:
        yield _Commit(revision, tuple(changes))


def build_histories(commits: Iterable[_Commit]) -> dict[str, FileHistory]:
    """Walks commits newest first. A path's newest change decides whether it is in today's tree; its addition
    ends its history. `alias` maps a path a file had before a rename to the path it has today."""
    alias: dict[str, str] = {}
    revisions: dict[str, list[Revision]] = {}
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
            revisions[path].append(commit.revision)
            if change.status == "A":
                added[path] = commit.revision.when
                settled.add(path)
    return {
        path: FileHistory(added[path], revisions[path][0].when, tuple(revisions[path]))
        for path in sorted(added)
    }


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
        output = repo.git.log("--first-parent", "--diff-merges=first-parent", "--root", "-M", "--name-status",
                              "-z", "--no-color", "--format=%x01%H%x1f%ct%x1f%s", "HEAD")
    except git.GitCommandError as exc:
        raise HistoryError(f"读取 git 历史失败：{(exc.stderr or '').strip() or exc}") from None
    except git.GitError as exc:  # not a repository, broken .git, git missing
        raise HistoryError(f"读取 git 历史失败：{exc}") from None
    return build_histories(_parse_log(output))
