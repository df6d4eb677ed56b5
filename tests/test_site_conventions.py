"""What a provincial government site is expected to carry (国办发〔2017〕47号《政府网站发展指引》 and common
practice): the footer and the page metadata from mkdocs.yml `extra`, lang="zh-CN", titles, icons, robots.txt,
no generator tag; and what the site must not ship (Material's unused search worker, per-feed sitemaps)."""

from __future__ import annotations

import re
import struct

import pytest
import yaml

from pipeline.web.build import build_site
from tests.conftest import REPO, source_date, DEMO_BUILT_AT
from tests.factories import add_record, make_site_repo, record_data

SITE_INFO = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["site_info"]
FOOTER_LABELS = {"sponsor": "主办单位", "organizer": "承办单位", "address": "地址", "phone": "电话", "email": "邮箱",
                 "site_id_code": "网站标识码"}
FILING_HOSTS = {"icp": "beian.miit.gov.cn", "police": "beian.mps.gov.cn"}


def read(path) -> str:
    return path.read_text(encoding="utf-8")


def footer_items(html: str) -> dict[str, str]:
    """The footer's labelled items (label → text) and its filing links ("icp", "police" → link text)."""
    footer = re.search(r'<footer class="md-footer zl-footer">(.*?)</footer>', html, re.S).group(1)
    text = lambda fragment: re.sub(r"<[^>]+>", "", fragment)
    items = {label: text(value) for label, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", footer)}
    for key, host in FILING_HOSTS.items():
        found = re.search(rf'<a href="https://{host}/[^"]*"[^>]*>(.*?)</a>', footer, re.S)
        if found:
            items[key] = text(found.group(1))
    return items


def meta(html: str, name: str) -> str | None:
    found = re.search(rf'<meta name="{name}" content="([^"]*)">', html)
    return found.group(1) if found else None


def test_the_footer_shows_every_configured_item(demo_site):
    page = read(demo_site / "index.html")
    items = footer_items(page)
    for key, label in FOOTER_LABELS.items():
        assert items[label] == str(SITE_INFO[key]), key
    assert items["icp"] == SITE_INFO["icp"] and items["police"] == SITE_INFO["police"]
    assert f'code={SITE_INFO["police_code"]}' in page and "assets/zlhcg/police-badge.svg" in page
    assert "【示例】" in page  # the demo's placeholders say so
    assert "党政机关网站标识" not in page  # not configured in the demo


def test_unset_footer_items_and_metadata_vanish(tmp_path):
    repo = make_site_repo(tmp_path / "repo")
    add_record(repo, record_data())
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    kept = {"sponsor": "某某厅"}
    block = re.search(r"\n  site_info:\n(?:    .*\n|    #.*\n)+", config).group(0)
    config = config.replace(block, "\n  site_info:\n" + "".join(f"    {k}: {v}\n" for k, v in kept.items()))
    (repo / "mkdocs.yml").write_text(config, encoding="utf-8")
    with source_date(DEMO_BUILT_AT):
        site = build_site(repo, tmp_path / "out", progress=lambda _: None)

    page = read(site / "index.html")
    assert footer_items(page) == {"主办单位": "某某厅"}
    assert "beian" not in page and "【示例】" not in page and "网站标识码" not in page
    assert meta(page, "SiteIDCode") is None


def test_pages_declare_site_column_and_article(demo_site, ):
    record_page = next(p for p in sorted((demo_site / "results").glob("*/index.html")) if "zl-tombstone" not in read(p))
    record = read(record_page)
    assert meta(record, "SiteName") == "浙里好成果"
    assert meta(record, "SiteDomain") == "zlhcg.example.org"
    assert meta(record, "SiteIDCode") == SITE_INFO["site_id_code"]
    assert meta(record, "ColumnName") == "成果库" and meta(record, "ColumnType") == "信息发布"
    title = re.search(r'<h1 id="title">([^<]+)</h1>', record).group(1)
    assert meta(record, "ArticleTitle") == title
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta(record, "PubDate"))
    assert meta(record, "ContentSource") and meta(record, "Keywords") and meta(record, "Description")

    monthly = read(next((demo_site / "monthly").glob("*/index.html")))
    assert meta(monthly, "ColumnName") == "成果月报"
    home = read(demo_site / "index.html")
    assert meta(home, "ColumnName") == "首页" and meta(home, "ArticleTitle") is None


