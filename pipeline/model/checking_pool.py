"""Checking every record file is the bulk of `validate` and of a build's first phase, and each file is
checked on its own, so a large library is checked on every core.

Workers send back what they found and the record's plain data, not `Achievement` objects: a plain dict
pickles several times faster, and the typed record is cheap to make again here.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from pipeline.cores import usable_cores
from pipeline.diagnostics import Diagnostic, has_errors
from pipeline.check.record_check import check_record_document
from pipeline.check.schemas import Schemas, load_schemas
from pipeline.check.vocab import Vocabularies, load_vocabularies
from pipeline.read.sources import Layout, RecordSource, read_record
from pipeline.read.strictyaml import YamlRejected

IN_PARALLEL_FROM = 1000  # record files; below this, starting the workers costs more than it saves
CHUNK = 250  # files per task: large enough that sending the answers back is not the cost
JOBS_VARIABLE = "ZLHCG_JOBS"  # 1 = check in this process (debugging, profiling)


@dataclass(frozen=True)
class Rules:
    """What single-file checks need besides the file."""

    vocab: Vocabularies
    schemas: Schemas
    today: date


def load_rules(layout: Layout, today: date) -> Rules:
    vocab = load_vocabularies(layout.vocab)
    return Rules(vocab, load_schemas(layout.schema, vocab), today)


@dataclass(frozen=True)
class FileVerdict:
    diagnostics: list[Diagnostic]
    claimed_id: str | None  # the id the file states, valid or not (for the uniqueness check)
    data: Any  # the checked data when the file has no errors, else None


def check_record_file(source: RecordSource, rules: Rules, keep: frozenset[str] | None = None) -> FileVerdict:
    """With `keep`, the data is sent back only for those ids (the rest is checked, then dropped)."""
    try:
        doc = read_record(source)
    except YamlRejected as rejected:
        return FileVerdict([rejected.diagnostic], None, None)
    claimed = doc.data.get("id") if isinstance(doc.data.get("id"), str) else None
    doc, found = check_record_document(doc, source, rules.schemas, rules.vocab, rules.today)
    wanted = keep is None or claimed in keep
    return FileVerdict(found, claimed, None if has_errors(found) or not wanted else doc.data)


def check_record_files(layout: Layout, sources: Sequence[RecordSource], rules: Rules,
                       keep: frozenset[str] | None = None) -> list[FileVerdict]:
    """The verdict on each file, in order; on several processes when there are many files and cores."""
    jobs = _jobs()
    if len(sources) < IN_PARALLEL_FROM or jobs < 2:
        return [check_record_file(source, rules, keep) for source in sources]
    chunks = [sources[i:i + CHUNK] for i in range(0, len(sources), CHUNK)]
    # "spawn": a fresh interpreter, safe even when the caller runs threads (mkdocs serve); each worker
    # loads the rules itself (compiled schemas do not pickle).
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker,
                                 initargs=(layout, rules.today, keep)) as pool:
            return [verdict for chunk in pool.map(_check_chunk, chunks) for verdict in chunk]
    except BrokenProcessPool:  # a worker could not start or was killed (out of memory): check them here
        return [check_record_file(source, rules, keep) for source in sources]


def _jobs() -> int:
    wanted = os.environ.get(JOBS_VARIABLE, "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return usable_cores()


_worker_rules: Rules | None = None
_worker_keep: frozenset[str] | None = None


def _start_worker(layout: Layout, today: date, keep: frozenset[str] | None) -> None:
    global _worker_rules, _worker_keep
    _worker_rules, _worker_keep = load_rules(layout, today), keep


def _check_chunk(sources: Sequence[RecordSource]) -> list[FileVerdict]:
    return [check_record_file(source, _worker_rules, _worker_keep) for source in sources]
