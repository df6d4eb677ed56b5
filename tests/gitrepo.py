"""Throwaway git repositories with fixed dates, for tests of anything that reads history.

Every commit and merge takes its date explicitly (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE), so tests can say
exactly which date a reader must find. Dates are `datetime`s with a time zone or ISO 8601 strings.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import git


def _stamp(when: datetime | str) -> str:
    if isinstance(when, datetime):
        if when.tzinfo is None:
            raise ValueError("commit dates need a time zone")
        return when.isoformat()
    return when


def day(n: int) -> str:
    """A distinct commit date for step `n` of a test history (up to 336 steps), 10:00 Shanghai time."""
    return f"2025-{1 + n // 28:02d}-{1 + n % 28:02d}T10:00:00+08:00"


class GitRepo:
    """A working tree with a `main` branch. Paths are repository-relative, with forward slashes."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.repo = git.Repo(self.root)

    @classmethod
    def init(cls, root: Path, branch: str = "main") -> "GitRepo":
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        repo = git.Repo.init(root, initial_branch=branch)
        with repo.config_writer() as config:
            config.set_value("user", "name", "测试者")
            config.set_value("user", "email", "tester@example.org")
            config.set_value("commit", "gpgsign", "false")
            config.set_value("core", "autocrlf", "false")
        return cls(root)

    # --- the working tree ---------------------------------------------------------------------------

    def write(self, path: str, content: str | bytes) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    def read(self, path: str) -> str:
        return (self.root / path).read_text(encoding="utf-8")

    def copy_in(self, source: Path, path: str) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        return target

    def delete(self, path: str) -> None:
        target = self.root / path
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()

    def move(self, old: str, new: str) -> None:
        (self.root / new).parent.mkdir(parents=True, exist_ok=True)
        self.repo.git.mv(old, new)

    # --- history ------------------------------------------------------------------------------------

    def _env(self, when: datetime | str, author_when: datetime | str | None) -> dict[str, str]:
        return {"GIT_AUTHOR_DATE": _stamp(author_when or when), "GIT_COMMITTER_DATE": _stamp(when)}

    def commit(self, message: str, when: datetime | str, *, author_when: datetime | str | None = None,
               allow_empty: bool = False) -> str:
        """Stages everything in the working tree and commits it; returns the commit id."""
        self.repo.git.add("-A")
        args = ["-m", message] + (["--allow-empty"] if allow_empty else [])
        self.repo.git.commit(*args, env=self._env(when, author_when))
        return self.head

    def branch(self, name: str, start: str = "HEAD") -> None:
        """Creates branch `name` at `start` and checks it out."""
        self.repo.git.checkout("-q", "-b", name, start)

    def checkout(self, ref: str) -> None:
        self.repo.git.checkout("-q", ref)

    def merge(self, branch: str, when: datetime | str, message: str | None = None) -> str:
        """A merge commit (--no-ff) of `branch` into the checked-out branch, as GitHub's merge button makes."""
        self.repo.git.merge("--no-ff", "-q", "-m", message or f"Merge branch '{branch}'", branch,
                            env=self._env(when, None))
        return self.head

    def squash(self, branch: str, when: datetime | str, message: str) -> str:
        """One new commit with everything `branch` changed, as GitHub's squash-and-merge makes."""
        self.repo.git.merge("--squash", "-q", branch)
        self.repo.git.commit("-m", message, env=self._env(when, None))
        return self.head

    @property
    def head(self) -> str:
        return self.repo.head.commit.hexsha

    def clone(self, target: Path, *, depth: int | None = None, branch: str | None = None) -> "GitRepo":
        """A clone through a file:// URL (a plain path would ignore --depth)."""
        kwargs = {"depth": depth} if depth else {}
        if branch:
            kwargs["branch"] = branch
        git.Repo.clone_from(self.root.resolve().as_uri(), target, **kwargs)
        clone = GitRepo(target)
        with clone.repo.config_writer() as config:
            config.set_value("user", "name", "测试者")
            config.set_value("user", "email", "tester@example.org")
            config.set_value("commit", "gpgsign", "false")
        return clone
