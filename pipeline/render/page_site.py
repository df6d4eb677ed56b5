"""Site-wide pages: home, statistics, the field reference and the open-data page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pipeline.render import charts
from pipeline.kinds import all_kinds
from pipeline.render.exports import published_schemas
from pipeline.render.pages import Lookups, RenderedPage, render
from pipeline.model.publication import Publication
from pipeline.check.schemas import iter_schema_fields
from pipeline.render.stats import metrics, year_figures, years_of
from pipeline.submit.record_template import evidence_by_category
from pipeline.model.views import Facet, monthly_kind

NEWEST_ON_HOME = 8


@dataclass(frozen=True)
class EditionCard:
    """The newest edition of a kind on the home page: what it is, when, how many records, an image."""

    kind: str
    title: str
    url: str
    day: date
    count: int
    image: str  # site path of the card's small image (drawn at build from `image_source`), or ""
    image_source: str  # repository path of the record image it is made from
    items: tuple


CARD_IMAGE_WIDTH = 360  # the home page's edition cards are about 260 (desktop) to 340 (phone) px wide


def _edition_card(label: str, edition, pub: Publication, items: int = 3) -> EditionCard:
    records = [r for r in (pub.record(i) for i in edition.result_ids) if r is not None]
    with_image = next((r for r in records if r.lead_image), None)
    image = source = ""
    if with_image:
        image = f"{with_image.url}card-{with_image.lead_image.file.rsplit('.', 1)[0]}.jpg"
        source = f"{with_image.folder}/{with_image.lead_image.file}"
    return EditionCard(label, edition.display_title, edition.url, edition.published, len(records), image, source,
                       tuple(records[:items]))


def edition_cards(pub: Publication) -> list[EditionCard]:
    """The newest edition of every registered kind, in the registry's order."""
    return [_edition_card(kind.label, editions[0], pub) for kind in all_kinds()
            if (editions := pub.of_kind(kind.name))]


def render_home(pub: Publication, facets: dict[str, list[Facet]], targets: dict[str, int]) -> RenderedPage:
    look = Lookups(pub.vocab)
    highlands = [(h, [f for f in facets["field"] if f.parent == h.label]) for h in facets["highland"]]
    figures = year_figures(pub, pub.built_at.year, targets)
    # Until this year's list is out, the flagship figure is the newest list's (a year's list comes the next year).
    lists = [e for k in all_kinds() if k.shape == "list" for e in pub.of_kind(k.name)]
    newest_list_year = max((e.year for e in lists), default=figures.year)
    listed = figures if figures.total.flagship else year_figures(pub, newest_list_year, targets)
    html = render(
        "home.html", "", look=look, total=len(pub.records), newest=pub.records[:NEWEST_ON_HOME],
        figures=figures, listed=listed, charts=charts, edition_cards=edition_cards(pub), kinds=all_kinds(),
        highlands=highlands, months_url=monthly_kind().index_url if monthly_kind() else "",
    )
    return RenderedPage("", pub.site_name, html,
                        description="浙江省重大科技成果发布平台：成果月报、季度发布、年度榜单和全省重大科技成果库。",
                        feeds=("results", *(f"kind:{k.name}" for k in all_kinds())), hide=("toc", "navigation"))


def render_stats(pub: Publication, targets: dict[str, int], has_collection: bool) -> RenderedPage:
    years = [year_figures(pub, y, targets) for y in years_of(pub)]
    city_bars = {f.year: [(row.label, row.tally.entered) for row in f.by_city if row.label != "省外"] for f in years}
    month_bars = {f.year: [(row.label, row.tally.entered) for row in f.by_month] for f in years}
    html = render("stats.html", "stats/", years=years, metrics=metrics(), charts=charts, city_bars=city_bars,
                  month_bars=month_bars, collection=has_collection)
    return RenderedPage("stats/", "统计通报", html, description="重大科技成果征集和发布情况的统计通报。", feeds=("results",))


@dataclass(frozen=True)
class FieldRow:
    path: str
    title: str
    description: str
    required: bool
    options: tuple[str, ...]
    note: str

    @property
    def anchor(self) -> str:
        return self.path.replace("[]", "").replace(".", "-")


def field_rows(pub: Publication) -> list[FieldRow]:
    rows = []
    for path, node, required in iter_schema_fields(pub.schemas, "result"):
        options = tuple(node.get("enum") or node.get("items", {}).get("enum") or ())
        note = "；".join(filter(None, [
            f"格式：{node['format']}" if node.get("format") else "",
            f"最多 {node['maxLength']} 字" if node.get("maxLength") else "",
        ]))
        rows.append(FieldRow(path, node.get("title", ""), node.get("description", ""), required, options, note))
    return rows


def render_field_reference(pub: Publication) -> RenderedPage:
    html = render("fieldref.html", "submit/fields/", fields=field_rows(pub), version=pub.schemas.version("result"),
                  schema_file=pub.schemas.file_name("result"), evidence=sorted(evidence_by_category(pub.schemas).items()),
                  changelog=pub.schemas.documents["result"].get("x-changelog", ()))
    return RenderedPage("submit/fields/", "字段说明", html, description="成果记录各字段的名称、说明、是否必填和可选值。",
                        hide=("toc",))


def schema_titles() -> dict[str, str]:
    return {"result": "成果记录", **{kind.schema: kind.label for kind in all_kinds()}, "common": "共用定义"}


def render_data_page(pub: Publication) -> RenderedPage:
    titles = schema_titles()
    files = [(titles[kind], pub.schemas.file_name(kind)) for kind in published_schemas()]
    html = render("data.html", "data/", total=len(pub.records), version=pub.schemas.version("result"), schema_files=files)
    return RenderedPage("data/", "开放数据", html, description="全省重大科技成果库的 JSON 和 CSV 开放数据。", hide=("toc",))
