"""A ranked list (the 年度榜单) as a printable list: position, title, units, a 100–200 字 summary, the recommendation reason."""

from __future__ import annotations

from dataclasses import replace

from pipeline.documents.content import (Document, Item, brief, cn_date, demo_notice, paragraphs, public_entries,
                                        units_line)
from pipeline.documents.settings import DocumentSettings
from pipeline.model.editions import RankedList
from pipeline.model.publication import Publication

SUMMARY_LIMIT = 200  # the list prints 100–200 字 per entry
RELEASE_SUMMARY_LIMIT = 120


def list_document(annual: RankedList, pub: Publication, settings: DocumentSettings) -> Document:
    items = tuple(Item(f"{n}．", record.title, (f"类别：{record.category}　领域：{record.field}", units_line(record)),
                       (brief(record.summary, SUMMARY_LIMIT),), (("推荐理由", entry.citation),), record.id)
                  for n, (entry, record) in enumerate(public_entries(annual.entries, pub), 1))
    return Document(
        layout="list", stem=f"zlhcg-{annual.kind}-{annual.key}-list", download_name=annual.display_title,
        title=annual.display_title, date=annual.published, publisher=settings.publisher,
        demo_notice=demo_notice(pub.has_demo_records), masthead=annual.display_title,
        intro=paragraphs(annual.body), items=items)


def annual_press_release(annual: RankedList, pub: Publication, settings: DocumentSettings) -> Document:
    """The list's 新闻通稿 for the press kit: the announcement, then each entry briefly with its reason."""
    listed = list_document(annual, pub, settings)
    items = tuple(replace(item, facts=item.facts[1:], summary=(brief(item.summary[0], RELEASE_SUMMARY_LIMIT),))
                  for item in listed.items)
    facts = (("发布时间", cn_date(annual.published)), ("发布单位", settings.publisher),
             ("上榜成果", f"{len(items)} 项"))
    return replace(listed, layout="release", stem=f"zlhcg-{annual.kind}-{annual.key}-press-release",
                   download_name=f"{annual.display_title}-新闻通稿", masthead="新闻通稿", facts=facts, items=items,
                   closing=settings.contact_lines)
