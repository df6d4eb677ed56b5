"""The built demo site: pages, exclusions, completeness, no third-party requests, CSP, determinism, atomicity."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from pipeline.web.build import BuildFailed, build_site
from pipeline.model.library import load_library
from pipeline.model.publication import publish
from tests.conftest import DEMO_BUILT_AT, REPO, build_demo

SITE_HOST = "zlhcg.example.org"
EMBARGO_PHRASE = "量子精密测量"


@pytest.fixture(scope="module")
def library():
    result = load_library(REPO, today=DEMO_BUILT_AT.date(), require_dates=True)
    assert result.ok, [(d.file, d.message) for d in result.diagnostics if d.is_error]
    return result.library


@pytest.fixture(scope="module")
def pub(library):
    return publish(library, DEMO_BUILT_AT, f"https://{SITE_HOST}/", "浙里好成果")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


class _Resources(HTMLParser):
    """Every URL the browser would load by itself (not links a reader may click)."""

    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and attrs.get("src"):
            self.loaded.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            rel = attrs.get("rel", "")
            (self.loaded if rel in ("stylesheet", "icon", "preload", "modulepreload", "manifest") else self.links).append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def resources(path: Path) -> _Resources:
    parser = _Resources()
    parser.feed(read(path))
    return parser


def test_layout_keeps_site_sources_tracked_and_output_separate():
    config = yaml.safe_load(read(REPO / "mkdocs.yml"))
    docs, out = (REPO / config["docs_dir"]).resolve(), (REPO / config["site_dir"]).resolve()
    assert config["docs_dir"] == "site"
    assert docs != out and docs not in out.parents and out not in docs.parents
    ignored = read(REPO / ".gitignore").split("\n")
    assert "/site" not in ignored and "site/" not in ignored and "/build/" in ignored
    assert (REPO / "site" / "submit" / "index.md").is_file()


def test_every_public_record_has_its_page_and_nothing_else_does(demo_site, pub, library):
    for record in pub.records:
        page = read(demo_site / record.url / "index.html")
        assert record.title in page and "本成果已于" not in page
    for record in pub.tombstones:
        page = read(demo_site / record.url / "index.html")
        assert "撤回" in page and record.withdrawn.reason in page and 'name="robots" content="noindex"' in page
    embargoed = [r for r in library.records if not r.is_public(DEMO_BUILT_AT)]
    assert embargoed, "the demo library has an embargoed record"
    for record in embargoed:
        assert not (demo_site / record.url).exists()


def test_embargoed_record_appears_in_no_file(demo_site, library):
    embargoed = [r for r in library.records if not r.is_public(DEMO_BUILT_AT)]
    needles = [EMBARGO_PHRASE.encode()] + [n.encode() for r in embargoed for n in (r.id, r.title)]
    for path in demo_site.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for needle in needles:
                assert needle not in content, f"{needle.decode()} leaked into {path.relative_to(demo_site)}"


def test_embargo_lifts_at_its_time(tmp_path, library):
    embargoed = next(r for r in library.records if not r.is_public(DEMO_BUILT_AT))
    later = build_demo(tmp_path / "later", embargoed.publish_at)
    assert embargoed.title in read(later / embargoed.url / "index.html")
    assert embargoed.id in read(later / "data" / "results.json")
    assert embargoed.id in read(later / "sitemap.xml")


def test_only_index_pages_are_in_the_navigation(demo_site):
    home = read(demo_site / "index.html")
    nav = re.search(r'<nav class="md-tabs".*?</nav>', home, re.DOTALL).group(0)
    assert "results/" not in nav and nav.count("<a ") <= 15


def test_nothing_is_loaded_from_another_host(demo_site):
    for path in html_pages(demo_site):
        for url in resources(path).loaded:
            host = urlparse(url).netloc
            assert host in ("", SITE_HOST), f"{path.relative_to(demo_site)} loads {url}"
    for css in demo_site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", read(css)):
            url = url.strip("'\" ")
            assert not url.startswith(("http:", "https:", "//")), f"{css.name} loads {url}"
    for pattern in ("fonts.googleapis", "fonts.gstatic", "cdn.jsdelivr", "unpkg.com", "cdnjs", "googletagmanager"):
        for path in html_pages(demo_site):
            assert pattern not in read(path)


def test_every_page_has_a_strict_content_security_policy(demo_site):
    for path in html_pages(demo_site):
        html = read(path)
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert policy, f"no CSP in {path.relative_to(demo_site)}"
        script_src = re.search(r"script-src ([^;]+)", policy.group(1)).group(1).split()
        assert script_src[0] == "'self'" and all(s.startswith("'sha256-") for s in script_src[1:])
        assert "unsafe-inline" not in policy.group(1).split("style-src")[0]


def test_sharing_metadata_on_every_page(demo_site, pub):
    for path in html_pages(demo_site):
        if path.name == "404.html":
            continue
        html = read(path)
        for needle in ('property="og:title"', 'property="og:description"', 'property="og:image"', '<link rel="canonical"'):
            assert needle in html, f"{needle} missing in {path.relative_to(demo_site)}"
    record = next(r for r in pub.records if r.lead_image)
    page = read(demo_site / record.url / "index.html")
    assert f'content="https://{SITE_HOST}/{record.url}{record.lead_image.file}"' in page


def test_open_data_matches_the_public_library(demo_site, pub):
    data = json.loads(read(demo_site / "data" / "results.json"))
    assert data["count"] == len(pub.records) and data["schema_version"] == "2.0.0"
    assert sorted(r["id"] for r in data["results"]) == sorted(r.id for r in pub.records)
    raw = (demo_site / "data" / "results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["成果编号", "成果名称"] and sorted(r[0] for r in rows[1:]) == sorted(r.id for r in pub.records)
    assert (demo_site / "schema" / "result-2.0.0.json").is_file()


def test_completeness_each_public_record_exactly_once_per_index(demo_site, pub):
    sitemap = read(demo_site / "sitemap.xml")
    field_pages = {}
    for path in (demo_site / "browse" / "field").rglob("index.html"):
        field_pages[path] = read(path)
    for record in pub.records:
        permalink = f"https://{SITE_HOST}/{record.url}"
        assert sitemap.count(f"<loc>{permalink}</loc>") == 1
        # the record's own field: exactly one card across that field's paged index
        slug = next(t.slug for t in pub.vocab.fields.terms if t.name == record.field)
        pages = [html for path, html in field_pages.items() if path.parts[-3 if path.parent.name.isdigit() else -2] == slug]
        assert sum(html.count(f'href="../../../{record.url}"') + html.count(f'href="../../../../{record.url}"')
                   for html in pages) == 1, record.id
    for record in pub.tombstones:
        assert f"https://{SITE_HOST}/{record.url}" not in sitemap


def test_completeness_in_search_index_and_feeds(demo_site, pub):
    listed = [row[0] for path in sorted((demo_site / "search" / "m").glob("*.json"))
              for row in json.loads(read(path))]
    assert sorted(listed) == sorted(r.id for r in pub.records)  # each public record exactly once
    rss = read(demo_site / "feeds" / "results.rss.xml")
    newest = sorted(pub.records, key=lambda r: (r.entered, r.id), reverse=True)[:50]
    for record in pub.records:
        guid = f"<guid isPermaLink=\"true\">https://{SITE_HOST}/{record.url}</guid>"
        assert rss.count(guid) == (1 if record in newest else 0), record.id
        slug = next(t.slug for t in pub.vocab.fields.terms if t.name == record.field)
        field_feed = read(demo_site / "feeds" / "field" / f"{slug}.rss.xml")
        assert field_feed.count(guid) == 1, (record.id, slug)
    for record in pub.tombstones:
        assert record.id not in rss and record.id not in "".join(listed)


def test_site_sources_are_tracked_by_git():
    import subprocess

    tracked = subprocess.run(["git", "ls-files", "site"], cwd=REPO, capture_output=True, text=True).stdout.split()
    assert "site/submit/index.md" in tracked and "site/about.md" in tracked
    assert any(path.startswith("site/monthly/") for path in tracked)


def test_monthly_pages_and_months_without_a_report(demo_site, pub):
    for report in pub.of_kind("monthly"):
        html = read(demo_site / report.url / "index.html")
        assert report.display_title in html and "编者按" in html and "报送：" in html
    index = read(demo_site / "monthly" / "index.html")
    assert all(report.display_title in index for report in pub.of_kind("monthly"))


def test_field_reference_lists_every_schema_field(demo_site, pub):
    from pipeline.check.schemas import iter_schema_fields

    html = read(demo_site / "submit" / "fields" / "index.html")
    for path, node, _ in iter_schema_fields(pub.schemas, "result"):
        assert f"<code>{path}</code>" in html, path


def test_demo_notice_is_visible(demo_site):
    assert "演示数据" in read(demo_site / "index.html")


def test_two_builds_are_byte_identical(demo_site, tmp_path):
    again = build_demo(tmp_path / "again")
    first = {p.relative_to(demo_site): p.read_bytes() for p in demo_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    different = [str(k) for k in first if first[k] != second[k]]
    assert not different, different[:10]


def test_a_failed_build_leaves_the_previous_site_intact(tmp_path):
    from tests.factories import add_record, make_site_repo, record_data

    repo = make_site_repo(tmp_path / "repo")
    add_record(repo, record_data())
    out = tmp_path / "out"
    build_site(repo, out, progress=lambda _: None)
    before = read(out / "index.html")
    bad = repo / "results" / "2025" / "2025-3kq8m2va" / "2025-3kq8m2va.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("level: 国际先进", "level: 宇宙第一"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build_site(repo, out, progress=lambda _: None)
    assert "宇宙第一" in str(failure.value) and "2025-3kq8m2va.yaml" in str(failure.value)
    assert read(out / "index.html") == before
    assert not list(tmp_path.glob("**/.building-*"))


def test_no_broken_internal_links(demo_site):
    from urllib.parse import unquote, urljoin

    broken = []
    for path in html_pages(demo_site):
        found = resources(path)
        page_url = "http://site/" + path.relative_to(demo_site).as_posix()
        for href in found.loaded + found.links:
            absolute = urljoin(page_url, href)
            if not absolute.startswith("http://site/"):
                continue  # another scheme or host: mailto:, tel:, https://doi.org/…
            target = unquote(absolute[len("http://site/"):].split("#")[0].split("?")[0])
            file = demo_site / target
            if target == "" or target.endswith("/"):
                file = file / "index.html"
            if not file.exists():
                broken.append(f"{path.relative_to(demo_site)} → {href}")
    assert not broken, broken[:20]


def test_the_worker_of_a_large_build_gives_the_same_site_and_leaves_no_working_folders(demo_site, tmp_path,
                                                                                        monkeypatch):
    """A large library's documents and search index are made in a second process, each writing into a folder of
    its own while the pages are written (edition pages wait for their documents' links): the site is the same,
    byte for byte, and the folders are gone when the build is done."""
    import tempfile

    from pipeline import worker

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(worker, "IN_BACKGROUND_FROM", 1)
    started = []
    monkeypatch.setattr(worker.Worker, "run", lambda self, work, *args, original=worker.Worker.run:
                        started.append(work.__name__) or original(self, work, *args))
    site = build_demo(tmp_path / "site")
    assert started == ["write_documents", "write_index"]  # documents first: edition pages wait for them
    assert list(scratch.iterdir()) == []
    expected = {p.relative_to(demo_site): p.read_bytes() for p in demo_site.rglob("*") if p.is_file()}
    built = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert built.keys() == expected.keys()
    assert [str(k) for k in expected if built[k] != expected[k]] == []
    assert any(str(k).endswith(".pdf") for k in built) and (site / "search" / "manifest.json").is_file()


def test_a_page_head_names_each_of_its_feeds_once_in_rss(demo_site, pub):
    record = pub.records[0]
    slug = next(t.slug for t in pub.vocab.fields.terms if t.name == record.field)
    head = read(demo_site / record.url / "index.html").split("</head>")[0]
    named = re.findall(r'<link rel="alternate feed" type="([^"]+)" title="[^"]*" href="([^"]+)">', head)
    assert named == [("application/rss+xml", "../../feeds/results.rss.xml"),
                     ("application/rss+xml", f"../../feeds/field/{slug}.rss.xml")]
    # The field's browse page still offers both formats to a reader, and so does the 订阅 page.
    field_page = read(demo_site / "browse" / "field" / slug / "index.html").split("</head>")[1]
    subscribe = read(demo_site / "subscribe" / "index.html")
    for text in (field_page, subscribe):
        assert f"feeds/field/{slug}.rss.xml" in text and f"feeds/field/{slug}.atom.xml" in text
