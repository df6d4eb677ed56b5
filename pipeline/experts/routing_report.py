"""Reviewer proposals in words (for people) and in JSON (for the workflows)."""

from __future__ import annotations

from pipeline.experts.routing import SHORTFALL_LABEL, Proposal, PullPlan


def shortfall_text(proposal: Proposal) -> str:
    return (f"符合条件的评审专家只有 {len(proposal.chosen)} 位，少于所需的 {proposal.wanted} 位。"
            "系统不会推荐存在利益冲突的专家来凑足人数；请协调办公室在名册中补充相关领域的专家，或人工指定评审专家。")


def render_proposal_text(proposal: Proposal) -> str:
    lines = []
    for record in proposal.records:
        area = f"{record.field or '（战略领域未填写或无效）'}" + (f"（{record.highland}）" if record.highland else "")
        lines.append(f"成果 {record.id or '（编号未填写）'}：{record.file}")
        lines.append(f"  战略领域：{area}")
    if proposal.kept:
        lines.append("已在评审的专家：" + "、".join(f"@{h}" for h in proposal.kept))
    lines.append(f"建议评审专家（{len(proposal.chosen)} 位）：" if proposal.chosen else "没有可以推荐的评审专家。")
    for n, candidate in enumerate(proposal.chosen, 1):
        source = "本领域专家" if candidate.by_field else "同一科创高地的专家（本领域专家不足）"
        expert = candidate.expert
        lines.append(f"  {n}. @{expert.handle} {expert.name}（{expert.unit.name}）— {source}，"
                     f"当前待审 {candidate.load} 件")
    if proposal.conflicted:
        lines.append("因利益冲突回避：")
        for expert, reasons in proposal.conflicted:
            lines.append(f"  - @{expert.handle} {expert.name}：{'；'.join(reasons)}")
    if proposal.shortfall:
        lines.append("警告：" + shortfall_text(proposal))
    return "\n".join(lines)


def proposal_json(proposal: Proposal) -> dict:
    return {
        "records": [r.id or r.file for r in proposal.records],
        "reviewers": list(proposal.handles),
        "kept": list(proposal.kept),
        "shortfall": proposal.shortfall,
        "conflicted": [{"handle": e.handle, "reasons": list(r)} for e, r in proposal.conflicted],
    }


def plan_json(plan: PullPlan, labels: tuple[str, ...]) -> dict:
    shortfall = plan.proposal.shortfall if plan.proposal else 0
    needs_attention = bool(shortfall or plan.note)
    return {
        "number": plan.number,
        "request": list(plan.request),
        "shortfall": shortfall,
        "note": plan.note,
        # Comment and label once: a pull request already carrying the label has been reported.
        "report": needs_attention and SHORTFALL_LABEL not in labels,
    }


def render_shortfall_comment(plan: PullPlan) -> str:
    lines = ["<!-- zlhcg:reviewers -->", "**评审专家分配**", ""]
    if plan.note:
        lines.append(plan.note)
    if plan.proposal:
        if plan.proposal.chosen:
            lines.append("已请求以下专家评审：" + "、".join(f"@{h}" for h in plan.proposal.handles) + "。")
        lines.append(shortfall_text(plan.proposal))
    lines += ["", f"已添加标签“{SHORTFALL_LABEL}”；补足评审专家后请移除该标签。"]
    return "\n".join(lines) + "\n"
