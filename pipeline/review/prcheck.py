"""`zlhcg check-pr --base REF`: checks what a pull request changes, and the rules that need the base branch.

It never loads the whole library: it validates the record folders and edition files the pull request touches
and the editions that cite a touched record, and checks cross-file rules against git. When `schema/` changes
the rules themselves changed, so every record and edition is validated.

Rules that need the base branch (policy, stated once here; the README and the messages say the same):
- A record file that exists at the merge base may not be deleted, renamed or moved; its `id` and its
  `entered` (the value, or its absence) may not change; a withdrawal may not be undone or re-dated.
  Withdrawal (`withdrawn`) is the only way out, and the file stays as a tombstone.
- An edition is published when the `published` date of its base version is today or earlier (Asia/Shanghai).
  A published edition may not be deleted or renamed. If its file differs from the base version at all, its
  `corrections` keep every base entry unchanged and gain at least one entry dated no earlier than both the
  publication date and the merge base commit's date (Shanghai), and no later than today.
- A pull request that adds a record (a new YAML file in `results/<year>/<id>/`) changes nothing outside that one
  folder, unless it is a coordinator's change (`--coordinator`: the workflow sets it when a maintainer has put
  the label 协调办变更 on the pull request; see .github/workflows/validate.yml). A record is added when its
  folder did not exist at the merge base.
- A new record's folder must not exist on the base branch's tip either: its id is taken.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.diagnostics import Diagnostic, error, sort_diagnostics
from pipeline.model.edition_rules import check_edition, check_serials
from pipeline.read.gitdiff import Change, Comparison, Git
from pipeline.model.library import (CheckedRecord, Rules, load_library, load_rules, unaccepted_records, validate_edition,
                                    validate_record)
from pipeline.model.records import Achievement
from pipeline.model.editions import Edition
from pipeline.check.rules import at
from pipeline.kinds import all_kinds, kind_of
from pipeline.read.sources import (EDITION_FOLDER_PAGES, EditionDocument, EditionSource, edition_kind_key as _kind_key,
                      Layout, RecordSource, find_edition_sources, find_record_sources, read_edition, read_record,
                      record_folder, results_entry)
from pipeline.read.strictyaml import LoadedDocument, YamlRejected, load_bytes, load_mapping

COORDINATOR_LABEL = "协调办变更"
WITHDRAW_HINT = "成果入库后不能删除：如需撤下，请在记录中填写 withdrawn（撤回日期和原因），文件保留，网站显示撤回说明。"


# --- what the pull request touches -----------------------------------------------------------------------

def _parts(path: str) -> list[str]:
    return path.split("/")


def is_record_file(path: str) -> bool:
    parts = _parts(path)
    return len(parts) == 4 and parts[0] == "results" and parts[3].endswith((".yaml", ".yml"))


def _record_id(folder: str) -> str:
    """`<year>/<id>` → `<id>`."""
    return folder.rsplit("/", 1)[-1]


def edition_entry_of(path: str) -> str | None:
    """`site/<kind>/<entry>[/…]` → `site/<kind>/<entry>`, the entry the edition rules judge."""
    parts = _parts(path)
    if len(parts) >= 3 and parts[0] == "site" and parts[1] in {k.folder for k in all_kinds()} \
            and parts[2] not in EDITION_FOLDER_PAGES:
        return "/".join(parts[:3])
    return None


def edition_kind_key(path: str) -> tuple[str, str] | None:
    return _kind_key("/".join(_parts(path)))


@dataclass(frozen=True)
class Scope:
    record_folders: frozenset[str]  # entries of results/ that changed (`<year>/<id>` for a record folder)
    edition_entries: frozenset[str]  # `site/<kind>/<entry>` paths that changed
    schema_changed: bool

    @classmethod
    def of(cls, changes: Iterable[Change]) -> "Scope":
        paths = [c.path for c in changes]
        return cls(frozenset(f for f in map(results_entry, paths) if f),
                   frozenset(e for e in map(edition_entry_of, paths) if e),
                   any(p.startswith("schema/") for p in paths))


# --- validation of what changed ------------------------------------------------------------------------

class _RecordCache:
    """Records read from the working tree on demand (those an edition cites), each at most once, and the ids
    whose files are there but have errors (`unaccepted_records`)."""

    def __init__(self, layout: Layout, rules: Rules, checked: list[CheckedRecord], misplaced: list[Diagnostic]):
        self.layout, self.rules = layout, rules
        self.known = {c.record.id: c.record for c in checked if c.record is not None}
        self.unaccepted = unaccepted_records(checked, misplaced)

    def get(self, record_id: str) -> Achievement | None:
        if record_id not in self.known:
            sources, misplaced = find_record_sources(self.layout, [results_entry(record_folder(record_id))])
            checked = [validate_record(source, self.rules) for source in sources]
            self.known[record_id] = next((c.record for c in checked if c.record and c.record.id == record_id), None)
            self.unaccepted.update(unaccepted_records(checked, misplaced))
        return self.known[record_id]

    def subset(self, ids: Iterable[str]) -> dict[str, Achievement]:
        return {i: r for i in ids if (r := self.get(i)) is not None}


def validate_scope(layout: Layout, rules: Rules, scope: Scope) -> list[Diagnostic]:
    if scope.schema_changed:
        return load_library(layout.root, today=rules.today).diagnostics
    sources, found = find_record_sources(layout, scope.record_folders)
    misplaced = list(found)
    checked = [validate_record(source, rules) for source in sources]
    for item in checked:
        found.extend(item.diagnostics)
    found.extend(_check_editions(layout, rules, scope, _RecordCache(layout, rules, checked, misplaced)))
    return found


def _check_editions(layout: Layout, rules: Rules, scope: Scope, records: _RecordCache) -> list[Diagnostic]:
    """Changed editions, and unchanged ones that cite a changed record (a withdrawal or a later embargo can
    break an edition that did not change)."""
    sources, problems = find_edition_sources(layout)
    found = [p for p in problems if p.file in scope.edition_entries]
    cited = frozenset(map(_record_id, scope.record_folders))
    wanted = [s for s in sources if s.file in scope.edition_entries or _cites_any(s, cited)]
    loaded: dict[str, tuple[EditionDocument, Edition]] = {}
    for source in wanted:
        doc, edition, diagnostics = _load_edition(source, rules)
        found.extend(diagnostics)
        if doc is not None and edition is not None:
            cited = records.subset(edition.result_ids)
            found.extend(check_edition(doc, edition, cited, records.unaccepted))
            loaded[source.file] = (doc, edition)
    if any(_has_serials(s.kind) for s in wanted):
        # Serials: the checked editions go last, so a clash with an unchanged report is reported on them.
        others = [_load_edition(s, rules) for s in sources if _has_serials(s.kind) and s.file not in loaded]
        monthly = [(d, e) for d, e, _ in others if d is not None and e is not None]
        monthly += [pair for pair in loaded.values() if _has_serials(pair[1].kind)]
        found.extend(d for d in check_serials(monthly) if d.file in loaded)
    return found


def _has_serials(kind: str) -> bool:
    """Monthly reports carry serial numbers that must be unique across all of them."""
    return kind_of(kind).shape == "monthly-report"


def _load_edition(source: EditionSource, rules: Rules
                  ) -> tuple[EditionDocument | None, Edition | None, list[Diagnostic]]:
    try:
        doc = read_edition(source)
    except YamlRejected as rejected:
        return None, None, [rejected.diagnostic]
    edition, diagnostics = validate_edition(doc, rules)
    return doc, edition, diagnostics


def _cites_any(source: EditionSource, record_ids: frozenset[str]) -> bool:
    if not record_ids:
        return False
    text = source.path.read_bytes().decode("utf-8", "replace")
    return any(record_id in text for record_id in record_ids)


# --- rules that need the base branch -----------------------------------------------------------------------

@dataclass(frozen=True)
class BaseCheck:
    git: Git
    comparison: Comparison
    layout: Layout
    today: date
    coordinator: bool

    @property
    def base_date(self) -> date:
        return self.comparison.merge_base_time.date()


def check_against_base(check: BaseCheck) -> list[Diagnostic]:
    changes = check.comparison.changes
    base_files = check.git.blobs(check.comparison.merge_base, [
        c.path for c in changes if c.status != "A" and (is_record_file(c.path) or edition_kind_key(c.path))])
    found: list[Diagnostic] = []
    for change in changes:
        if is_record_file(change.path):
            found.extend(_record_change(check, change, base_files.get(change.path)))
        elif edition_kind_key(change.path) and change.path in base_files:
            found.extend(_edition_change(check, change, base_files[change.path]))
    found.extend(_added_record_scope(check))
    return found


def _regular_file(check: BaseCheck, path: str) -> Path | None:
    """The working-tree file, unless it is missing or a symlink (never follow a link out of the checkout)."""
    full = check.layout.root / path
    return full if full.is_file() and not full.is_symlink() else None


def _read_head(check: BaseCheck, path: str) -> LoadedDocument | None:
    full = _regular_file(check, path)
    try:
        return read_record(RecordSource(full, path, ())) if full else None
    except (YamlRejected, OSError):
        return None  # validation reports it


def _record_change(check: BaseCheck, change: Change, base_bytes: bytes | None) -> Iterator[Diagnostic]:
    if change.status == "D":
        yield error(change.path, "pr.record-deleted", "这条成果已经入库，不能删除、改名或移动。", hint=WITHDRAW_HINT)
        return
    if change.status != "M" or base_bytes is None:
        return
    try:
        base = load_mapping(load_bytes(base_bytes, change.path)).data
    except YamlRejected:
        return  # the base version was not a valid record: nothing to keep
    head = _read_head(check, change.path)
    if head is None:
        return
    yield from _kept_fields(base, head)


def _kept_fields(base: dict, head: LoadedDocument) -> Iterator[Diagnostic]:
    now = head.data
    if now.get("id") != base.get("id"):
        yield at(head, ("id",), "pr.id-changed", f"成果编号不能修改（入库时为“{base.get('id')}”）。",
                 "把 id 改回原值。编号是成果的永久标识，网址和引用都依赖它。")
    if now.get("entered") != base.get("entered"):
        was = f"入库时为 {base['entered']}" if base.get("entered") else "入库时没有填写，日期取自 git 历史"
        yield at(head, ("entered",), "pr.entered-changed", f"入库日期 entered 不能修改（{was}）。",
                 "恢复原来的 entered（没有填写的就不要新增）。入库日期是成果的公开事实。")
    old, new = base.get("withdrawn"), now.get("withdrawn")
    if isinstance(old, dict) and not isinstance(new, dict):
        yield at(head, (), "pr.withdrawal-undone", f"这条成果已于 {old.get('date')} 撤回，撤回不能撤销。",
                 "恢复 withdrawn。如撤回有误，请与协调办联系。")
    elif isinstance(old, dict) and isinstance(new, dict) and new.get("date") != old.get("date"):
        yield at(head, ("withdrawn", "date"), "pr.withdrawal-date-changed",
                 f"撤回日期不能修改（原为 {old.get('date')}）。", "把 withdrawn.date 改回原值。")


def _edition_change(check: BaseCheck, change: Change, base_bytes: bytes) -> Iterator[Diagnostic]:
    kind, key = edition_kind_key(change.path)
    base = _read_edition_bytes(kind, key, change.path, base_bytes)
    published = _date(base.front.data.get("published")) if base else None
    if published is None or published > check.today:
        return  # not published yet (or the base version was unreadable): free to change
    name = kind_of(kind).noun
    if change.status == "D":
        yield error(change.path, "pr.edition-deleted", f"本期{name}已于 {published} 发布，不能删除、改名或移动。",
                    hint="如内容有误，请直接修改，并在 corrections 中写明更正日期和更正内容。")
        return
    full = _regular_file(check, change.path)
    try:
        head = read_edition(EditionSource(kind, key, full, change.path)) if full else None
    except (YamlRejected, OSError):
        head = None
    if head is None:
        return  # validation reports it
    yield from _corrections_rule(check, head.front, _corrections(base.front.data), published, name)


def _corrections_rule(check: BaseCheck, front: LoadedDocument, before: list[tuple[str, str]], published: date,
                      name: str) -> Iterator[Diagnostic]:
    now = _corrections(front.data)
    for entry in before:
        if entry not in now:
            yield at(front, ("corrections",), "pr.correction-removed",
                     f"已公开的更正说明不能删除或修改：{entry[0]}“{entry[1][:30]}”。",
                     "恢复这条更正说明的原文；新的说明请另加一条。")
    added = [(i, day) for i, (day, note) in enumerate(now) if (day, note) not in before]
    earliest = max(published, check.base_date)
    if not added:
        yield at(front, ("corrections",) if "corrections" in front.data else ("published",), "pr.correction-missing",
                 f"本期{name}已于 {published} 发布，修改已发布的内容须同时公开更正说明。",
                 f"在 corrections 中新增一条：date 填更正日期（{earliest} 至 {check.today} 之间），note 写明改了什么。")
    for i, day in added:
        if (when := _date(day)) is not None and not earliest <= when <= check.today:
            yield at(front, ("corrections", i, "date"), "pr.correction-date",
                     f"新增更正说明的日期 {day} 不在 {earliest} 至 {check.today} 之间。",
                     "更正日期应为提出这次修改的日期：不早于发布日期和本次修改所依据的版本，也不晚于今天。")


def _corrections(front: dict) -> list[tuple[str, str]]:
    entries = front.get("corrections")
    if not isinstance(entries, list):
        return []
    return [(str(e.get("date")), str(e.get("note"))) for e in entries if isinstance(e, dict)]


def _read_edition_bytes(kind: str, key: str, path: str, raw: bytes) -> EditionDocument | None:
    """The base version of an edition, read by the same reader as the working tree's."""
    with tempfile.TemporaryDirectory(prefix="zlhcg-base-") as folder:
        copy = Path(folder) / path.rsplit("/", 1)[-1]
        copy.write_bytes(raw)
        try:
            return read_edition(EditionSource(kind, key, copy, path))
        except YamlRejected:
            return None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _added_record_scope(check: BaseCheck) -> list[Diagnostic]:
    changes = check.comparison.changes
    candidates = {results_entry(c.path) for c in changes if c.status == "A" and is_record_file(c.path)}
    existed = check.git.existing(check.comparison.merge_base, [f"results/{f}" for f in candidates])
    added = sorted(f for f in candidates if f"results/{f}" not in existed)  # a second YAML in an old folder
    if not added:                                                          # is a layout error, not a record
        return []
    found = []
    taken = check.git.existing(check.comparison.base, [f"results/{folder}" for folder in added])
    for folder in added:
        if f"results/{folder}" in taken:
            found.append(error(f"results/{folder}", "pr.id-taken", f"编号“{_record_id(folder)}”已被主分支上的另一条成果使用。",
                               hint="运行 zlhcg new 生成新编号，把文件夹、文件名和 id 一起改成新编号。"))
    if check.coordinator:
        return found
    if len(added) > 1:
        found.append(error(f"results/{added[0]}", "pr.several-records",
                           f"一次拉取请求只能新增一条成果，这次新增了 {len(added)} 条：{'、'.join(map(_record_id, added))}。",
                           hint="每条成果单独提交一个拉取请求；批量导入请联系协调办。"))
        return found
    folder = added[0]
    for change in changes:
        if results_entry(change.path) != folder:
            found.append(error(change.path, "pr.outside-record",
                               f"新增成果的拉取请求只能改动该成果自己的文件夹 results/{folder}/，不能改动这个文件。",
                               hint="把这处改动撤回，另开一个拉取请求；确需一并修改的，请协调办审核后加注"
                                    f"“{COORDINATOR_LABEL}”标签。"))
    return found


