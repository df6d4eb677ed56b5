"""What a pull request changes, read from git: the changed paths since the branch left the base branch, and
files as they are on the base. Plain git plumbing; nothing here knows about records or editions.

The comparison is `git diff BASE...HEAD`: from the merge base (where the branch left the base branch) to the
committed HEAD, renames off (a rename is a deletion and an addition), so a base branch that moved on since
does not show up as changes of the pull request.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable

from pipeline.dates import SHANGHAI

UNSHALLOW_HINT = ("如果是浅克隆，请先 git fetch --unshallow；"
                  "GitHub Actions 中请为 actions/checkout 设置 fetch-depth: 0。")


class GitFailed(Exception):
    """git could not answer; the message is Chinese and for users."""


@dataclass(frozen=True)
class Change:
    status: str  # "A" added, "M" modified (a type change counts), "D" deleted
    path: str  # repository-relative, forward slashes


@dataclass(frozen=True)
class Comparison:
    base: str  # commit id of the base branch's tip
    merge_base: str  # the version the pull request's changes are made to
    merge_base_time: datetime  # its committer date, in Shanghai time
    changes: tuple[Change, ...]


class Git:
    def __init__(self, root: Path):
        self.root = root

    def _run(self, *args: str, stdin: bytes | None = None) -> bytes:
        env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
        try:
            done = subprocess.run(["git", "-C", str(self.root), *args], input=stdin, capture_output=True,
                                  env=env, check=False)
        except FileNotFoundError:
            raise GitFailed("找不到 git 程序。请先安装 git。") from None
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip()
            raise GitFailed(f"git {args[0]} 失败：{detail or f'退出码 {done.returncode}'}")
        return done.stdout

    def commit_of(self, ref: str) -> str:
        if ref.startswith("-"):
            raise GitFailed(f"“{ref}”不是有效的分支或提交。")
        try:
            found = self._run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
            return found.decode().strip()
        except GitFailed:
            raise GitFailed(f"找不到基准分支或提交“{ref}”。请先获取它（例如 git fetch origin main），"
                            f"再用 --base origin/main 指定。{UNSHALLOW_HINT}") from None

    def compare(self, base_ref: str) -> Comparison:
        if not (self.root / ".git").exists():
            raise GitFailed(f"{self.root} 不是 git 仓库，无法比较拉取请求的改动。")
        base, head = self.commit_of(base_ref), self.commit_of("HEAD")
        try:
            merge_base = self._run("merge-base", base, head).decode().strip()
        except GitFailed:
            raise GitFailed(f"找不到“{base_ref}”与当前提交的共同祖先，无法确定拉取请求改了什么。"
                            f"{UNSHALLOW_HINT}") from None
        stamp = self._run("log", "-1", "--no-show-signature", "--format=%ct", merge_base).decode().strip()
        output = self._run("diff", "--name-status", "-z", "--no-renames", "--no-relative", "--no-color",
                           "--no-ext-diff", merge_base, head, "--")
        return Comparison(base, merge_base, datetime.fromtimestamp(int(stamp), SHANGHAI), _parse_name_status(output))

    def blobs(self, rev: str, paths: Iterable[str]) -> dict[str, bytes]:
        """The contents of `paths` at `rev`, in one `git cat-file --batch`; paths that are not files there are
        left out. A path with a line break cannot be asked for in batch mode and counts as absent: it cannot
        be on a base branch that passed validation."""
        wanted = sorted({p for p in paths if "\n" not in p})
        if not wanted:
            return {}
        output = self._run("cat-file", "--batch", stdin="".join(f"{rev}:{p}\n" for p in wanted).encode())
        found: dict[str, bytes] = {}
        position = 0
        for path in wanted:
            end = output.index(b"\n", position)
            header = output[position:end].split(b" ")
            position = end + 1
            if header[-1] in (b"missing", b"ambiguous"):
                continue
            size = int(header[2])
            if header[1] == b"blob":
                found[path] = output[position:position + size]
            position += size + 1
        return found

    def existing(self, rev: str, paths: Iterable[str]) -> set[str]:
        """Which of `paths` (files or folders) exist at `rev`."""
        wanted = sorted({p for p in paths if "\n" not in p})
        if not wanted:
            return set()
        output = self._run("cat-file", "--batch-check", stdin="".join(f"{rev}:{p}\n" for p in wanted).encode())
        lines = output.decode("utf-8", "replace").splitlines()
        return {path for path, line in zip(wanted, lines) if not line.endswith((" missing", " ambiguous"))}


def _parse_name_status(output: bytes) -> tuple[Change, ...]:
    tokens = output.decode("utf-8", "surrogateescape").split("\0")
    changes = []
    for status, path in zip(tokens[0::2], tokens[1::2]):
        changes.append(Change({"T": "M"}.get(status[:1], status[:1]), path))
    return tuple(changes)
