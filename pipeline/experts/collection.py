"""The collection side of the 通报: how many achievements each city and each kind of submitter sent in, per
monthly batch, and what became of them.

A submission is a record file that a pull request adds. It is accepted when the pull request was merged,
declined when it was closed unmerged, pending while it is open. A record id submitted in several pull
requests (a resubmission) counts once: accepted if any was merged, else pending if any is open, else declined,
dated by the first. The work plan asks units to report "by the 10th of each month", so a submission made up
to the end of the 10th (Beijing time) belongs to that month's batch and a later one to the next month's.

City and submitter type come from the record as the pull request proposed it (the export carries the file
contents), because declined and pending submissions never reach the main branch. Values outside the
vocabularies are counted under "未注明" so nothing a submitter typed ever reaches the public page.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable

from pipeline.model.records import SHANGHAI
from pipeline.check.vocab import Vocabularies
from pipeline.experts.github_data import GithubExport, load_export
from pipeline.experts.record_facts import RECORD_FILE
from pipeline.experts.report_tables import csv_text, markdown_table

EXPORT_PATH = ".github/data/github-export.json"
BATCH_DAY = 10
UNKNOWN = "未注明"
OUTCOMES = ("accepted", "declined", "pending")
OUTCOME_NAMES = {"submitted": "报送", "accepted": "已入库", "declined": "未通过", "pending": "审核中"}
UNITS_ONLY_CITY = "省外"  # a completing unit's city, never a submitter's; listed only if someone used it


@dataclass(frozen=True)
class Submission:
    record_id: str
    city: str
    submitter_type: str
    batch: str  # YYYY-MM
    outcome: str


@dataclass(frozen=True)
class Counts:
    accepted: int = 0
    declined: int = 0
    pending: int = 0

    @property
    def submitted(self) -> int:
        return self.accepted + self.declined + self.pending


@dataclass(frozen=True)
class CollectionStats:
    as_of: datetime | None
    by_city: tuple[tuple[str, Counts], ...]
    by_submitter_type: tuple[tuple[str, Counts], ...]
    by_batch: tuple[tuple[str, Counts], ...]
    total: Counts


def batch_of(moment: datetime) -> str:
    local = moment.astimezone(SHANGHAI)
    year, month = local.year, local.month
    if local.day > BATCH_DAY:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year}-{month:02d}"


def submissions(export: GithubExport, vocab: Vocabularies) -> list[Submission]:
    seen: dict[str, list] = {}
    for pull in export.pulls:
        for snapshot in pull.new_records:
            record_id = RECORD_FILE.fullmatch(snapshot.path).group("id")
            facts = snapshot.facts
            city = facts.submitter_city if facts and vocab["cities"].get(facts.submitter_city) else UNKNOWN
            kind = facts.submitter_type if facts and vocab["submitter_types"].get(facts.submitter_type) else UNKNOWN
            seen.setdefault(record_id, []).append((pull.created_at, city, kind, pull.outcome))
    found = []
    for record_id, attempts in sorted(seen.items()):
        attempts.sort()
        outcomes = {a[3] for a in attempts}
        outcome = next(o for o in ("accepted", "pending", "declined") if o in outcomes)
        first, city, kind, _ = attempts[0]
        found.append(Submission(record_id, city, kind, batch_of(first), outcome))
    return found


def _count(items: Iterable[Submission]) -> Counts:
    tally = Counter(s.outcome for s in items)
    return Counts(tally["accepted"], tally["declined"], tally["pending"])


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    months = []
    while f"{year}-{month:02d}" <= last:
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def collection_stats(export: GithubExport, vocab: Vocabularies) -> CollectionStats:
    found = submissions(export, vocab)
    cities = [c for c in vocab["cities"].names if c != UNITS_ONLY_CITY or any(s.city == c for s in found)]
    kinds = vocab["submitter_types"].names
    extra = [UNKNOWN] if any(s.city == UNKNOWN for s in found) else []
    extra_kind = [UNKNOWN] if any(s.submitter_type == UNKNOWN for s in found) else []
    batches = _months(min(s.batch for s in found), max(s.batch for s in found)) if found else []
    return CollectionStats(
        as_of=export.exported_at,
        by_city=tuple((c, _count(s for s in found if s.city == c)) for c in cities + extra),
        by_submitter_type=tuple((k, _count(s for s in found if s.submitter_type == k)) for k in kinds + extra_kind),
        by_batch=tuple((b, _count(s for s in found if s.batch == b)) for b in batches),
        total=_count(found),
    )


def load_collection_export(path: Path, vocab: Vocabularies) -> CollectionStats | None:
    """The statistics from an export file, or None when there is no export (the site then has no such page).
    Raises github_data.ExportError when the file exists but is not a valid export."""
    if not Path(path).is_file():
        return None
    return collection_stats(load_export(Path(path), vocab), vocab)


# --- rendering ----------------------------------------------------------------------------------------------

def batch_name(batch: str) -> str:
    year, month = batch.split("-")
    return f"{year}年{int(month)}月批次"


def _sections(stats: CollectionStats) -> list[tuple[str, str, list[tuple[str, Counts]]]]:
    return [
        ("按设区市", "设区市", list(stats.by_city)),
        ("按报送主体类型", "报送主体类型", list(stats.by_submitter_type)),
        ("按月度批次", "批次", [(batch_name(b), c) for b, c in stats.by_batch]),
    ]


def _numbers(counts: Counts) -> list[int]:
    return [counts.submitted, counts.accepted, counts.declined, counts.pending]


HEADERS = tuple(OUTCOME_NAMES[k] for k in ("submitted", *OUTCOMES))
EXPLANATION = (f"每月 {BATCH_DAY} 日（含，北京时间）前提交的成果计入当月批次，之后提交的计入下月批次。"
               "已入库：拉取请求已合并；未通过：拉取请求已关闭而未合并；审核中：尚在评审。同一成果多次提交只计一次。")


def _as_of(stats: CollectionStats) -> str:
    return stats.as_of.strftime("%Y年%m月%d日 %H:%M") if stats.as_of else "（导出时间不详）"


def render_collection_markdown(stats: CollectionStats) -> str:
    lines = ["# 重大科技成果征集情况", "", f"数据截至 {_as_of(stats)}（北京时间）。{EXPLANATION}", ""]
    for title, key, rows in _sections(stats):
        body = [[name, *_numbers(c)] for name, c in rows] + [["合计", *_numbers(stats.total)]]
        lines += [f"## {title}", "", markdown_table((key, *HEADERS), body), ""]
    return "\n".join(lines)


def render_collection_csv(stats: CollectionStats) -> str:
    rows = [[key, name, *_numbers(c)] for _, key, items in _sections(stats) for name, c in items]
    rows.append(["合计", "合计", *_numbers(stats.total)])
    return csv_text(("维度", "名称", *HEADERS), rows)


def _html_table(caption: str, key: str, rows: list[tuple[str, Counts]], total: Counts) -> list[str]:
    esc = html.escape
    out = ['<table class="zlhcg-collection-table">', f"<caption>{esc(caption)}</caption>",
           "<thead><tr>" + f'<th scope="col">{esc(key)}</th>' + "".join(f'<th scope="col">{h}</th>' for h in HEADERS)
           + "</tr></thead>", "<tbody>"]
    for name, counts in rows:
        out.append(f'<tr><th scope="row">{esc(name)}</th>' + "".join(f"<td>{n}</td>" for n in _numbers(counts))
                   + "</tr>")
    out += ["</tbody>", '<tfoot><tr><th scope="row">合计</th>'
            + "".join(f"<td>{n}</td>" for n in _numbers(total)) + "</tr></tfoot>", "</table>"]
    return out


def render_collection_page(stats: CollectionStats) -> str:
    """The public page's HTML fragment: counts only, never a title, unit or person of any submission."""
    parts = ['<div class="zlhcg-collection">',
             f"<p>统计截至 {html.escape(_as_of(stats))}（北京时间）。{html.escape(EXPLANATION)}</p>"]
    for title, key, rows in _sections(stats):
        parts.append(f"<h2>{html.escape(title)}</h2>")
        if rows:
            parts += _html_table(f"{title}统计的成果征集数量", key, rows, stats.total)
        else:
            parts.append("<p>暂无数据。</p>")
    parts.append("</div>")
    return "\n".join(parts) + "\n"
