"""What `zlhcg workbook`, `zlhcg import` and `zlhcg from-batch-issue` do (registered in `workbook_cli`, which
imports this module only when one of them runs: openpyxl takes a good part of a second to import)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from pipeline.check.ids import new_id
from pipeline.check.typing import typed_document
from pipeline.diagnostics import Diagnostic
from pipeline.errors import EXIT_INVALID, EXIT_OK, UserError, root_from_args
from pipeline.model.library import Rules, load_rules
from pipeline.read.clock import build_time
from pipeline.read.site_config import read_site_config
from pipeline.read.sources import Layout, RecordSource, find_record_sources, read_record
from pipeline.submit.batch_intake import (BatchOutcome, DownloadRefused, choose_attachment, download, outcome_of,
                                          refusal_outcome)
from pipeline.submit.workbook_guard import WorkbookRefused
from pipeline.submit.workbook_import import ImportResult, Target, diagnostic, import_workbook, write_records
from pipeline.submit.workbook_cli import EXPORT_NAME, TEMPLATE_NAME
from pipeline.submit.workbook_layout import build_layout
from pipeline.submit.workbook_write import workbook_file



def template_bytes(root: Path, rules: Rules, records: list[dict] = ()) -> bytes:
    """The workbook for this repository: its schema, vocabularies and (`mkdocs.yml` extra.submit_contact) contact."""
    contact = read_site_config(root).extra.get("submit_contact")
    return workbook_file(rules.schemas, rules.vocab, contact, records)


def _record_paths(root: Path, args) -> list[Path]:
    layout = Layout(root)
    if args.all:
        sources, _ = find_record_sources(layout)
        return [s.path for s in sources]
    paths = []
    for given in args.sources:
        path = Path(given).resolve()
        if path.is_dir():
            paths.extend(sorted(path.glob("*.yaml")))
        elif path.is_file():
            paths.append(path)
        else:
            raise UserError(f"找不到 {given}。请给出成果文件（results/<年份>/<编号>/<编号>.yaml）或其文件夹。")
    if not paths:
        raise UserError(f"{'、'.join(args.sources)} 中没有成果文件。")
    return paths


def read_record_data(path: Path, file: str, rules: Rules) -> dict:
    """A record file's data as the validator sees it (unquoted identifiers stay text, as the schema says)."""
    return typed_document(rules.schemas, "result", read_record(RecordSource(path, file, ())))[0].data


def _read_records(root: Path, paths: list[Path], rules: Rules) -> list[dict]:
    return [read_record_data(path, path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name,
                             rules) for path in paths]


def cmd_workbook(args) -> int:
    root = root_from_args(args)
    rules = load_rules(Layout(root), build_time().date())
    exporting = bool(args.all or args.sources)
    records = _read_records(root, _record_paths(root, args), rules) if exporting else []
    out = Path(args.out or (EXPORT_NAME if exporting else TEMPLATE_NAME))
    try:
        out.write_bytes(template_bytes(root, rules, records))
    except OSError as exc:
        raise UserError(f"无法写入 {out}：{exc.strerror or exc}。") from None
    what = f"含 {len(records)} 个成果的报送表" if exporting else "批量报送模板"
    print(f"已生成{what}：{out}")
    return EXIT_OK


def _line(d: Diagnostic) -> list[str]:
    kind = "错误" if d.is_error else "提醒"
    lines = [f"  {d.field}：{kind}：{d.message}"]
    if d.hint:
        lines.append(f"      修改建议：{d.hint}")
    return lines


def format_report(result: ImportResult, written: list[str]) -> str:
    lines = [f"检查 {result.file}：{len(result.achievements)} 个成果。"]
    if result.problems:
        lines.append("整个文件：")
        for problem in result.problems:
            lines += _line(problem)
    for a in result.achievements:
        status = "通过" if a.ok else f"{sum(p.is_error for p in a.problems)} 处需要修改"
        action = ("（更新已有成果）" if a.updates else "（新成果）") if a.ok else ""
        lines.append(f"序号 {a.key}“{a.title()[:30]}”→ {a.file}{action}：{status}")
        for problem in a.problems:
            lines += _line(problem)
    lines.append(_summary(result, written))
    return "\n".join(lines)


