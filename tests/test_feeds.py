"""Feeds: what readers see (feedparser), what is left out, and that two builds give the same bytes.

Expected values are worked out by hand from the small library below (dates: 2025-03-05 was a Wednesday,
2025-04-10 a Thursday, 2025-04-20 a Sunday, 2025-05-15 a Thursday, 2025-12-20 a Saturday).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

import feedparser
import pytest

from pipeline.kinds import all_kinds
from lxml import etree, html

from pipeline.feeds.render import feed_links, render_feeds, render_subscribe_page
from pipeline.model.records import SHANGHAI
from tests.factories import BUILT_AT, add_edition, add_record, make_repo, new_id, publication_of, record_data

SITE = "https://zlhcg.example.org/"
R1, R2, R3, R4 = new_id(1), new_id(2), new_id(3), new_id(4)
R2_TITLE = "面向大模型的可信推理芯片"
R2_SUMMARY = "研制面向大模型推理的可信芯片，能效比提升三倍，已在省内三家数据中心部署。"
EMBARGOED_TITLE = "保密期内的量子传感成果"
WITHDRAWN_TITLE = "已经撤回的成果"
IMAGE_SIZE = 48213
R2_DOI = "10.1038/s41928-025-01234-5"
FIELD_FEEDS = 24  # fields in schema/vocab/fields.yaml: 6 + 4 + 5 in "315", 9 outside


def build_library(root):
    """R1 (exemplar, 2025-03-05), R2 (AI, 2025-04-10), R3 embargoed until 2027, R4 withdrawn; a monthly report
    with a correction, a quarterly release, an annual list, and a monthly report embargoed until 2026-12-15."""
    make_repo(root)
    add_record(root, record_data(id=R1))
    add_record(root, record_data(
        id=R2, title=R2_TITLE, summary=R2_SUMMARY, highland="互联网+", field="人工智能", entered="2025-04-10",
        papers=[{"title": "A trustworthy inference chip for large models", "journal": "Nature Electronics",
                 "year": 2025, "doi": R2_DOI, "authors": "Zhang S, Li W"}],
        description="## 应用情况\n\n芯片已部署，[详见测试报告](#report)。\n\n![芯片照片](module.png)\n"))
    add_record(root, record_data(id=R3, title=EMBARGOED_TITLE, highland="互联网+", field="人工智能",
                                 entered="2025-05-01", publish_at="2027-01-01T09:00:00+08:00"))
    add_record(root, record_data(id=R4, title=WITHDRAWN_TITLE, entered="2025-05-20",
                                 withdrawn={"date": "2025-06-01", "reason": "完成单位申请撤回，经核实同意。"}))
    add_edition(root, "monthly", "2025-04", {
        "issue": 4, "serial": 4, "published": "2025-04-20", "title": "新材料与人工智能",
        "featured": [
            {"result": R1, "note": "碳化硅模块进入第二代车规认证，国产替代步伐加快。", "survey": {"date": "2025-04-10", "by": "省科技厅成果处"}},
            {"result": R2, "note": "可信推理芯片在数据中心规模部署，值得关注。", "survey": {"date": "2025-04-12", "by": "省科技厅成果处"}},
        ],
        "distribution": {"to": ["省委、省政府"]},
        "corrections": [{"date": "2025-05-02", "note": "第二项成果的编者按中部署数量有误，已更正。"}],
    }, body="本期卷首语：四月的成果聚焦新材料与人工智能。\n")
    add_edition(root, "quarterly", "2025-Q2", {
        "published": "2025-05-15", "title": "2025年第二季度“浙里好成果”发布会",
        "event": {"time": "14:30", "venue": "宁波国际会议中心", "city": "宁波市", "organiser": "浙江省科学技术厅",
                  "co_hosts": ["宁波市人民政府", "甬江实验室"]},
        "released": [{"result": R1, "presenter": "林晓峰"}],
    }, body="本场发布会聚焦先进材料。\n")
    add_edition(root, "annual", "2025", {
        "published": "2025-12-20",
        "entries": [{"result": R2, "citation": "可信推理芯片填补省内空白，为大模型安全落地提供算力底座。"},
                    {"result": R1, "citation": "车规级碳化硅模块打破国外垄断，支撑新能源汽车产业链安全。"}],
    })
    add_edition(root, "monthly", "2026-12", {
        "issue": 12, "serial": 5, "published": "2026-12-15",
        "featured": [{"result": R1, "note": "尚未发布的一期月报中的编者按。", "survey": {"date": "2026-12-01", "by": "省科技厅成果处"}}],
        "distribution": {"to": ["省委、省政府"]},
    })
    return root


def media_sizes():
    return {f"results/{R1}/module.png": IMAGE_SIZE, f"results/{R2}/module.png": IMAGE_SIZE + 1}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    return build_library(tmp_path_factory.mktemp("feeds") / "repo")


@pytest.fixture(scope="module")
def pub(library):
    return publication_of(library)


@pytest.fixture(scope="module")
def files(pub):
    return render_feeds(pub, media_sizes())


def parse(files, path):
    feed = feedparser.parse(files[path])
    assert feed.bozo == 0, (path, feed.get("bozo_exception"))
    return feed


def content_of(entry) -> str:
    return entry.content[0].value


def test_files_are_every_feed_in_all_three_formats_and_the_opml(files):
    families = ["results", *(kind.name for kind in all_kinds())]
    assert "events" in families and len(files) == 3 * (len(families) + FIELD_FEEDS) + 1
    for family in families:
        assert f"feeds/{family}.rss.xml" in files and f"feeds/{family}.atom.xml" in files
        assert f"feeds/{family}.json" in files
    assert "feeds/field/artificial-intelligence.rss.xml" in files
    assert "feeds/feeds.opml" in files


def test_every_feed_parses_cleanly_in_its_format(files):
    for path in files:
        if path.endswith(".xml"):
            assert parse(files, path).version == ("rss20" if path.endswith(".rss.xml") else "atom10"), path


def test_results_rss_lists_public_records_newest_first(files):
    feed = parse(files, "feeds/results.rss.xml")
    assert feed.feed.title == "浙里好成果 · 新入库成果"
    assert feed.feed.link == SITE
    assert feed.feed.language == "zh-CN"
    assert [e.id for e in feed.entries] == [f"{SITE}results/{R2}/", f"{SITE}results/{R1}/"]
    newest, older = feed.entries
    assert newest.title == R2_TITLE
    assert newest.link == f"{SITE}results/{R2}/"
    assert newest.published == "Thu, 10 Apr 2025 00:00:00 +0800"
    assert older.published == "Wed, 05 Mar 2025 00:00:00 +0800"
    assert feed.feed.updated == "Thu, 10 Apr 2025 00:00:00 +0800"  # the newest item, not the build time
    assert newest.summary == R2_SUMMARY
    body = content_of(newest)
    assert R2_SUMMARY in body
    assert "战略领域：互联网+ · 人工智能" in body
    assert "完成单位：甬芯半导体科技有限公司（演示）、东海大学（演示）" in body
    assert "<h3>应用情况</h3>" in body  # the record's "##" demoted one level (its "#" is h2), as on the site
    assert f'src="{SITE}results/{R2}/module.png"' in body
    assert f'href="{SITE}results/{R2}/#report"' in body  # in-page anchors made absolute


def test_results_atom_dates_ids_and_content(files):
    feed = parse(files, "feeds/results.atom.xml")
    assert feed.feed.updated == "2025-04-10T00:00:00+08:00"
    assert feed.feed.author == "浙江省科学技术厅 浙里好成果编辑部"
    first = feed.entries[0]
    assert first.id == f"{SITE}results/{R2}/"
    assert first.updated == "2025-04-10T00:00:00+08:00"
    assert first.published == "2025-04-10T00:00:00+08:00"
    assert first.content[0].type == "text/html"
    assert first.link == f"{SITE}results/{R2}/"


def test_monthly_item_has_foreword_notes_links_and_corrections(files):
    for path in ("feeds/monthly.rss.xml", "feeds/monthly.atom.xml"):
        feed = parse(files, path)
        assert len(feed.entries) == 1, path  # 2026-12 is not published yet
        entry = feed.entries[0]
        assert entry.title == "《重大科技成果月报》2025年第4期（总第4期）"
        assert entry.id == entry.link == f"{SITE}monthly/2025-04/"
        body = content_of(entry)
        assert "本期卷首语：四月的成果聚焦新材料与人工智能。" in body
        assert "碳化硅模块进入第二代车规认证，国产替代步伐加快。" in body
        assert "可信推理芯片在数据中心规模部署，值得关注。" in body
        assert f'href="{SITE}results/{R1}/"' in body and f'href="{SITE}results/{R2}/"' in body
        assert "更正说明" in body and "2025年5月2日：第二项成果的编者按中部署数量有误，已更正。" in body
    atom = parse(files, "feeds/monthly.atom.xml")
    assert atom.entries[0].published == "2025-04-20T00:00:00+08:00"
    assert atom.entries[0].updated == "2025-05-02T00:00:00+08:00"  # the correction
    assert atom.feed.updated == "2025-05-02T00:00:00+08:00"
    rss = parse(files, "feeds/monthly.rss.xml")
    assert rss.entries[0].published == "Sun, 20 Apr 2025 00:00:00 +0800"
    assert rss.feed.updated == "Fri, 02 May 2025 00:00:00 +0800"


def test_quarterly_item_has_date_venue_co_hosts_and_released(files):
    entry = parse(files, "feeds/quarterly.atom.xml").entries[0]
    assert entry.title == "2025年第二季度“浙里好成果”发布会"
    assert entry.id == f"{SITE}quarterly/2025-Q2/"
    assert entry.published == "2025-05-15T00:00:00+08:00"
    body = content_of(entry)
    for text in ("2025年5月15日 14:30", "宁波国际会议中心", "浙江省科学技术厅", "宁波市人民政府、甬江实验室",
                 "车规级碳化硅功率模块关键技术及产业化", "发布人：林晓峰", "本场发布会聚焦先进材料。"):
        assert text in body, text
    assert f'href="{SITE}results/{R1}/"' in body


def test_annual_feed_says_which_list_and_carries_everything_a_journalist_needs(files):
    feed = parse(files, "feeds/annual.rss.xml")
    assert "年度榜单" in feed.feed.title
    assert "2025年度“浙里好成果”榜单" in feed.feed.subtitle
    assert [e.id for e in feed.entries] == [f"{SITE}results/{R2}/", f"{SITE}results/{R1}/"]  # list order
    entry = feed.entries[1]
    assert entry.title == "车规级碳化硅功率模块关键技术及产业化"
    assert entry.published == "Sat, 20 Dec 2025 00:00:00 +0800"
    body = content_of(entry)
    for text in ("车规级碳化硅模块打破国外垄断，支撑新能源汽车产业链安全。", "研制出 1200V/600A 碳化硅功率模块",
                 "成果类别：技术攻关成果", "新材料 · 先进半导体材料", "甬芯半导体科技有限公司（演示）",
                 "东海大学（演示）", "2025年度“浙里好成果”榜单", f'src="{SITE}results/{R1}/module.png"'):
        assert text in body, text
    assert entry.enclosures == [{"href": f"{SITE}results/{R1}/module.png", "length": str(IMAGE_SIZE),
                                 "type": "image/png"}]


def test_annual_atom_enclosure_is_an_enclosure_link(files):
    entry = parse(files, "feeds/annual.atom.xml").entries[1]
    links = {(link["rel"], link["href"]) for link in entry.links}
    assert links == {("alternate", f"{SITE}results/{R1}/"), ("enclosure", f"{SITE}results/{R1}/module.png")}
    assert entry.enclosures[0]["length"] == str(IMAGE_SIZE)


def test_enclosure_left_out_when_the_adapter_knows_no_size(pub):
    entry = feedparser.parse(render_feeds(pub, {})["feeds/annual.rss.xml"]).entries[0]
    assert entry.enclosures == []
    assert f'src="{SITE}results/{R2}/module.png"' in content_of(entry)  # still shown in the text


def test_every_field_has_a_feed_even_when_empty(files):
    ai = parse(files, "feeds/field/artificial-intelligence.rss.xml")
    assert [e.id for e in ai.entries] == [f"{SITE}results/{R2}/"]  # R3 is embargoed
    assert ai.feed.title == "浙里好成果 · 人工智能"
    assert ai.feed.link == f"{SITE}browse/field/artificial-intelligence/"
    semiconductors = parse(files, "feeds/field/semiconductor-materials.atom.xml")
    assert [e.id for e in semiconductors.entries] == [f"{SITE}results/{R1}/"]  # R4 is withdrawn
    for path in ("feeds/field/polymers.rss.xml", "feeds/field/polymers.atom.xml"):
        empty = parse(files, path)
        assert empty.entries == []
    # An empty feed is dated by the newest public content (the annual list), not by the build.
    assert parse(files, "feeds/field/polymers.rss.xml").feed.updated == "Sat, 20 Dec 2025 00:00:00 +0800"
    assert parse(files, "feeds/field/polymers.atom.xml").feed.updated == "2025-12-20T00:00:00+08:00"


def test_two_builds_give_identical_bytes_even_at_other_times(library, files):
    again = render_feeds(publication_of(library), media_sizes())
    later = render_feeds(publication_of(library, datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI)), media_sizes())
    assert again == files
    assert set(later) == set(files)
    changed = sorted(path for path in files if later[path] != files[path])
    assert changed == []


def test_embargoed_and_withdrawn_content_is_in_no_feed(files):
    for path, data in files.items():
        text = data.decode("utf-8")
        for absent in (R3, EMBARGOED_TITLE, R4, WITHDRAWN_TITLE, "2026-12", "尚未发布的一期月报中的编者按"):
            assert absent not in text, (path, absent)


def test_embargoed_record_appears_once_its_time_has_come(library):
    after = render_feeds(publication_of(library, datetime(2027, 1, 2, tzinfo=SHANGHAI)), media_sizes())
    ids = [e.id for e in feedparser.parse(after["feeds/results.rss.xml"]).entries]
    assert ids[0] == f"{SITE}results/{R3}/"
    assert "尚未发布的一期月报中的编者按" in after["feeds/monthly.rss.xml"].decode("utf-8")


def test_guids_and_dates_survive_an_edit(tmp_path):
    root = build_library(tmp_path / "repo")
    before = feedparser.parse(render_feeds(publication_of(root), media_sizes())["feeds/results.atom.xml"])
    add_record(root, record_data(id=R1, title="车规级碳化硅功率模块关键技术及产业化（修订）"))
    after = feedparser.parse(render_feeds(publication_of(root), media_sizes())["feeds/results.atom.xml"])
    assert [(e.id, e.published) for e in after.entries] == [(e.id, e.published) for e in before.entries]
    assert after.entries[1].title.endswith("（修订）")


def test_forbidden_xml_characters_are_dropped_not_fatal(pub):
    bad = "坏\x00字\x0b符\ufffe标\ud800题\x85"
    record = dataclasses.replace(pub.record(R1), title=bad, summary="简介\x00\ud83d", description="正文\x0c\udfff。",
                                 units=(dataclasses.replace(pub.record(R1).units[0], name="单位\x01"),))
    broken = dataclasses.replace(pub, records=tuple(record if r.id == R1 else r for r in pub.records))
    files = render_feeds(broken, media_sizes())
    for path in ("feeds/results.rss.xml", "feeds/results.atom.xml", "feeds/annual.rss.xml"):
        entry = next(e for e in parse(files, path).entries if e.id.endswith(f"{R1}/"))
        assert entry.title == "坏字符标题"
    assert "正文。" in content_of(parse(files, "feeds/results.atom.xml").entries[1])


def raw_contents(data: bytes) -> list[str]:
    """The HTML of every item as written in the feed (feedparser would sanitize it again: no proof)."""
    root = etree.fromstring(data)
    paths = ("//item/description", "//item/content:encoded", "//atom:entry/atom:content", "//atom:entry/atom:summary")
    namespaces = {"content": "http://purl.org/rss/1.0/modules/content/", "atom": "http://www.w3.org/2005/Atom"}
    return [el.text or "" for path in paths for el in root.xpath(path, namespaces=namespaces)]


def test_hostile_markup_never_reaches_item_content(pub):
    hostile = ("<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n[点我](javascript:alert(1))\n\n"
               '<a href="https://example.org/" onclick="steal()">外链</a>\n')
    record = dataclasses.replace(pub.record(R1), description=hostile, title="<b>加粗</b>的标题",
                                 summary="简介<script>alert(2)</script>")
    hostile_pub = dataclasses.replace(pub, records=tuple(record if r.id == R1 else r for r in pub.records))
    files = render_feeds(hostile_pub, media_sizes())
    for path in ("feeds/results.rss.xml", "feeds/results.atom.xml", "feeds/annual.atom.xml"):
        entry = next(e for e in parse(files, path).entries if e.id.endswith(f"{R1}/"))
        assert entry.title == "加粗的标题"
        contents = raw_contents(files[path])
        assert contents and any("外链" in text for text in contents) == (path != "feeds/annual.atom.xml")
        for text in contents:
            for needle in ("<script", "onerror", "onclick", "javascript:"):
                assert needle not in text, (path, needle)
            fragment = html.fragment_fromstring(text, create_parent="div")
            assert not fragment.xpath("//script")
            assert not [a for el in fragment.iter() for a in el.attrib if a.lower().startswith("on")]


def test_opml_lists_every_feed_file_with_chinese_titles(files):
    root = etree.fromstring(files["feeds/feeds.opml"])
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == "浙里好成果 · 全部订阅源"
    outlines = root.findall(".//outline[@xmlUrl]")
    feed_files = [path for path in files if path.endswith((".xml", ".json"))]
    assert len(outlines) == len(feed_files) == 3 * (1 + len(all_kinds()) + FIELD_FEEDS)
    assert sorted(o.get("xmlUrl") for o in outlines) == sorted(SITE + path for path in feed_files)
    for outline in outlines:
        assert outline.get("type") == "rss"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in outline.get("title")), outline.get("title")
        assert outline.get("text") == outline.get("title")


def test_feed_links_per_page_kind(pub):
    def hrefs(*args):
        return [link.href for link in feed_links(pub, *args)]

    results = ["feeds/results.rss.xml", "feeds/results.atom.xml"]
    assert hrefs("home") == results
    assert hrefs("stats") == results
    assert hrefs("kind", "monthly") == results + ["feeds/monthly.rss.xml", "feeds/monthly.atom.xml"]
    assert hrefs("kind", "quarterly") == results + ["feeds/quarterly.rss.xml", "feeds/quarterly.atom.xml"]
    assert hrefs("kind", "events") == results + ["feeds/events.rss.xml", "feeds/events.atom.xml"]
    assert hrefs("kind", "annual") == results + ["feeds/annual.rss.xml", "feeds/annual.atom.xml"]
    field = ["feeds/field/artificial-intelligence.rss.xml", "feeds/field/artificial-intelligence.atom.xml"]
    assert hrefs("field", "artificial-intelligence") == results + field
    assert hrefs("field", "人工智能") == results + field
    assert hrefs("achievement", R2) == results + field
    assert hrefs("achievement", "2025-zzzzzzzz") == results
    links = feed_links(pub, "home")
    assert [link.mime for link in links] == ["application/rss+xml", "application/atom+xml"]
    assert links[0].title == "浙里好成果 · 新入库成果（RSS）"


def test_subscribe_page_lists_every_feed_and_explains_them(pub, files):
    page = render_subscribe_page(pub)
    root = html.fragment_fromstring(page, create_parent="div")
    headings = [h.text_content() for h in root.iter("h2")]
    assert "什么是订阅源" in headings and "新闻媒体如何使用年度榜单订阅源" in headings
    hrefs = {a.get("href") for a in root.iter("a")}
    assert {SITE + path for path in files} <= hrefs  # every feed and the OPML file
    assert "阅读器" in page and "enclosure" in page


def test_an_empty_library_still_gives_valid_empty_feeds(tmp_path):
    pub = publication_of(make_repo(tmp_path / "repo"))
    files = render_feeds(pub, {})
    for path in files:
        if path.endswith(".xml"):
            feed = parse(files, path)
            assert feed.entries == []
    # Nothing public to date it by: the build time (SOURCE_DATE_EPOCH in a reproducible build).
    assert parse(files, "feeds/results.atom.xml").feed.updated == BUILT_AT.isoformat()


def test_an_achievement_listed_in_two_years_keeps_unique_guids(tmp_path):
    root = build_library(tmp_path / "repo")
    add_edition(root, "annual", "2026", {
        "published": "2026-11-01",
        "entries": [{"result": R1, "citation": "连续两年入选：第二代模块实现规模化量产。"}]})
    feed = feedparser.parse(render_feeds(publication_of(root), media_sizes())["feeds/annual.rss.xml"])
    ids = [e.id for e in feed.entries]
    assert ids == [f"{SITE}results/{R1}/#annual-2026", f"{SITE}results/{R2}/", f"{SITE}results/{R1}/"]
    assert feed.entries[0].link == f"{SITE}results/{R1}/"


def test_feed_settings_mistakes_are_reported_in_chinese():
    from importlib import resources

    from pipeline.feeds.render import FeedSettingsError, parse_feed_settings

    shipped = resources.files("pipeline.feeds").joinpath("settings.yaml").read_bytes().decode("utf-8")
    assert parse_feed_settings(shipped.encode("utf-8")).limit == 50
    for broken in (shipped.replace("limit: 50", "limit: 很多"), shipped.replace("  field:", "  fields:"),
                   shipped.replace("{field}领域", "{domain}领域")):
        with pytest.raises(FeedSettingsError, match="feeds/settings.yaml 有误"):
            parse_feed_settings(broken.encode("utf-8"))