def test_language_title_and_no_generator(demo_site):
    home = read(demo_site / "index.html")
    assert '<html lang="zh-CN"' in home
    assert "<title>浙里好成果 · 浙江省重大科技成果发布平台</title>" in home
    for page in (demo_site / "index.html", demo_site / "404.html", demo_site / "stats" / "index.html"):
        assert 'name="generator"' not in read(page)
    assert re.search(r'<img src="[^"]*assets/zlhcg/logo.svg" alt="浙里好成果"', home)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_icons_share_image_and_robots(demo_site):
    assert (demo_site / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert _png_size((demo_site / "apple-touch-icon.png").read_bytes()) == (180, 180)
    assert _png_size((demo_site / "assets" / "zlhcg" / "share.png").read_bytes()) == (1200, 630)
    robots = read(demo_site / "robots.txt")
    assert "User-agent: *" in robots and "Sitemap: https://zlhcg.example.org/sitemap.xml" in robots
    home = read(demo_site / "index.html")
    assert 'href="favicon.ico"' in home and 'rel="apple-touch-icon"' in home


def test_the_share_image_carries_the_site_name():
    """The wordmark is drawn: the centre band of the image has white pixels where the name stands."""
    from PIL import Image
    import io
    from pipeline.web.brand_images import share_image
    image = Image.open(io.BytesIO(share_image((REPO / "site/assets/zlhcg/wordmark.svg").read_text(encoding="utf-8"))))
    band = image.crop((380, 250, 1150, 380)).convert("L")
    white = sum(band.histogram()[241:])
    assert 0.1 < white / (band.width * band.height) < 0.6


def test_unused_theme_files_and_feed_sitemaps_are_not_shipped(demo_site):
    assert not (demo_site / "assets" / "javascripts" / "workers").exists()
    assert not (demo_site / "assets" / "javascripts" / "lunr").exists()
    assert not list(demo_site.glob("assets/**/*.map"))
    assert not (demo_site / "feeds" / "sitemap.xml").exists()
    assert 'rel="alternate feed"' in read(demo_site / "index.html")


def test_editions_link_to_their_neighbours_and_their_feed(demo_site):
    months = sorted(p.parent.name for p in (demo_site / "monthly").glob("*/index.html")
                    if "zl-edition-nav" in read(p))
    middle = read(demo_site / "monthly" / months[1] / "index.html")
    assert re.search(rf'rel="prev" href="../../monthly/{months[0]}/"', middle)
    assert re.search(rf'rel="next" href="../../monthly/{months[2]}/"', middle)
    assert 'href="../../feeds/monthly.rss.xml"' in middle
    first = read(demo_site / "monthly" / months[0] / "index.html")
    assert 'rel="prev"' not in first.split('class="zl-edition-nav"')[1]


def test_the_tombstone_heading_says_withdrawn(demo_site):
    tombstones = [p for p in (demo_site / "results").glob("*/index.html") if "zl-tombstone" in read(p)]
    assert tombstones
    for page in tombstones:
        assert re.search(r'<h1 id="title"><span class="zl-withdrawn-mark">已撤回</span>', read(page))


def test_card_summaries_are_cut_at_a_clause_or_word_boundary():
    from pipeline.render.pages import shorten
    clauses = "研制全数字探测器模块，时间分辨率达到 210 皮秒，整机国产化率提高到 95%，已装备 30 余家医院并实现出口。"
    assert shorten(clauses, 40) == "研制全数字探测器模块，时间分辨率达到 210 皮秒，整机国产化率提高到 95%……"
    assert shorten(clauses, 30) == "研制全数字探测器模块，时间分辨率达到 210 皮秒……"
    latin = "发现界面轨道霍尔效应可以驱动斯格明子运动，成果发表于 Nature Communications 并被广泛引用"
    cut = shorten(latin, 33)
    assert cut.endswith("……") and "Natu" not in cut and not cut[:-2].endswith(" ")
    assert shorten("短句。", 40) == "短句。"


def test_browse_pages_explain_themselves_and_show_field_feeds(demo_site):
    city = read(next((demo_site / "browse" / "city").glob("*/index.html")))
    assert "完成单位中至少有一家位于" in city
    field = read(next((demo_site / "browse" / "field").glob("*/index.html")))
    shown = field.split('<div class="zl-page-feeds">', 1)[1].split("</div>", 1)[0]
    assert "/feeds/field/" in shown and ".rss.xml" in shown and ".atom.xml" in shown