# --- command line ---------------------------------------------------------------------------------------

def check_pull_request(root: Path, base_ref: str, *, today: date, coordinator: bool = False
                       ) -> tuple[Comparison, list[Diagnostic]]:
    """Raises GitFailed when git cannot say what changed."""
    git = Git(root)
    comparison = git.compare(base_ref)
    layout = Layout(root)
    try:
        rules = load_rules(layout, today)
    except YamlRejected as rejected:
        return comparison, [rejected.diagnostic]
    found = validate_scope(layout, rules, Scope.of(comparison.changes))
    found.extend(check_against_base(BaseCheck(git, comparison, layout, today, coordinator)))
    return comparison, sort_diagnostics(set(found))


def cmd_check_pr(args) -> int:
    from pipeline.errors import EXIT_INVALID, EXIT_OK, UserError, root_from_args as _root
    from pipeline.read.clock import build_time
    from pipeline.diagnostics import FORMATTERS, format_json, has_errors
    from pipeline.read.gitdiff import GitFailed

    root = _root(args)
    try:
        comparison, found = check_pull_request(root, args.base, today=build_time().date(),
                                               coordinator=args.coordinator)
    except GitFailed as failed:
        raise UserError(str(failed)) from None
    if args.format == "json":
        print(format_json(found, base=comparison.base, merge_base=comparison.merge_base,
                          changed_files=len(comparison.changes), coordinator=args.coordinator))
    else:
        print(FORMATTERS[args.format](found))
    return EXIT_INVALID if has_errors(found) else EXIT_OK


def register(subparsers) -> None:
    from pipeline.diagnostics import FORMATTERS

    parser = subparsers.add_parser(
        "check-pr", help="检查拉取请求改动的文件，以及入库成果和已发布内容不可更改的规则",
        description="只检查当前分支相对基准分支（--base）改动的成果和发布文件，并检查：已入库成果不能删除或改名、"
                    "编号和入库日期不能修改；已发布的月报、季度发布、年度榜单修改时须新增更正说明；"
                    "新增成果的拉取请求只能改动该成果自己的文件夹。")
    parser.add_argument("--base", required=True, help="基准分支或提交，例如 origin/main")
    parser.add_argument("--coordinator", action="store_true",
                        help=f"协调办的变更：允许新增成果时改动其他文件（工作流在拉取请求带有“{COORDINATOR_LABEL}”标签时设置）")
    parser.add_argument("--format", choices=sorted(FORMATTERS), default="text",
                        help="输出格式：text（默认）、github（拉取请求中的行内标注）、json（机器读取）")
    parser.set_defaults(func=cmd_check_pr)
