"""`zlhcg`: the command line. Domain errors become Chinese messages and exit codes here, at the edge."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from pipeline.read.clock import ClockError, build_time
from pipeline.diagnostics import FORMATTERS, has_errors
from pipeline.errors import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, UserError, find_root  # noqa: F401
from pipeline.errors import root_from_args as _root
from pipeline.read.strictyaml import YamlRejected

def cmd_validate(args) -> int:
    from pipeline.model.library import load_library

    root = _root(args)
    only = None
    if args.paths:
        only = {Path(p).resolve().relative_to(root).as_posix() if Path(p).exists() else p for p in args.paths}
        only = _expand_folders(root, only)
    result = load_library(root, today=build_time().date(), only=only, diagnostics_only=True)
    print(FORMATTERS[args.format](result.diagnostics))
    return EXIT_INVALID if has_errors(result.diagnostics) else EXIT_OK


def _expand_folders(root: Path, paths: set[str]) -> set[str]:
    """A folder argument means every file under it."""
    expanded = set()
    for path in paths:
        full = root / path
        if full.is_dir():
            expanded.update(p.relative_to(root).as_posix() for p in full.rglob("*"))
        expanded.add(path)
    return expanded


def cmd_new(args) -> int:
    from pipeline.check.ids import new_id
    from pipeline.model.library import load_rules
    from pipeline.read.site_config import read_site_config
    from pipeline.read.sources import Layout
    from pipeline.submit.record_template import evidence_by_category, render_template

    root = _root(args)
    layout = Layout(root)
    rules = load_rules(layout, build_time().date())
    categories = evidence_by_category(rules.schemas)
    if args.category and args.category not in categories:
        raise UserError(f"不认识的成果类别“{args.category}”。可选：{'、'.join(categories)}。")
    record_id = args.id or new_id(build_time().date())
    folder = layout.record_folder(record_id)
    target = folder / f"{record_id}.yaml"
    if target.exists() or folder.exists():
        raise UserError(f"{layout.relative(folder)} 已存在，不会覆盖。请换一个编号，或直接编辑已有文件。")
    config = read_site_config(root)
    schema_url = f"{config.site_url}schema/{rules.schemas.file_name('result')}"
    folder.mkdir(parents=True)
    target.write_text(render_template(rules.schemas, record_id, schema_url, args.category), encoding="utf-8")
    print(f"已创建 {layout.relative(target)}")
    print("下一步：用文本编辑器填写该文件，把图片放进同一文件夹，然后运行 zlhcg validate 检查。")
    return EXIT_OK


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese headings, help flag and errors (its own strings are English)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：参数错误：{_translate_argparse(message)}\n使用 {self.prog} --help 查看用法。\n")


_ARGPARSE_PHRASES = (
    ("the following arguments are required", "缺少必需的参数"), ("unrecognized arguments", "无法识别的参数"),
    ("invalid choice", "无效的选项"), ("choose from", "可选"), ("expected one argument", "需要一个值"),
    ("argument", "参数"),
)


def _translate_argparse(message: str) -> str:
    for english, chinese in _ARGPARSE_PHRASES:
        message = message.replace(english, chinese)
    return message


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="zlhcg", description="浙里好成果：重大科技成果库的检查、构建与发布工具。")
    parser.add_argument("--root", help="项目根目录（默认自动查找）")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)

    validate = sub.add_parser("validate", help="检查成果记录和发布文件，列出所有问题")
    validate.add_argument("paths", nargs="*", help="只报告这些文件或文件夹的问题（默认：整个仓库）")
    validate.add_argument("--format", choices=sorted(FORMATTERS), default="text",
                          help="输出格式：text（默认，便于阅读）、github（拉取请求中的行内标注）、json（机器读取）")
    validate.set_defaults(func=cmd_validate)

    new = sub.add_parser("new", help="新建一条成果记录（自动分配编号）")
    new.add_argument("--category", help="成果类别：基础研究成果、技术攻关成果或重大应用成果")
    new.add_argument("--id", help=argparse.SUPPRESS)
    new.set_defaults(func=cmd_new)

    for module in _command_modules():
        module.register(sub)
    return parser


def _command_modules():
    """Modules that add further commands; each has `register(subparsers)`. Listed here, in --help order."""
    from pipeline.web import build
    from pipeline.review import prcheck
    from pipeline.experts import cli as experts_cli
    from pipeline.deploy import cli as deploy_cli
    from pipeline.submit import migrate, workbook_cli
    from pipeline.documents import cli as documents_cli

    return (build, documents_cli, prcheck, migrate, workbook_cli, experts_cli, deploy_cli)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except (UserError, ClockError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except YamlRejected as exc:
        print(FORMATTERS["text"]([exc.diagnostic]), file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the edge: never show a traceback to a user
        if os.environ.get("ZLHCG_DEBUG"):
            traceback.print_exc()
        print(f"程序内部错误：{type(exc).__name__}: {exc}\n这不是您填写的内容有问题。请把以上信息反馈给系统维护人员"
              "（设置环境变量 ZLHCG_DEBUG=1 可显示详细信息）。", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> None:
    """The `zlhcg` command (and `python -m pipeline`): main(), then an exit that skips freeing the interpreter's
    objects one by one. After a build the process holds the whole library: at 10,000 records the teardown took
    2 s after the last line was printed. Every file and process a command opens is closed or removed by the
    command itself; only the buffered output is left to flush."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
