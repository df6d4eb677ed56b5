"""Load → validate → model: the whole library in one call, with every diagnostic.

Nothing is skipped silently: a record that fails validation is reported, and callers that publish refuse to
go on while any error remains (a site with a record quietly missing would lose published material).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping

from pipeline.check.ids import ID_PATTERN
from pipeline.diagnostics import Diagnostic, error, has_errors, sort_diagnostics
from pipeline.model.edition_rules import check_edition, check_serials
from pipeline.read.history import FileHistory
from pipeline.model.records import SHANGHAI, Achievement, start_of_day
from pipeline.kinds import kind_of
from pipeline.model.editions import Edition, edition_from_data
from pipeline.check.markdown_check import check_markdown
from pipeline.check.rules import at, duplicate_ids
from pipeline.check.schema_messages import schema_diagnostics
from pipeline.check.schemas import Schemas
from pipeline.read.sources import (EditionDocument, Layout, RecordSource, find_edition_sources, find_record_sources,
                      read_edition, read_record)
from pipeline.read.strictyaml import YamlRejected
from pipeline.check.vocab import Vocabularies
from pipeline.model.checking_pool import FileVerdict, Rules, check_record_file, check_record_files, load_rules


@dataclass(frozen=True)
class Library:
    """Every valid record and edition in a checkout, with the vocabularies and schemas they were checked by."""

    layout: Layout
    vocab: Vocabularies
    schemas: Schemas
    records: tuple[Achievement, ...]
    editions: tuple[Edition, ...]

    def record(self, record_id: str) -> Achievement | None:
        return self.by_id.get(record_id)

    @property
    def by_id(self) -> dict[str, Achievement]:
        return {r.id: r for r in self.records}


@dataclass(frozen=True)
class LoadResult:
    library: Library | None
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return self.library is not None and not has_errors(self.diagnostics)


@dataclass(frozen=True)
class CheckedRecord:
    source: RecordSource
    record: Achievement | None  # None when the file has errors
    diagnostics: list[Diagnostic]
    claimed_id: str | None  # the id the file states, valid or not (for the uniqueness check)


def validate_record(source: RecordSource, rules: Rules) -> CheckedRecord:
    return _typed(source, check_record_file(source, rules))


def _typed(source: RecordSource, verdict: FileVerdict) -> CheckedRecord:
    record = None if verdict.data is None else Achievement.from_data(verdict.data, source.file)
    return CheckedRecord(source, record, verdict.diagnostics, verdict.claimed_id)


def validate_edition(doc: EditionDocument, rules: Rules) -> tuple[Edition | None, list[Diagnostic]]:
    found = schema_diagnostics(rules.schemas, kind_of(doc.kind).schema, doc.front) + body_diagnostics(doc)
    if has_errors(found):
        return None, found
    return edition_from_data(doc.kind, doc.key, doc.front.data, doc.body, doc.front.file), found


def body_diagnostics(doc: EditionDocument) -> list[Diagnostic]:
    """An edition's Markdown body is checked like a record's description (no images: editions have none)."""
    return [Diagnostic(doc.front.file, doc.body_line + doc.body.count("\n", 0, p.offset), None, p.rule, p.message,
                       p.hint, "正文") for p in check_markdown(doc.body)]


def _with_dates(record: Achievement, history: Mapping[str, FileHistory] | None,
                require_dates: bool) -> Achievement | Diagnostic:
    """Entry date precedence: explicit `entered` in the record, then git; neither is an error, not "now"."""
    file_history = history.get(record.source) if history is not None else None
    revisions = file_history.revisions if file_history else ()
    # 最近更新 is the last content change after entry: the commit adding a record that carries its own earlier
    # entry date (a migrated record) is not an update, nor is a reformat or schema migration.
    updated = next((r.when for r in revisions if r.content and not r.added), None)
    if record.entered_explicit is not None:
        entered = start_of_day(record.entered_explicit)
    elif file_history is not None:
        entered = file_history.added
    elif not require_dates:
        return record
    else:
        where = "git 历史中找不到该文件的入库提交" if history is not None else "当前目录没有 git 历史"
        return error(record.source, "history.no-entry-date", f"无法确定入库日期：记录没有 entered 字段，且{where}。",
                     hint="在完整的 git 仓库中构建（CI 请设置 fetch-depth: 0）；迁移的历史成果可在记录中填写 entered。")
    return dataclasses.replace(record, entered=entered, updated=max(updated or entered, entered), revisions=revisions)


def load_library(root: Path, *, today: date | None = None, history: Mapping[str, FileHistory] | None = None,
                 require_dates: bool = False, only: Iterable[str] | None = None,
                 diagnostics_only: bool = False) -> LoadResult:
    """Loads and checks everything under `root`. With `require_dates` (building), every record needs an entry
    date from itself or from `history`. `only` limits the report to those repository paths. With
    `diagnostics_only` (validating) every file is checked just the same, but only the records an edition cites
    are kept (the edition rules need them): the library holds those alone, and a large library is checked
    without holding every record twice over."""
    layout = Layout(root)
    today = today or datetime.now(SHANGHAI).date()
    try:
        rules = load_rules(layout, today)
    except YamlRejected as rejected:
        return LoadResult(None, [rejected.diagnostic])

    record_sources, diagnostics = find_record_sources(layout)
    misplaced = list(diagnostics)
    read_editions, edition_diagnostics = _read_editions(layout, rules)
    diagnostics.extend(edition_diagnostics)
    keep = frozenset(i for _, e in read_editions for i in e.result_ids) if diagnostics_only else None
    verdicts = check_record_files(layout, record_sources, rules, keep)
    checked = [_typed(source, verdict) for source, verdict in zip(record_sources, verdicts)]
    for item in checked:
        diagnostics.extend(item.diagnostics)
    records = [item.record for item in checked if item.record is not None]
    diagnostics.extend(duplicate_ids_of(checked))

    dated = []
    unaccepted = unaccepted_records(checked, misplaced)
    for record in records:
        result = _with_dates(record, history, require_dates)
        if isinstance(result, Diagnostic):
            diagnostics.append(result)
            unaccepted[record.id] = record.source
        else:
            dated.append(result)
    records_by_id = {r.id: r for r in dated}

    editions, edition_diagnostics = _check_editions(read_editions, records_by_id, unaccepted)
    diagnostics.extend(edition_diagnostics)
    library = Library(layout, rules.vocab, rules.schemas, tuple(sorted(dated, key=lambda r: r.id)), tuple(editions))
    if only is not None:
        wanted = set(only)
        diagnostics = [d for d in diagnostics if d.file in wanted or d.rule.startswith("rule.duplicate")]
    return LoadResult(library, sort_diagnostics(diagnostics))


def unaccepted_records(checked: Iterable[CheckedRecord], misplaced: Iterable[Diagnostic]) -> dict[str, str]:
    """Ids whose record files exist but did not enter the library, each with the file to fix: files with errors
    (by the id they state and by their folder's name) and record folders or files out of place. An edition citing
    one of these ids is told to fix that file, not that the library has no such record."""
    found: dict[str, str] = {}
    for item in checked:
        if item.record is None and has_errors(item.diagnostics):  # validating drops valid records not cited
            for record_id in (item.claimed_id, item.source.path.parent.name):
                if record_id and ID_PATTERN.fullmatch(record_id):
                    found.setdefault(record_id, item.source.file)
    for problem in misplaced:
        name = PurePosixPath(problem.file).stem  # a record folder's name, or a record file's
        if problem.rule.startswith("layout.") and ID_PATTERN.fullmatch(name):
            found.setdefault(name, problem.file)
    return found


def duplicate_ids_of(checked: list[CheckedRecord]) -> list[Diagnostic]:
    """Ids are unique across the library, whether or not the files sharing one are otherwise valid."""
    counts = Counter(c.claimed_id for c in checked if c.claimed_id)
    shared = [c for c in checked if c.claimed_id and counts[c.claimed_id] > 1]
    return duplicate_ids([(c.claimed_id, read_record(c.source)) for c in shared]) if shared else []


def _read_editions(layout: Layout, rules: Rules) -> tuple[list[tuple[EditionDocument, Edition]], list[Diagnostic]]:
    """Every edition file that reads and passes its schema, before the records (validating keeps only the
    records these cite)."""
    sources, diagnostics = find_edition_sources(layout)
    read: list[tuple[EditionDocument, Edition]] = []
    for source in sources:
        try:
            doc = read_edition(source)
        except YamlRejected as rejected:
            diagnostics.append(rejected.diagnostic)
            continue
        edition, found = validate_edition(doc, rules)
        diagnostics.extend(found)
        if edition is not None:
            read.append((doc, edition))
    return read, diagnostics


def _check_editions(read: list[tuple[EditionDocument, Edition]], records: Mapping[str, Achievement],
                    unaccepted: Mapping[str, str]):
    """The editions whose rules hold against the records, in registry order, and what the rules found."""
    diagnostics: list[Diagnostic] = []
    loaded: list[tuple[EditionDocument, Edition]] = []
    for doc, edition in read:
        checked = check_edition(doc, edition, records, unaccepted)
        diagnostics.extend(checked)
        if not has_errors(checked):
            loaded.append((doc, edition))
    diagnostics.extend(check_serials(loaded))
    editions = sorted((e for _, e in loaded), key=lambda e: (kind_of(e.kind).order, e.kind, e.key))
    return editions, diagnostics


__all__ = ["Library", "LoadResult", "load_library", "validate_record", "at"]
