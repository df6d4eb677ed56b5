"""Achievement pages and the tombstones of withdrawn records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from pipeline.kinds import all_kinds
from pipeline.model.records import Achievement
from pipeline.render.revision_log import revision_log
from pipeline.render.pages import Lookups, RenderedPage, TocEntry, date_cn, record_html, render
from pipeline.model.publication import Publication

EVIDENCE_TITLES = {"papers": "论文佐证", "breakthrough": "技术攻关佐证", "application": "重大应用佐证"}
SECTIONS = (("summary", "成果简介"), ("details", "详细介绍"), ("innovations", "创新点"), ("evidence", ""),
            ("people", "完成单位与完成人"), ("ip", "知识产权"), ("timeline", "成果历程"), ("cite", "引用与分享"))


@dataclass(frozen=True)
class TimelineEvent:
    day: date
    kind: str
    text: str
    href: str = ""
    detail: str = ""


def timeline(record: Achievement, pub: Publication) -> list[TimelineEvent]:
    """入库 → progress → each edition the record appears in (registry order breaks ties) → evaluations."""
    events = []
    if record.entered:
        events.append(TimelineEvent(record.entered.date(), "入库", "纳入全省重大科技成果库"))
    events += [TimelineEvent(p.date, "进展", p.text) for p in record.progress]
    for edition in pub.appearances.get(record.id, ()):
        kind = edition.kind_info
        item = edition.item_for(record.id)
        presenter = getattr(item, "presenter", "")
        text = edition.display_title if kind.role in ("released", "presented") else f"入选{edition.display_title}"
        events.append(TimelineEvent(edition.published, kind.noun, text, edition.url,
                                    f"（发布人：{presenter}）" if presenter else ""))
    events += [TimelineEvent(e.date, e.type, f"{e.evaluator}：{e.conclusion}") for e in record.evaluations]
    order = {"入库": 0, "进展": 1, **{k.noun: 2 + i for i, k in enumerate(all_kinds())}}
    return sorted(events, key=lambda e: (e.day, order.get(e.kind, len(order) + 1)))


def evidence_title(record: Achievement) -> str:
    if record.application:
        return EVIDENCE_TITLES["application"]
    if record.breakthrough:
        return EVIDENCE_TITLES["breakthrough"]
    return EVIDENCE_TITLES["papers"]


def render_record(record: Achievement, pub: Publication, unit_pages: frozenset[str] | None = None) -> RenderedPage:
    """`unit_pages`: keys of the units that have a browse page (None: every unit). The HTML is rendered when
    the page is written (RenderedPage.content)."""
    toc = tuple(TocEntry(anchor, title or evidence_title(record)) for anchor, title in SECTIONS)
    image = f"{record.url}{record.lead_image.file}" if record.lead_image else ""
    return RenderedPage(record.url, record.title, partial(_record_html, record, pub, unit_pages),
                        description=record.summary, image=image,
                        feeds=("results", f"field:{Lookups(pub.vocab).slug('fields', record.field)}"), toc=toc,
                        updated=record.updated.date() if record.updated else None,
                        published=record.entered.date() if record.entered else None, source=record.submitter.name,
                        keywords=(record.field, record.highland, *record.tags))


def _record_html(record: Achievement, pub: Publication, unit_pages: frozenset[str] | None) -> str:
    return render("achievement.html", record.url, r=record, pub=pub, look=Lookups(pub.vocab), unit_pages=unit_pages,
                  description=record_html(record), timeline=timeline(record, pub),
                  evidence_title=evidence_title(record), permalink=pub.absolute(record.url),
                  revisions=revision_log(record.revisions, pub.schemas,
                                         record.entered.date() if record.entered else None))


def render_tombstone(record: Achievement) -> RenderedPage:
    html = render("tombstone.html", record.url, r=record)
    return RenderedPage(record.url, f"已撤回：{record.title}", html,
                        description=f"本成果已于{date_cn(record.withdrawn.date)}撤回。", noindex=True, hide=("toc",),
                        updated=record.withdrawn.date)
