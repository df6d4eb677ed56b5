"""The Chinese comment posted back on the submitter's issue.

Everything that may echo submitted text (the problem messages quote values) goes inside a fenced code block
whose fence is longer than any run of backticks in it, so GitHub renders none of it: no mentions, links,
images or HTML from a submitter can reach the comment.
"""

from __future__ import annotations

import re

from pipeline.diagnostics import Diagnostic
from pipeline.submit.intake_record import Submission

MARKER = "<!-- zlhcg:intake -->"
MAX_LISTED = 60
MAX_COMMENT_CHARS = 60_000  # GitHub refuses comments over 65,536 characters


def fenced(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _listing(problems: list[Diagnostic]) -> str:
    lines = []
    for n, d in enumerate(problems[:MAX_LISTED], 1):
        kind = "" if d.is_error else "（提醒）"
        lines.append(f"{n}. {kind}{d.message}")
        if d.hint:
            lines.append(f"   修改建议：{d.hint}")
    if len(problems) > MAX_LISTED:
        lines.append(f"……另有 {len(problems) - MAX_LISTED} 处问题未列出，请先修改以上各项。")
    return "\n".join(lines)[: MAX_COMMENT_CHARS]


def render_comment(submission: Submission) -> str:
    errors = [d for d in submission.problems if d.is_error]
    warnings = [d for d in submission.problems if not d.is_error]
    head = [MARKER, "### 成果报送检查结果", ""]
    if submission.ok:
        head.append(f"✅ 表单检查通过，已生成成果记录（成果编号 `{submission.record_id}`），"
                    "将提交协调办公室评审，评审进展会显示在关联的拉取请求中。")
        if warnings:
            head += ["", f"有 {len(warnings)} 条提醒，建议修改（不影响提交）：", "", fenced(_listing(warnings))]
    else:
        head.append(f"❌ 表单中有 {len(errors)} 处需要修改，暂未生成成果记录。")
        head += ["", fenced(_listing(errors + warnings))]
    head += ["", "如需修改，请点击本议题右上角的“…”→“Edit”（编辑），按提示修改后保存，系统会自动重新检查。"]
    return "\n".join(head) + "\n"
