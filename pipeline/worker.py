"""The build's second process. For a large library the printed documents and then the search index are made in
a worker process while this one renders the pages, so that a two-core machine uses both cores: at 10,000 records
they are about 17 s of work (documents 10, index 7), the pages after loading about 18 s. Small libraries (and
tests) do both in this process: starting a process would cost more than it saves.

Work goes to the worker as plain data (the records as search sources, the documents' contents); each piece writes
its files into a folder of its own and returns only what the pages need (the documents' links, the index's file
list). The build moves the folders into the site at the end: no file crosses the pipe.
"""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, Callable

IN_BACKGROUND_FROM = 2000  # public records


def file_writer(folder: str) -> Callable[[str, bytes], None]:
    """Writes a file at a site-relative path under `folder`, making its folders: how work puts what it makes."""
    def write(path: str, content: bytes) -> None:
        target = Path(folder, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return write


class Staged:
    """Work running in the worker, writing into `folder`."""

    def __init__(self, future: Future, folder: Path):
        self.future, self.folder = future, folder

    def result(self) -> Any:
        """Waits for the work; raises what it raised."""
        return self.future.result()

    def move_into(self, site: Path) -> Any:
        """Waits for the work, puts its files into `site`; returns its result."""
        try:
            result = self.result()
            _move_into(self.folder, site)
            return result
        finally:
            self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class Worker:
    """One worker process for `tasks` pieces of work, run one after the other in the order submitted."""

    def __init__(self, tasks: int):
        # "spawn": a fresh interpreter, safe even when the caller runs threads (mkdocs serve). The process exits,
        # and gives its memory back, the moment its last task is done.
        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                         max_tasks_per_child=tasks)

    @classmethod
    def for_library(cls, public_records: int, tasks: int) -> "Worker | None":
        return cls(tasks) if public_records >= IN_BACKGROUND_FROM else None

    def run(self, work: Callable[..., Any], *args: Any) -> Staged:
        """Submits `work(folder, *args)`, which writes its files under `folder` (a new temporary folder)."""
        folder = Path(tempfile.mkdtemp(prefix="zlhcg-worker-"))
        return Staged(self._pool.submit(work, str(folder), *args), folder)

    def close(self) -> None:
        """Stops the worker (also when the build fails before its work is used)."""
        self._pool.shutdown(cancel_futures=True)


def _move_into(source: Path, target: Path) -> None:
    """Moves everything under `source` into `target`: a folder `target` does not have yet in one move (the index's
    13,000 files at 10,000 records in six), one it has already entry by entry."""
    for entry in sorted(source.iterdir()):
        destination = target / entry.name
        if entry.is_dir() and destination.is_dir():
            _move_into(entry, destination)
        else:
            shutil.move(entry, destination)
