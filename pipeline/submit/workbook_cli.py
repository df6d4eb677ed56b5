"""Commands `zlhcg workbook` (the Excel template, or records exported into it), `zlhcg import` (a filled
workbook → record files, with a report of every problem at its cell) and `zlhcg from-batch-issue`.

Only the argument definitions live here; the work is in `workbook_commands`, imported when a command runs,
so that `zlhcg validate` and the other commands do not pay for loading openpyxl.
"""

from __future__ import annotations

import importlib

TEMPLATE_NAME = "zlhcg-template.xlsx"
EXPORT_NAME = "zlhcg-records.xlsx"


def _lazy(name: str):
    def run(args) -> int:
        return getattr(importlib.import_module("pipeline.submit.workbook_commands"), name)(args)
    return run


def register(sub) -> None:
    workbook = sub.add_parser("workbook", help="生成 Excel 批量报送模板，或把已有成果导出为同样格式的表格")
    workbook.add_argument("--out", help=f"输出文件（默认 {TEMPLATE_NAME}，导出时 {EXPORT_NAME}）")
    workbook.add_argument("--from", dest="sources", nargs="+", default=[], metavar="成果文件",
                          help="导出这些成果（成果文件或其文件夹），供报送单位修改")
    workbook.add_argument("--all", action="store_true", help="导出成果库中的全部成果")
    workbook.set_defaults(func=_lazy("cmd_workbook"))

    importing = sub.add_parser("import", help="导入填好的 Excel 批量报送表，逐格检查并生成成果文件")
    importing.add_argument("workbook", help="填好的 .xlsx 文件")
    importing.add_argument("--partial", action="store_true", help="只导入没有错误的成果，列出其余成果的问题")
    importing.set_defaults(func=_lazy("cmd_import"))

    batch = sub.add_parser("from-batch-issue", help="下载“批量报送（Excel）”议题的附件，导入并生成回复（工作流使用）")
    batch.add_argument("--event", required=True, help="GitHub 事件文件（工作流中的 $GITHUB_EVENT_PATH）")
    batch.add_argument("--workbook", help="使用本地的 .xlsx 文件，不下载附件（测试用）")
    batch.add_argument("--comment-file", help="把回复报送人的中文检查结果（Markdown）写到此文件")
    batch.add_argument("--outputs", help="把生成的成果（编号、路径、拉取请求标题）以 JSON 写到此文件")
    batch.set_defaults(func=_lazy("cmd_from_batch_issue"))


