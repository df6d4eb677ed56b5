"""Charts drawn at build time as inline SVG: no JavaScript, nothing loaded from elsewhere, readable by screen
readers (role="img" with a text alternative) and printable.
"""

from __future__ import annotations

from markupsafe import Markup, escape

def _share_class(value: int, peak: int) -> str:
    """Bar widths in 5 % steps (classes zl-w0 … zl-w100 in site.css); a non-zero value is never an empty bar."""
    if not value:
        return "zl-w0"
    return f"zl-w{max(5, round(20 * value / peak) * 5)}"


def horizontal_bars(title: str, items: list[tuple[str, int]], unit: str = "项") -> Markup:
    """One bar per item, labelled, longest = full width. HTML rather than SVG: the labels are text at the
    page's own size, so they stay legible on a phone (a scaled SVG shrank them to 5 px)."""
    peak = max((v for _, v in items), default=0) or 1
    summary = "；".join(f"{label} {value}{unit}" for label, value in items)
    rows = "".join(
        f'<div class="zl-bar-row"><span class="zl-bar-label">{escape(label)}</span>'
        f'<span class="zl-bar-track"><span class="zl-bar {_share_class(value, peak)}"></span></span>'
        f'<span class="zl-bar-value">{value}</span></div>' for label, value in items)
    return Markup(f'<figure class="zl-chart"><figcaption>{escape(title)}</figcaption>'
                  f'<div class="zl-bars" role="img" aria-label="{escape(title)}：{escape(summary)}">{rows}</div></figure>')


def columns(title: str, items: list[tuple[str, int]], unit: str = "项") -> Markup:
    """A sequence over time (months): the same bars, one row per period, in order."""
    return horizontal_bars(title, items, unit)


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
