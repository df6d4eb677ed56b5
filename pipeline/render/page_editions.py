"""Edition pages (月报, 季度发布, 年度榜单), months without a report, and the three edition indexes."""

from __future__ import annotations

from itertools import groupby

from pipeline.render import charts
from pipeline.model.editions import AnnualList, Edition, QuarterlyRelease
from pipeline.render.pages import Lookups, RenderedPage, TocEntry, edition_html, render
from pipeline.model.publication import Publication
from pipeline.render.stats import METRICS, year_figures
from pipeline.model.views import Month


def _pairs(edition: Edition, items, pub: Publication) -> list:
    """(item, record) for each referenced record that is public (validation guarantees all are)."""
    return [(item, pub.record(item.result_id)) for item in items if pub.record(item.result_id)]


def render_month(month: Month, pub: Publication) -> RenderedPage:
    look = Lookups(pub.vocab)
    report = month.report
    if report is None:
        html = render("month.html", month.url, month=month, look=look)
        return RenderedPage(month.url, f"{month.label}入库成果", html,
                            description=f"{month.label}纳入全省重大科技成果库的 {len(month.records)} 项成果。",
                            feeds=("results", "monthly"), hide=("toc",))
    html = render("monthly.html", month.url, report=report, month=month, look=look,
                  foreword=edition_html(report.body), featured=_pairs(report, report.featured, pub))
    toc = (TocEntry("foreword", "卷首语"), TocEntry("featured", "本期成果"), TocEntry("entered", "本月入库成果"))
    titles = "、".join(pub.record(f.result_id).title for f in report.featured if pub.record(f.result_id))
    return RenderedPage(month.url, report.display_title, html, description=f"本期成果：{titles}",
                        image=_first_image(report, pub), feeds=("results", "monthly"), toc=toc)


def render_quarterly(release: QuarterlyRelease, pub: Publication) -> RenderedPage:
    html = render("quarterly.html", release.url, release=release, look=Lookups(pub.vocab),
                  body=edition_html(release.body), released=_pairs(release, release.released, pub))
    description = f"{release.published.isoformat()} 在{release.event.city}{release.event.venue}举行，发布 {len(release.released)} 项成果。"
    return RenderedPage(release.url, release.display_title, html, description=description,
                        image=_first_image(release, pub), feeds=("results", "quarterly"), hide=("toc",))


def render_annual(annual: AnnualList, pub: Publication, targets: dict[str, int]) -> RenderedPage:
    html = render("annual.html", annual.url, annual=annual, look=Lookups(pub.vocab), body=edition_html(annual.body),
                  entries=_pairs(annual, annual.entries, pub), figures=year_figures(pub, annual.year, targets),
                  metrics=METRICS, charts=charts)
    return RenderedPage(annual.url, annual.display_title, html,
                        description=f"{annual.display_title}：{len(annual.entries)} 项原创性、引领性的重大标志性成果。",
                        image=_first_image(annual, pub), feeds=("results", "annual"),
                        toc=(TocEntry("list", "上榜成果"), TocEntry("figures", f"{annual.year}年度数据")))


def _first_image(edition: Edition, pub: Publication) -> str:
    for result_id in edition.result_ids:
        record = pub.record(result_id)
        if record and record.lead_image:
            return f"{record.url}{record.lead_image.file}"
    return ""


def render_monthly_index(months: list[Month]) -> RenderedPage:
    by_year = [(year, list(group)) for year, group in groupby(months, key=lambda m: m.year)]
    html = render("monthly_index.html", "monthly/", by_year=by_year)
    return RenderedPage("monthly/", "成果月报", html, description="《重大科技成果月报》各期目录和每月入库成果。",
                        feeds=("results", "monthly"))


def render_quarterly_index(pub: Publication) -> RenderedPage:
    html = render("quarterly_index.html", "quarterly/", releases=pub.quarterly)
    return RenderedPage("quarterly/", "季度发布", html, description="“浙里好成果”季度发布活动。",
                        feeds=("results", "quarterly"), hide=("toc",))


def render_annual_index(pub: Publication) -> RenderedPage:
    html = render("annual_index.html", "annual/", lists=pub.annual)
    return RenderedPage("annual/", "年度榜单", html, description="“浙里好成果”年度榜单。",
                        feeds=("results", "annual"), hide=("toc",))
