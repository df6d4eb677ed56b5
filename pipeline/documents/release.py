"""The 新闻通稿 of a release event (季度发布, and kinds sharing its event fields): facts, then each achievement."""

from __future__ import annotations

from pipeline.documents.content import (Document, Item, brief, cn_date, demo_notice, paragraphs, public_entries,
                                        record_facts)
from pipeline.documents.settings import DocumentSettings
from pipeline.model.editions import QuarterlyRelease
from pipeline.model.publication import Publication

SUMMARY_LIMIT = 150  # a short summary: a journalist quotes it, the record page has the rest


def event_facts(release: QuarterlyRelease) -> tuple[tuple[str, str], ...]:
    event = release.event
    facts = [("时间", f"{cn_date(release.published)} {event.time}".strip()), ("地点", f"{event.city}{event.venue}"),
             ("主办单位", event.organiser)]
    if event.co_hosts:
        facts.append(("联合主办", "、".join(event.co_hosts)))
    if event.activities:
        facts.append(("活动内容", "；".join(event.activities)))
    return tuple(facts)


def release_document(release: QuarterlyRelease, pub: Publication, settings: DocumentSettings) -> Document:
    items = tuple(Item(f"{n}．", record.title, record_facts(record), (brief(record.summary, SUMMARY_LIMIT),),
                       (("发布人", released.presenter),), record.id)
                  for n, (released, record) in enumerate(public_entries(release.released, pub), 1))
    return Document(
        layout="release", stem=f"zlhcg-{release.kind}-{release.key}-press-release",
        download_name=f"{release.display_title}-新闻通稿", title=release.display_title, date=release.published,
        publisher=settings.publisher, demo_notice=demo_notice(pub.has_demo_records), masthead="新闻通稿",
        intro=paragraphs(release.body), facts=event_facts(release), items=items,
        closing=settings.contact_lines)
