"""Charts drawn at build time as inline SVG: no JavaScript, nothing loaded from elsewhere, readable by screen
readers (role="img" with a text alternative) and printable.
"""

from __future__ import annotations

from markupsafe import Markup, escape

BAR_HEIGHT, GAP, LABEL_WIDTH, CHART_WIDTH = 22, 8, 150, 640


def horizontal_bars(title: str, items: list[tuple[str, int]], unit: str = "项") -> Markup:
    """One bar per item, labelled, longest = full width."""
    peak = max((v for _, v in items), default=0) or 1
    height = len(items) * (BAR_HEIGHT + GAP) + GAP
    span = CHART_WIDTH - LABEL_WIDTH - 60
    summary = "；".join(f"{label} {value}{unit}" for label, value in items)
    parts = [f'<svg class="zl-chart" viewBox="0 0 {CHART_WIDTH} {height}" role="img" '
             f'aria-label="{escape(title)}：{escape(summary)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(items):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = round(span * value / peak, 1)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" class="zl-chart-label">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" rx="3" class="zl-chart-bar"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 16}" class="zl-chart-value">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(title: str, items: list[tuple[str, int]], unit: str = "项") -> Markup:
    """Vertical columns, for a sequence over time (months)."""
    height, base, top = 220, 190, 20
    peak = max((v for _, v in items), default=0) or 1
    step = CHART_WIDTH / max(len(items), 1)
    summary = "；".join(f"{label} {value}{unit}" for label, value in items)
    parts = [f'<svg class="zl-chart" viewBox="0 0 {CHART_WIDTH} {height}" role="img" '
             f'aria-label="{escape(title)}：{escape(summary)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(items):
        bar = round((base - top) * value / peak, 1)
        x = round(i * step + step * 0.2, 1)
        width = round(step * 0.6, 1)
        middle = round(i * step + step / 2, 1)
        parts.append(
            f'<rect x="{x}" y="{round(base - bar, 1)}" width="{width}" height="{bar}" rx="2" class="zl-chart-bar"/>'
            f'<text x="{middle}" y="{round(base - bar - 4, 1)}" text-anchor="middle" class="zl-chart-value">{value}</text>'
            f'<text x="{middle}" y="{base + 18}" text-anchor="middle" class="zl-chart-label">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def progress(label: str, value: int, target: int) -> Markup:
    """A progress bar against a yearly target, as accessible HTML (no SVG needed)."""
    share = min(100, round(100 * value / target)) if target else 0
    return Markup(
        f'<div class="zl-progress"><div class="zl-progress-label">{escape(label)}：{value} / {target}（{share}%）</div>'
        f'<div class="zl-progress-track" role="progressbar" aria-valuemin="0" aria-valuemax="{target}" '
        f'aria-valuenow="{value}" aria-label="{escape(label)}"><div class="zl-progress-fill zl-w{share // 5 * 5}"></div></div></div>')


def bar(value: int, target: int) -> Markup:
    """A bare progress bar (the figures beside it say the numbers; hidden from screen readers)."""
    share = min(100, round(100 * value / target)) if target else 0
    return Markup(f'<span class="zl-progress-track" aria-hidden="true"><span class="zl-progress-fill zl-w{share // 5 * 5}">'
                  f'</span></span>')
