"""The ledger as the coordinating office reads it: a Markdown report and a CSV for spreadsheets."""

from __future__ import annotations

from pipeline.experts.ledger import ALL_PERIODS, Ledger, LedgerRow
from pipeline.experts.report_tables import csv_text, markdown_table

PERIOD_NAMES = {"month": "按月", "quarter": "按季度", "year": "按年"}
COLUMNS = ("请求", "完成", "谢绝", "待审", "逾期", "未审即结", "用时中位数（天）", "用时90分位（天）", "批准后撤回",
           "利益冲突违规")


def _numbers(row: LedgerRow) -> list:
    return [row.requested, row.completed, row.declined, row.pending, row.overdue, row.lapsed, row.median_days,
            row.p90_days, row.withdrawn_approvals, row.conflict_violations]


def _who(row: LedgerRow) -> list:
    return [row.handle, row.name, "是" if row.active else "否"]


def render_ledger_markdown(ledger: Ledger) -> str:
    as_of = ledger.as_of.strftime("%Y-%m-%d %H:%M")
    lines = [
        "# 评审专家履职情况（信誉管理）", "",
        f"数据截至 {as_of}（北京时间，GitHub 数据导出时间）"
        + (f"，仓库 {ledger.repository}" if ledger.repository else "") + "。",
        "",
        "- 请求：收到的评审请求数；完成：请求后提交了评审意见；谢绝：未评审即被移除请求；"
        "待审：仍在等待评审；未审即结：拉取请求关闭时仍未评审。",
        f"- 逾期：待审超过 {ledger.overdue_days} 天。用时：从收到请求到提交第一份评审意见的天数（90 分位按最近秩法）。",
        "- 批准后撤回：专家批准入库、后来被撤回的成果数；利益冲突违规：与成果存在利益冲突却作出批准的次数。",
    ]
    if not ledger.timeline_complete:
        lines.append("- 注意：部分拉取请求缺少时间线数据，其评审请求时间按拉取请求创建时间估算。")
    lines += ["", "## 汇总（全部期间）", "",
              markdown_table(("专家", "姓名", "在任", *COLUMNS), [_who(r) + _numbers(r) for r in ledger.totals])]
    lines += ["", f"## 明细（{PERIOD_NAMES[ledger.period_kind]}）", ""]
    if ledger.rows:
        lines.append(markdown_table(("期间", "专家", "姓名", "在任", *COLUMNS),
                                    [[r.period] + _who(r) + _numbers(r) for r in ledger.rows]))
    else:
        lines.append("导出数据中没有名册专家的评审记录。")
    return "\n".join(lines) + "\n"


def render_ledger_csv(ledger: Ledger) -> str:
    headers = ("期间", "GitHub账号", "姓名", "在任", *COLUMNS)
    rows = [[r.period, r.handle, r.name, "是" if r.active else "否", *_numbers(r)]
            for r in (*ledger.totals, *ledger.rows)]
    return csv_text(headers, rows)


__all__ = ["render_ledger_markdown", "render_ledger_csv", "ALL_PERIODS"]
