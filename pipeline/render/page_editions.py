"""Edition pages and indexes for every registered kind; a monthly-report kind also gets a page per month.

Each kind's page template is chosen by its shape (`monthly.html`, `release.html`, `list.html`); the index is
shared (`edition_index.html`), except the monthly index, which lists months.
"""

from __future__ import annotations

from itertools import groupby
from typing import Iterable, Mapping

from pipeline.kinds import EditionKind, all_kinds
from pipeline.model.editions import Edition, MonthlyReport, RankedList, Release
from pipeline.model.publication import Publication
from pipeline.model.views import PAGE_SIZE, Month, group_by_month
from pipeline.render import charts
from pipeline.render.pages import Lookups, RenderedPage, TocEntry, date_cn, edition_html, render
from pipeline.render.stats import metrics, year_figures


def _pairs(edition: Edition, pub: Publication) -> list:
    """(item, record) for each referenced record that is public (validation guarantees all are)."""
    return [(item, pub.record(item.result_id)) for item in edition.items if pub.record(item.result_id)]


def _feeds(kind_name: str) -> tuple[str, ...]:
    return ("results", f"kind:{kind_name}")


PUBLISHER = "浙江省科学技术厅"  # who issues every edition (月报 says “浙江省科学技术厅 编”)


def _article(edition: Edition) -> dict:
    """What an edition page declares as an article in its head (PubDate, ContentSource, Keywords)."""
    return {"published": edition.published, "source": PUBLISHER,
            "keywords": ("浙里好成果", edition.kind_info.label, "重大科技成果")}


def _first_image(edition: Edition, pub: Publication) -> str:
    for result_id in edition.result_ids:
        record = pub.record(result_id)
        if record and record.lead_image:
            return f"{record.url}{record.lead_image.file}"
    return ""


def render_month(month: Month, pub: Publication) -> RenderedPage:
    # A month's entries are one list on one page: past a browse page's worth they are brief cards, so a busy
    # month (830 entries a month at 100,000 records) is not a 700 KB page on a phone.
    look = Lookups(pub.vocab, brief=len(month.records) > PAGE_SIZE)
    report = month.report
    feeds = _feeds(month.kind.name)
    if report is None:
        html = render("month.html", month.url, month=month, look=look)
        return RenderedPage(month.url, f"{month.label}入库成果", html,
                            description=f"{month.label}纳入全省重大科技成果库的 {len(month.records)} 项成果。",
                            feeds=feeds, hide=("toc",))
    previous, following = pub.neighbours(report)
    html = render("monthly.html", month.url, report=report, month=month, look=look, previous=previous,
                  next=following, foreword=edition_html(report.body), featured=_pairs(report, pub))
    toc = (TocEntry("foreword", "卷首语"), TocEntry("featured", "本期成果"), TocEntry("entered", "本月入库成果"))
    titles = "、".join(record.title for _, record in _pairs(report, pub))
    return RenderedPage(month.url, report.display_title, html, description=f"本期成果：{titles}",
                        image=_first_image(report, pub), feeds=feeds, toc=toc, **_article(report))


def render_release(release: Release, pub: Publication) -> RenderedPage:
    kind = release.kind_info
    previous, following = pub.neighbours(release)
    html = render("release.html", release.url, release=release, look=Lookups(pub.vocab),
                  body=edition_html(release.body), released=_pairs(release, pub), previous=previous, next=following,
                  upcoming=release.is_upcoming(pub.built_at), items_heading="发布成果" if kind.role == "released"
                  else "推介成果", calendar=kind.calendar_file if kind.calendar else "")
    description = (f"{date_cn(release.day)}在{release.event.city}{release.event.venue}举行，"
                   f"{'发布' if kind.role == 'released' else '推介'} {len(release.items)} 项成果。")
    return RenderedPage(release.url, release.display_title, html, description=description,
                        image=_first_image(release, pub), feeds=_feeds(release.kind), hide=("toc",), **_article(release))


def render_list(ranked: RankedList, pub: Publication, targets: Mapping[str, int]) -> RenderedPage:
    previous, following = pub.neighbours(ranked)
    figures = year_figures(pub, ranked.year, dict(targets))
    html = render("list.html", ranked.url, annual=ranked, look=Lookups(pub.vocab), body=edition_html(ranked.body),
                  entries=_pairs(ranked, pub), figures=figures, metrics=metrics(), charts=charts,
                  previous=previous, next=following)
    return RenderedPage(ranked.url, ranked.display_title, html,
                        description=f"{ranked.display_title}：{len(ranked.items)} 项原创性、引领性的重大标志性成果。",
                        image=_first_image(ranked, pub), feeds=_feeds(ranked.kind),
                        toc=(TocEntry("list", "上榜成果"), TocEntry("figures", f"{ranked.year}年度数据")),
                        **_article(ranked))


def render_monthly_index(kind: EditionKind, months: list[Month]) -> RenderedPage:
    by_year = [(year, list(group)) for year, group in groupby(months, key=lambda m: m.year)]
    html = render("monthly_index.html", kind.index_url, by_year=by_year, kind=kind)
    return RenderedPage(kind.index_url, kind.label, html, description=f"《重大科技成果月报》各期目录和每月入库成果。",
                        feeds=_feeds(kind.name))


def render_edition_index(kind: EditionKind, pub: Publication) -> RenderedPage:
    upcoming = lambda e: isinstance(e, Release) and e.is_upcoming(pub.built_at)  # noqa: E731
    html = render("edition_index.html", kind.index_url, kind=kind, editions=pub.of_kind(kind.name), upcoming=upcoming)
    return RenderedPage(kind.index_url, kind.label, html, description=kind.description, feeds=_feeds(kind.name),
                        hide=("toc",))


def edition_pages(pub: Publication, targets: Mapping[str, int]) -> Iterable[RenderedPage]:
    """Every kind's index and editions, in registry order."""
    for kind in all_kinds():
        if kind.shape == "monthly-report":
            months = group_by_month(pub)
            yield render_monthly_index(kind, months)
            yield from (render_month(m, pub) for m in months)
            continue
        yield render_edition_index(kind, pub)
        for edition in pub.of_kind(kind.name):
            yield render_list(edition, pub, targets) if kind.shape == "list" else render_release(edition, pub)
