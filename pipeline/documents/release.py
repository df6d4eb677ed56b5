"""The 新闻通稿 of a release event (every `release`-shaped kind: 季度发布, 专题发布与路演): facts, then each
achievement with its presenter and a short summary."""

from __future__ import annotations

from pipeline.documents.content import (Document, Item, brief, cn_date, demo_notice, paragraphs, public_entries,
                                        record_facts)
from pipeline.documents.settings import DocumentSettings
from pipeline.model.editions import Release
from pipeline.model.publication import Publication

SUMMARY_LIMIT = 150  # a short summary: a journalist quotes it, the record page has the rest


def event_facts(release: Release) -> tuple[tuple[str, str], ...]:
    event = release.event
    facts = [("活动类型", release.type), ("主题", release.theme)] if release.type else []
    hours = f"{event.time}—{event.end_time}" if event.end_time else event.time
    facts += [("时间", f"{cn_date(release.day)} {hours}"), ("地点", f"{event.city}{event.venue}"),
              ("主办单位", event.organiser)]
    if event.co_hosts:
        facts.append(("联合主办", "、".join(event.co_hosts)))
    if event.activities:
        facts.append(("配套活动", "；".join(event.activities)))
    if release.outcomes:
        facts.append(("活动成果", "；".join(o.text for o in release.outcomes)))
    return tuple((label, value) for label, value in facts if value)


def presenter_label(release: Release) -> str:
    return "发布人" if release.kind_info.role == "released" else "推介人"


def release_document(release: Release, pub: Publication, settings: DocumentSettings) -> Document:
    label = presenter_label(release)
    items = tuple(Item(f"{n}．", record.title, record_facts(record), (brief(record.summary, SUMMARY_LIMIT),),
                       ((label, released.presenter),), record.id)
                  for n, (released, record) in enumerate(public_entries(release.released, pub), 1))
    return Document(
        layout="release", stem=f"zlhcg-{release.kind}-{release.key}-press-release",
        download_name=f"{release.display_title}-新闻通稿", title=release.display_title, date=release.published,
        publisher=settings.publisher, demo_notice=demo_notice(pub.has_demo_records), masthead="新闻通稿",
        intro=paragraphs(release.body), facts=event_facts(release), items=items,
        closing=settings.contact_lines)