def _summary(result: ImportResult, written: list[str]) -> str:
    good = [a for a in result.achievements if a.ok]
    if written:
        rest = len(result.achievements) - len(written)
        return f"已写入 {len(written)} 个成果文件" + (f"；另有 {rest} 个成果有错误，未导入，请按上面的提示修改后重新导入。" if rest else "。")
    if result.ok:
        return f"检查通过：{len(good)} 个成果均可导入。"
    return (f"检查未通过：{len(result.achievements) - len(good)} 个成果有错误，没有写入任何文件。"
            "请按提示修改表格后重新导入（或用 --partial 先导入没有错误的成果）。")


def run_import(path: Path, root: Path, rules: Rules, header: tuple[str, ...]) -> ImportResult:
    today = build_time().date()
    target = Target(root, rules, today, lambda: new_id(today), header)
    return import_workbook(path, build_layout(rules.schemas), target)


def record_header(root: Path, rules: Rules) -> tuple[str, ...]:
    config = read_site_config(root)
    return (f"yaml-language-server: $schema={config.site_url}schema/{rules.schemas.file_name('result')}",
            "由 Excel 批量报送表导入（zlhcg import）。")


def cmd_import(args) -> int:
    root = root_from_args(args)
    rules = load_rules(Layout(root), build_time().date())
    try:
        result = run_import(Path(args.workbook), root, rules, record_header(root, rules))
    except WorkbookRefused as refused:
        print(f"错误：{args.workbook}：{refused.message}\n    修改建议：{refused.hint}", file=sys.stderr)
        return EXIT_INVALID
    chosen = [a for a in result.achievements if a.ok]
    file_errors = any(p.is_error for p in result.problems)
    written = write_records(chosen, root) if (result.ok or (args.partial and not file_errors)) else []
    print(format_report(result, written))
    return EXIT_OK if result.ok else EXIT_INVALID


def _issue(event_path: str) -> tuple[str, int]:
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"无法读取 GitHub 事件文件 {event_path}：{exc}") from None
    issue = event.get("issue") if isinstance(event, dict) else None
    if not isinstance(issue, dict) or not isinstance(issue.get("number"), int):
        raise UserError("事件文件中没有议题信息（issue.number）。")
    body = issue.get("body")
    return (body if isinstance(body, str) else ""), issue["number"]


def _batch(args, root: Path, rules: Rules, body: str, issue: int, folder: Path) -> BatchOutcome:
    try:
        if args.workbook:
            path = Path(args.workbook)
        else:
            path = download(choose_attachment(body), folder / "batch.xlsx")
        header = (*record_header(root, rules)[:1], f"由议题 #{issue} 的 Excel 批量报送表导入（zlhcg from-batch-issue）。")
        result = run_import(path, root, rules, header)
    except (WorkbookRefused, DownloadRefused) as refused:
        return refusal_outcome(refused)
    for achievement in result.achievements:
        if achievement.updates:  # a batch from an issue adds records; changing published ones is for coordinators
            achievement.problems.append(diagnostic(result.file, achievement.place_of(("id",)), "batch.existing-record",
                                                   f"成果编号“{achievement.record_id}”已在成果库中，批量报送只能报送新成果。",
                                                   "新成果的“成果编号”一列请留空；修改已入库的成果请联系协调办公室。"))
    outcome = outcome_of(result, format_report(result, []))
    if outcome.ok:
        write_records([a for a in result.achievements if a.ok], root)
    return outcome


def cmd_from_batch_issue(args) -> int:
    root = root_from_args(args)
    rules = load_rules(Layout(root), build_time().date())
    body, issue = _issue(args.event)
    with tempfile.TemporaryDirectory() as folder:
        outcome = _batch(args, root, rules, body, issue, Path(folder))
    if args.comment_file:
        Path(args.comment_file).write_text(outcome.comment, encoding="utf-8")
    if args.outputs:
        Path(args.outputs).write_text(json.dumps({"ok": outcome.ok, "issue": issue, "records": outcome.records},
                                                 ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(outcome.comment)
    return EXIT_OK if outcome.ok else EXIT_INVALID
