"""Dates and revisions from git, in one pass over the first-parent history of the checked-out branch.

Entry into the library (入库) is the first-parent commit of main that added the file: the merge or squash
commit, dated by its committer date, never a branch author's date. Rename rule: git's rename detection
(`-M`, at least 50 % similar) on each first-parent diff; a renamed file keeps the history of the file it was
renamed from. A file deleted and added again starts a new history at the new addition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator

from .model import SHANGHAI, Revision

_STATUS = re.compile(r"[AMDT]|[RC][0-9]{0,3}")
TRACKED = ("results", "site/monthly", "site/quarterly", "site/annual")


class HistoryError(Exception):
    """A checkout whose history cannot give dates (shallow, or git failing); the message is for users."""


@dataclass(frozen=True)
class FileHistory:
    added: datetime
    updated: datetime
    revisions: tuple[Revision, ...]  # newest first


@dataclass(frozen=True)
class _Change:
    status: str
    path: str
    old_path: str = ""


@dataclass(frozen=True)
class _Commit:
    revision: Revision
    changes: tuple[_Change, ...]


def _parse_log(output: str) -> Iterator[_Commit]:
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
                changes.append(_Change(token[0], tokens[i + 1], tokens[i]))
                i += 2
            else:
                changes.append(_Change(token, tokens[i]))
                i += 1
    if revision is not None:
        yield _Commit(revision, tuple(changes))


def build_histories(commits: Iterator[_Commit]) -> dict[str, FileHistory]:
    """Walks commits newest first; `alias` maps an older path to the path the file has today."""
    alias: dict[str, str] = {}
    revisions: dict[str, list[Revision]] = {}
    added: dict[str, datetime] = {}
    closed: set[str] = set()  # current paths whose addition has been seen: older history is another file's
    current_paths: set[str] = set()
    seen_any: set[str] = set()
    for commit in commits:
        for change in commit.changes:
            path = alias.get(change.path, change.path)
            if path in closed:
                continue
            if path not in seen_any:
                seen_any.add(path)
                if change.status == "D":
                    closed.add(path)  # deleted in a later commit: not in today's tree
                    continue
                current_paths.add(path)
            if path not in current_paths:
                continue
            revisions.setdefault(path, []).append(commit.revision)
            if change.status == "R":
                alias[change.old_path] = path
            elif change.status in ("A", "C"):
                added[path] = commit.revision.when
                closed.add(path)
    return {
        path: FileHistory(added[path], revisions[path][0].when, tuple(revisions[path]))
        for path in current_paths if path in added
    }


def read_histories(root: Path) -> dict[str, FileHistory] | None:
    """None when `root` is not a git checkout (an unpacked archive); raises HistoryError on a shallow clone."""
    if not (root / ".git").exists():
        return None
    import git  # GitPython; imported here so an archive build does not need git installed

    try:
        repo = git.Repo(root)
        if repo.git.rev_parse("--is-shallow-repository").strip() == "true":
            raise HistoryError("当前仓库是浅克隆（shallow clone），缺少完整的 git 历史，无法确定成果的入库日期。"
                               "请获取完整历史后再构建：git fetch --unshallow；GitHub Actions 中请为 actions/checkout 设置 fetch-depth: 0。")
        if not repo.head.is_valid():
            return {}
        output = repo.git.log("--first-parent", "--diff-merges=first-parent", "-M", "--name-status", "-z",
                              "--format=%x01%H%x1f%ct%x1f%s", "HEAD", "--", *TRACKED)
    except git.GitCommandError as exc:
        raise HistoryError(f"读取 git 历史失败：{exc.stderr.strip() or exc}") from None
    return build_histories(_parse_log(output))
