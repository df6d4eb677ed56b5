"""The 月报 as a bulletin (简报): 版头, featured achievements with 编者按 and 调研评估, 版记."""

from __future__ import annotations

from pipeline.documents.content import (Document, Item, cn_date, cn_number, demo_notice, paragraphs,
                                        public_entries, record_facts)
from pipeline.documents.settings import DocumentSettings
from pipeline.model.editions import MonthlyReport
from pipeline.model.publication import Publication

MASTHEAD = "重大科技成果月报"


def bulletin_document(report: MonthlyReport, pub: Publication, settings: DocumentSettings) -> Document:
    items = []
    for featured, record in public_entries(report.featured, pub):
        survey = f"{cn_date(featured.survey.date)}，{featured.survey.by}"
        if featured.survey.conclusion:
            survey += f"。{featured.survey.conclusion}"
        items.append(Item(f"{cn_number(len(items) + 1)}、", record.title, record_facts(record),
                          (record.summary,), (("编者按", featured.note), ("调研评估", survey)), record.id))
    colophon = ["报送：" + "，".join(report.distribution_to) + "。"]
    if report.distribution_cc:
        colophon.append("抄送：" + "，".join(report.distribution_cc) + "。")
    return Document(
        layout="bulletin", stem=f"zlhcg-{report.kind}-{report.key}",
        download_name=f"重大科技成果月报{report.year}年第{report.issue}期",
        title=report.title, date=report.published, publisher=settings.publisher,
        demo_notice=demo_notice(pub.has_demo_records), masthead=MASTHEAD,
        lines=(f"{report.year}年第{report.issue}期", f"（总第{report.serial}期）"),
        intro=paragraphs(report.body), items=tuple(items), colophon=tuple(colophon))
