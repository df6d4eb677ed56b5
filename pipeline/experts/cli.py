"""Commands: `reviewers`, `experts report|collection|remind|check`, `from-issue`, `issue-form`.

This is the edge: files are read and written here, problems become Chinese messages and exit codes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.errors import EXIT_INVALID, EXIT_OK, UserError, root_from_args as _root
from pipeline.read.clock import build_time
from pipeline.diagnostics import FORMATTERS, has_errors
from pipeline.check.ids import ID_PATTERN, new_id
from pipeline.model.library import Rules, load_rules
from pipeline.read.site_config import read_site_config
from pipeline.read.sources import Layout, find_record_sources, read_record
from pipeline.read.strictyaml import YamlRejected, load_bytes, load_mapping
from pipeline.experts.collection import EXPORT_PATH, collection_stats, render_collection_csv, render_collection_markdown
from pipeline.submit.form_spec import load_form_spec
from pipeline.experts.github_data import ExportError, load_export, parse_reviews, read_json
from pipeline.submit.intake_comment import render_comment
from pipeline.submit.intake_record import submission_from_form
from pipeline.submit.issue_form import render_issue_form
from pipeline.experts.ledger import PERIOD_KINDS, build_ledger
from pipeline.experts.ledger_report import render_ledger_csv, render_ledger_markdown
from pipeline.experts.record_facts import facts_from_document
from pipeline.experts.reminders import reminders, render_reminder
from pipeline.experts.roster import ROSTER_PATH, Roster, RosterInvalid, load_roster
from pipeline.experts.routing import DEFAULT_COUNT, conflicted_approvals, open_request_load, plan_pulls, propose
from pipeline.experts.routing_report import plan_json, proposal_json, render_proposal_text, render_shortfall_comment


def _rules(root: Path) -> Rules:
    return load_rules(Layout(root), build_time().date())


def _roster(args, root: Path, rules: Rules) -> Roster:
    path = Path(args.roster) if args.roster else root / ROSTER_PATH
    file = args.roster or ROSTER_PATH
    try:
        roster, _ = load_roster(path, file, rules.schemas)
    except RosterInvalid as invalid:
        raise UserError("评审专家名册有误，请先修正：\n" + FORMATTERS["text"](invalid.diagnostics)) from None
    return roster


def _export(path: Path, rules: Rules):
    try:
        return load_export(path, rules.vocab)
    except ExportError as exc:
        raise UserError(str(exc)) from None


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8", newline="")
    else:
        print(text, end="")


def _record_facts(root: Path, paths: list[str], rules: Rules):
    facts, problems = [], []
    for raw in paths:
        path = Path(raw)
        file = path.resolve().relative_to(root).as_posix() if path.resolve().is_relative_to(root) else raw
        if not path.is_file():
            raise UserError(f"找不到成果文件：{raw}")
        try:
            facts.append(facts_from_document(load_mapping(load_bytes(path.read_bytes(), file)), rules.vocab))
        except YamlRejected as rejected:
            problems.append(rejected.diagnostic)
    return facts, problems


# --- reviewers -------------------------------------------------------------------------------------------

def cmd_reviewers(args) -> int:
    root = _root(args)
    rules = _rules(root)
    roster = _roster(args, root, rules)
    if args.export:
        return _reviewers_batch(args, roster, rules)
    if not args.paths:
        raise UserError("请给出成果文件路径，或用 --export 为导出数据中的所有拉取请求分配评审专家。")
    facts, problems = _record_facts(root, args.paths, rules)
    if problems:
        print(FORMATTERS[args.format](problems))
        return EXIT_INVALID
    if args.check_approvals:
        try:
            reviews = parse_reviews(read_json(Path(args.check_approvals), "评审数据文件"))
        except ExportError as exc:
            raise UserError(str(exc)) from None
        found = conflicted_approvals(roster, facts, reviews, args.author or "")
        print(FORMATTERS[args.format](found))
        return EXIT_INVALID if has_errors(found) else EXIT_OK
    load = open_request_load(_export(Path(args.open_requests), rules).pulls if args.open_requests else ())
    proposal = propose(roster, facts, rules.vocab, load, count=args.count, author=args.author or "")
    if args.format == "json":
        print(json.dumps({**proposal_json(proposal), "dry_run": roster.demo}, ensure_ascii=False, indent=2))
    else:
        print(render_proposal_text(proposal))
    return EXIT_INVALID if proposal.shortfall else EXIT_OK


def _reviewers_batch(args, roster: Roster, rules: Rules) -> int:
    export = _export(Path(args.export), rules)
    plans = plan_pulls(export.pulls, roster, rules.vocab, args.count)
    labels = {p.number: p.labels for p in export.pulls}
    items = [plan_json(plan, labels[plan.number]) for plan in plans]
    if args.comment_dir:
        folder = Path(args.comment_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for plan, item in zip(plans, items, strict=True):
            if item["report"]:
                (folder / f"{plan.number}.md").write_text(render_shortfall_comment(plan), encoding="utf-8")
    print(json.dumps({"dry_run": roster.demo, "pulls": items}, ensure_ascii=False, indent=2))
    return EXIT_OK


# --- experts ---------------------------------------------------------------------------------------------

def _withdrawn_ids(root: Path, rules: Rules) -> set[str]:
    sources, _ = find_record_sources(Layout(root))
    found = set()
    for source in sources:
        try:
            facts = facts_from_document(read_record(source), rules.vocab)
        except YamlRejected:
            continue
        if facts.withdrawn:
            found.add(facts.id)
    return found


def _export_path(args, root: Path) -> Path:
    return Path(args.export) if args.export else root / EXPORT_PATH


def cmd_report(args) -> int:
    root = _root(args)
    rules = _rules(root)
    roster = _roster(args, root, rules)
    export = _export(_export_path(args, root), rules)
    try:
        ledger = build_ledger(export, roster, _withdrawn_ids(root, rules), period_kind=args.period,
                              overdue_days=args.overdue_days)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    _write(render_ledger_csv(ledger) if args.format == "csv" else render_ledger_markdown(ledger), args.output)
    return EXIT_OK


def cmd_collection(args) -> int:
    root = _root(args)
    rules = _rules(root)
    stats = collection_stats(_export(_export_path(args, root), rules), rules.vocab)
    _write(render_collection_csv(stats) if args.format == "csv" else render_collection_markdown(stats), args.output)
    return EXIT_OK


def cmd_remind(args) -> int:
    root = _root(args)
    rules = _rules(root)
    roster = _roster(args, root, rules)
    export = _export(_export_path(args, root), rules)
    try:
        due = reminders(export, roster, overdue_days=args.overdue_days, every=args.every)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    folder = Path(args.comment_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for reminder in due:
        (folder / f"{reminder.pull}.md").write_text(render_reminder(reminder, args.overdue_days), encoding="utf-8")
    summary = [{"number": r.pull, "handles": [o.expert.handle for o in r.overdue]} for r in due]
    print(json.dumps({"dry_run": roster.demo, "reminders": summary}, ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_check(args) -> int:
    root = _root(args)
    rules = _rules(root)
    path = Path(args.roster) if args.roster else root / ROSTER_PATH
    try:
        _, found = load_roster(path, args.roster or ROSTER_PATH, rules.schemas)
    except RosterInvalid as invalid:
        found = invalid.diagnostics
    print(FORMATTERS[args.format](found))
    return EXIT_INVALID if has_errors(found) else EXIT_OK


# --- intake ----------------------------------------------------------------------------------------------

def _issue_body(args) -> tuple[str, int | None]:
    if args.event:
        event = read_json(Path(args.event), "GitHub 事件文件")
        issue = event.get("issue") if isinstance(event, dict) else None
        if not isinstance(issue, dict) or not isinstance(issue.get("number"), int):
            raise UserError("事件文件中没有议题信息（issue.number）。")
        body = issue.get("body")
        return (body if isinstance(body, str) else ""), issue["number"]
    try:
        return Path(args.body_file).read_text(encoding="utf-8"), args.issue
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"无法读取表单内容文件 {args.body_file}：{exc}") from None


def cmd_from_issue(args) -> int:
    root = _root(args)
    rules = _rules(root)
    try:
        body, issue = _issue_body(args)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    if args.id and not ID_PATTERN.fullmatch(args.id):
        raise UserError(f"成果编号“{args.id[:40]}”格式不正确，应形如 2025-3kq8m2va。")
    record_id = args.id or new_id(build_time().date())
    config = read_site_config(root)
    origin = f"由议题 #{issue} 的报送表单生成" if issue else "由报送表单生成"
    header = [f"yaml-language-server: $schema={config.site_url}schema/{rules.schemas.file_name('result')}",
              f"{origin}（zlhcg from-issue）。"]
    where = f"议题 #{issue}" if issue else "报送表单"
    submission = submission_from_form(body, load_form_spec(rules.schemas), rules, record_id, where, header)
    target = root / submission.file
    if submission.ok:  # a record is written only when it passes validation: never a broken one
        if target.exists() or target.parent.exists():
            raise UserError(f"{submission.file} 已存在，不会覆盖。")
        target.parent.mkdir(parents=True)
        target.write_text(submission.text, encoding="utf-8")
    if args.comment_file:
        Path(args.comment_file).write_text(render_comment(submission), encoding="utf-8")
    if args.outputs:
        title = _title(target) if submission.ok else ""
        Path(args.outputs).write_text(json.dumps({
            "ok": submission.ok, "record_id": record_id if submission.ok else None,
            "record_path": submission.file if submission.ok else None,
            "pr_title": f"成果报送：{title}（{record_id}）" if submission.ok else None, "issue": issue,
        }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(FORMATTERS["text"](list(submission.problems)))
    print(f"已生成 {submission.file}" if submission.ok else "未生成成果记录：请按以上提示修改表单。")
    return EXIT_OK if submission.ok else EXIT_INVALID


def _title(path: Path) -> str:
    data = load_mapping(load_bytes(path.read_bytes(), path.name)).data
    return data.get("title", "") if isinstance(data.get("title"), str) else ""


def cmd_issue_form(args) -> int:
    root = _root(args)
    rules = _rules(root)
    spec = load_form_spec(rules.schemas)
    text = render_issue_form(spec)
    target = root / spec.file
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            print(f"{spec.file} 与 schema 不一致，请运行 zlhcg issue-form 重新生成。")
            return EXIT_INVALID
        print(f"{spec.file} 与 schema 一致。")
        return EXIT_OK
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"已生成 {spec.file}")
    return EXIT_OK


# --- registration ----------------------------------------------------------------------------------------

def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}") from None
    if value < 1 or value > 1000:
        raise argparse.ArgumentTypeError(f"应为 1 至 1000 之间的整数：{text}")
    return value


def _roster_option(parser) -> None:
    parser.add_argument("--roster", help=f"评审专家名册（默认 {ROSTER_PATH}）")


def register(sub) -> None:
    reviewers = sub.add_parser("reviewers",
                               help="为成果推荐评审专家（回避利益冲突、均衡工作量），或检查批准是否存在利益冲突")
    reviewers.add_argument("paths", nargs="*", help="成果文件")
    _roster_option(reviewers)
    reviewers.add_argument("--count", type=_positive, default=DEFAULT_COUNT,
                           help=f"评审专家人数（默认 {DEFAULT_COUNT}）")
    reviewers.add_argument("--open-requests", help="当前未完成的评审请求：GitHub 拉取请求列表（JSON）或导出文件")
    reviewers.add_argument("--author", help="拉取请求提交者的 GitHub 账号（本人不能评审）")
    reviewers.add_argument("--check-approvals", metavar="REVIEWS_JSON",
                           help="检查评审意见（GET /repos/{o}/{r}/pulls/{n}/reviews 的结果）中是否有存在利益冲突的批准")
    reviewers.add_argument("--export", help="为导出文件中所有待分配的拉取请求制定分配方案（JSON 输出，供工作流使用）")
    reviewers.add_argument("--comment-dir", help="与 --export 合用：把专家不足的说明写到此文件夹（<编号>.md）")
    reviewers.add_argument("--format", choices=("text", "json", "github"), default="text", help="输出格式")
    reviewers.set_defaults(func=cmd_reviewers)

    experts = sub.add_parser("experts", help="评审专家：名册检查、履职情况报告、成果征集统计、逾期提醒")
    experts_sub = experts.add_subparsers(dest="experts_command", metavar="子命令", required=True)
    report = experts_sub.add_parser("report", help="专家履职情况（信誉管理）报告：Markdown 或 CSV")
    collection = experts_sub.add_parser("collection", help="成果征集情况（通报）：按设区市、报送主体类型、月度批次")
    remind = experts_sub.add_parser("remind", help="为逾期未评审的请求生成提醒评论")
    for parser in (report, collection, remind):
        parser.add_argument("--export", help=f"GitHub 导出文件（默认 {EXPORT_PATH}）")
    for parser in (report, remind):
        _roster_option(parser)
        parser.add_argument("--overdue-days", type=_positive, default=14, help="待审超过多少天算逾期（默认 14）")
    for parser in (report, collection):
        parser.add_argument("--format", choices=("markdown", "csv"), default="markdown", help="输出格式")
        parser.add_argument("--output", help="写入文件（默认输出到屏幕）")
    report.add_argument("--period", choices=PERIOD_KINDS, default="month", help="明细的统计期间（默认按月）")
    report.set_defaults(func=cmd_report)
    collection.set_defaults(func=cmd_collection)
    remind.add_argument("--every", type=_positive, default=3, help="逾期后每隔几天再提醒一次（默认 3）")
    remind.add_argument("--comment-dir", required=True, help="提醒评论写到此文件夹（<编号>.md）")
    remind.set_defaults(func=cmd_remind)
    check = experts_sub.add_parser("check", help="检查评审专家名册")
    _roster_option(check)
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="输出格式")
    check.set_defaults(func=cmd_check)

    intake = sub.add_parser("from-issue", help="把议题表单报送的内容转成成果记录并检查")
    source = intake.add_mutually_exclusive_group(required=True)
    source.add_argument("--event", help="GitHub 事件文件（工作流中的 $GITHUB_EVENT_PATH）")
    source.add_argument("--body-file", help="议题正文（表单内容）文件")
    intake.add_argument("--issue", type=int, help="议题编号（与 --body-file 合用）")
    intake.add_argument("--id", help="沿用的成果编号（修改已生成的报送时使用）")
    intake.add_argument("--comment-file", help="把回复报送人的中文检查结果（Markdown）写到此文件")
    intake.add_argument("--outputs", help="把结果（编号、路径、拉取请求标题）以 JSON 写到此文件")
    intake.set_defaults(func=cmd_from_issue)

    form = sub.add_parser("issue-form", help="根据 schema 生成成果报送表单（.github/ISSUE_TEMPLATE/submit.yml）")
    form.add_argument("--check", action="store_true", help="只检查已提交的表单是否与 schema 一致")
    form.set_defaults(func=cmd_issue_form)
