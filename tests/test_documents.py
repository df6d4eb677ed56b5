"""Printed documents of the demo library: the 月报 bulletin (PDF, Word), the annual list, press releases and
press kits. PDFs are read back with pypdf and pdftotext, Word files with python-docx, ZIPs with zipfile.

The first two pages of the newest 月报 are rendered to PNG in test-artifacts/documents/ (pdftoppm) for a look.
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import io
import re
import shutil
import subprocess
import zipfile

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from pipeline.documents.bulletin import bulletin_document
from pipeline.documents.cache import DocumentCache
from pipeline.documents.generate import generate_documents
from pipeline.documents.pdf import DocumentEngineError, PdfEngine
from pipeline.documents.settings import DocumentSettings, PressContact
from pipeline.documents.word import render_docx
from pipeline.model.library import load_library
from pipeline.model.publication import publish
from pipeline.read.history import read_histories
from tests.conftest import DEMO_BUILT_AT, REPO, source_date

ARTIFACTS = REPO / "test-artifacts" / "documents"
PRESS = DocumentSettings(press_contact=PressContact("王编辑", "0571-87000000", "press@example.org"))


@pytest.fixture(scope="module")
def pub():
    result = load_library(REPO, today=DEMO_BUILT_AT.date(), history=read_histories(REPO), require_dates=True)
    return publish(result.library, DEMO_BUILT_AT, "https://zlhcg.example.org/", "浙里好成果")


def read_media(record, name: str) -> bytes:
    return (REPO / record.folder / name).read_bytes()


@pytest.fixture(scope="module")
def generated(pub, tmp_path_factory):
    return generate_documents(pub, PRESS, read_media, DocumentCache(tmp_path_factory.mktemp("cache")))


def pdftotext(data: bytes, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")


def page_texts(data: bytes, *options: str) -> list[str]:
    """Each page's text without white space (pdftotext's reading order, or with -layout the physical lines)."""
    return [re.sub(r"\s+", "", page) for page in pdftotext(data, *options).split("\f") if page.strip()]


def newest_bulletin(pub, generated) -> bytes:
    report = pub.of_kind("monthly")[0]
    return generated.files[f"{report.url}zlhcg-monthly-{report.key}.pdf"]


def test_every_edition_gets_its_documents_and_press_kits(pub, generated):
    for report in pub.of_kind("monthly"):
        names = [d.path.rsplit("/", 1)[1] for d in generated.downloads[report.url].documents]
        assert names == [f"zlhcg-monthly-{report.key}.pdf", f"zlhcg-monthly-{report.key}.docx"]
        assert generated.downloads[report.url].press_kit is None
    for release in pub.of_kind("quarterly"):
        assert generated.downloads[release.url].press_kit.path == \
            f"{release.url}zlhcg-quarterly-{release.key}-press-kit.zip"
    for event in pub.of_kind("events"):  # a new kind of the release shape: a press release and a press kit
        assert generated.downloads[event.url].press_kit.path.endswith(f"zlhcg-events-{event.key}-press-kit.zip")
    assert pub.of_kind("events")
    annual = pub.of_kind("annual")[0]
    labels = [d.label for d in generated.downloads[annual.url].documents]
    assert labels == ["PDF", "Word", "新闻通稿 PDF"]
    assert all(generated.files[d.path] for found in generated.downloads.values() for d in found.documents)


def test_bulletin_pdf_reads_as_the_bulletin_on_every_page(pub, generated):
    report = pub.of_kind("monthly")[0]
    data = newest_bulletin(pub, generated)
    reader = PdfReader(io.BytesIO(data))
    pages = page_texts(data)
    assert len(reader.pages) == len(pages) >= 2
    first = pages[0]
    assert first.startswith("演示数据")
    assert "重大科技成果月报" in first
    assert f"第{report.issue}期" in first and f"（总第{report.serial}期）" in first
    assert f"浙江省科学技术厅{report.published.year}年{report.published.month}月{report.published.day}日" in first
    for number, text in enumerate(pages, 1):
        assert re.findall(r"—(\d+)—", text) == [str(number)], number  # “— 1 —”, once a page
        assert "演示数据：本文件中的单位、人员和数据均为虚构" in text, number
    # The 印发 line spans the type area (publisher left, date right) with the page number under it; pdftotext's
    # column guess reads the even-page number between its two halves, so this block is read by lines.
    last = page_texts(data, "-layout")[-1]
    assert "报送：省委，省政府。" in last and "抄送：" in last
    assert f"浙江省科学技术厅{report.published.year}年{report.published.month}月{report.published.day}日印发" in last


def test_bulletin_pdf_text_is_in_reading_order(pub, generated):
    report = pub.of_kind("monthly")[0]
    text = "".join(page_texts(newest_bulletin(pub, generated)))
    titles = [pub.record(f.result_id).title for f in report.featured]
    marks = ["重大科技成果月报", f"第{report.issue}期", report.title, *titles, "报送：", "抄送：", "印发"]
    positions = [text.find(re.sub(r"\s+", "", m)) for m in marks]
    assert -1 not in positions, dict(zip(marks, positions))
    assert positions == sorted(positions)
    for featured in report.featured:  # the editor's note and the survey under each item
        assert re.sub(r"\s+", "", featured.note)[:30] in text
        assert f"调研评估：{featured.survey.date.year}年{featured.survey.date.month}月" in text


def test_page_numbers_sit_on_the_outer_side(pub, generated):
    reader = PdfReader(io.BytesIO(newest_bulletin(pub, generated)))
    width = float(reader.pages[0].mediabox.width)
    for number, page in enumerate(reader.pages[:2], 1):
        found = []
        page.extract_text(visitor_text=lambda text, cm, tm, *_: found.append(cm[4] + tm[4])
                          if text.strip() == f"— {number} —" else None)
        x = found[0]
        assert (x > width / 2) if number % 2 else (x < width / 2), (number, x)


def test_every_font_is_embedded_and_subset(generated):
    for path, data in generated.files.items():
        if not path.endswith(".pdf"):
            continue
        for page in PdfReader(io.BytesIO(data)).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
                for part in descendants:
                    descriptor = part["/FontDescriptor"].get_object()
                    assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, path
                    assert re.match(r"/[A-Z]{6}\+", str(part["/BaseFont"])), path  # a subset


def test_pdfs_are_byte_identical_across_runs(pub):
    doc = bulletin_document(pub.of_kind("monthly")[0], pub, PRESS)
    assert PdfEngine().render(doc) == PdfEngine().render(doc)


def test_bulletin_docx_has_named_styles_headings_and_distribution(pub, generated):
    report = pub.of_kind("monthly")[0]
    document = docx.Document(io.BytesIO(generated.files[f"{report.url}zlhcg-monthly-{report.key}.docx"]))
    by_style: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert by_style["月报-版头"] == ["重大科技成果月报"]
    assert by_style["月报-期号"] == [f"{report.year}年第{report.issue}期", f"（总第{report.serial}期）"]
    titles = [pub.record(f.result_id).title for f in report.featured]
    assert [t.split("、", 1)[1] for t in by_style["标题1"]] == titles
    assert any(t.startswith("编者按：") for t in by_style["正文"])
    colophon = by_style["版记"]
    assert colophon[0] == "报送：省委，省政府。" and colophon[1].startswith("抄送：")
    assert colophon[-1].endswith("印发")
    section = document.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert "演示数据" in section.header.paragraphs[0].text
    assert "PAGE" in section.footer._element.xml and "PAGE" in section.even_page_footer._element.xml
    assert document.core_properties.created.date() == report.published


def test_docx_holds_only_the_parts_a_reader_uses(pub, generated):
    """No Word 2010 copy of the styles and no thumbnail of a blank page (python-docx's template has both; they
    were a third of each file). LibreOffice Writer 7.4 laid a 月报 out the same with and without them."""
    report = pub.of_kind("monthly")[0]
    with zipfile.ZipFile(io.BytesIO(generated.files[f"{report.url}zlhcg-monthly-{report.key}.docx"])) as archive:
        names = set(archive.namelist())
        types = archive.read("[Content_Types].xml").decode("utf-8")
        relations = archive.read("word/_rels/document.xml.rels").decode("utf-8") + archive.read("_rels/.rels").decode()
    assert {"word/document.xml", "word/styles.xml", "word/footer1.xml"} <= names
    assert "word/stylesWithEffects.xml" not in names and "docProps/thumbnail.jpeg" not in names
    assert "stylesWithEffects" not in types + relations and "thumbnail" not in types + relations


def test_docx_bytes_are_deterministic(pub):
    doc = bulletin_document(pub.of_kind("monthly")[0], pub, PRESS)
    assert render_docx(doc) == render_docx(doc)


def test_annual_list_documents_carry_position_units_summary_and_reason(pub, generated):
    annual = pub.of_kind("annual")[0]
    text = "".join(page_texts(generated.files[f"{annual.url}zlhcg-annual-{annual.key}-list.pdf"]))
    for position, entry in enumerate(annual.entries, 1):
        record = pub.record(entry.result_id)
        assert f"{position}．{record.title}".replace(" ", "") in text
        assert re.sub(r"\s+", "", entry.citation)[:30] in text
    document = docx.Document(io.BytesIO(generated.files[f"{annual.url}zlhcg-annual-{annual.key}-list.docx"]))
    summaries = [p.text for p in document.paragraphs if p.style.name == "正文" and not p.text.startswith("推荐理由")]
    entries = summaries[-len(annual.entries):]
    assert all(len(s) <= 200 for s in entries)


def test_press_release_has_event_facts_presenters_and_press_contact(pub, generated):
    release = pub.of_kind("quarterly")[0]
    text = "".join(page_texts(generated.files[f"{release.url}zlhcg-quarterly-{release.key}-press-release.pdf"]))
    assert text.startswith("演示数据") and "新闻通稿" in text
    for fact in ("时间：", f"地点：{release.event.city}", f"主办单位：{release.event.organiser}", "联系人：王编辑"):
        assert fact in text, fact
    for released in release.released:
        assert f"发布人：{released.presenter}" in text


def test_event_press_release_names_type_theme_and_presenters(pub, generated):
    event = pub.of_kind("events")[0]
    text = "".join(page_texts(generated.files[f"{event.url}zlhcg-events-{event.key}-press-release.pdf"]))
    assert f"活动类型：{event.type}" in text and f"地点：{event.event.city}" in text
    assert f"时间：{event.day.year}年{event.day.month}月{event.day.day}日" in text
    for released in event.released:
        assert f"推介人：{released.presenter}" in text


def test_press_kit_lists_its_files_and_reads_back(pub, generated):
    annual = pub.of_kind("annual")[0]
    data = generated.files[generated.downloads[annual.url].press_kit.path]
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names[:4] == ["README.txt", "新闻通稿.docx", "名单.csv", "名单.xlsx"]
    records = [pub.record(e.result_id) for e in annual.entries]
    images = [f"图片/{i:02d}-{r.id}-{m.file}" for i, r in enumerate(records, 1) for m in r.media]
    assert names[4:] == [*images, "图片/图片说明.txt"]
    stored = {i.filename for i in archive.infolist() if i.compress_type == zipfile.ZIP_STORED}
    assert stored == {"新闻通稿.docx", "名单.xlsx", *images}  # compressed already; the text is deflated
    for record in records:
        for media in record.media:
            name = next(n for n in images if n.endswith(f"{record.id}-{media.file}"))
            assert archive.read(name) == read_media(record, media.file)  # full resolution, as submitted
    credits = archive.read("图片/图片说明.txt").decode("utf-8")
    assert all(m.credit in credits for r in records for m in r.media if m.credit)
    raw = archive.read("名单.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "成果编号", "成果名称"] and rows[0][-2:] == ["推荐理由", "成果网址"]
    assert [row[1] for row in rows[1:]] == [r.id for r in records]
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("名单.xlsx"))).active
    assert [[c.value or "" for c in row] for row in sheet.iter_rows()] == rows
    readme = archive.read("README.txt").decode("utf-8")
    assert "媒体联系" in readme and "press@example.org" in readme and "演示数据" in readme
    release = docx.Document(io.BytesIO(archive.read("新闻通稿.docx")))
    assert any(p.text == "新闻通稿" for p in release.paragraphs)
    assert {i.date_time for i in archive.infolist()} == {(annual.published.year, annual.published.month,
                                                          annual.published.day, 0, 0, 0)}


def test_two_generations_give_identical_bytes_and_the_second_comes_from_the_cache(pub, generated, tmp_path):
    cache = DocumentCache(tmp_path / "cache")
    fresh = generate_documents(pub, PRESS, read_media, cache)
    assert fresh.files == generated.files  # a separate cache: made afresh, same bytes
    again_cache = DocumentCache(tmp_path / "cache")
    again = generate_documents(pub, PRESS, read_media, again_cache)
    assert again.files == fresh.files
    assert again_cache.misses == 0 and again_cache.hits > 0


def test_embargoed_editions_and_records_never_appear(tmp_path):
    from tests.factories import publication_of
    from tests.test_feeds import EMBARGOED_TITLE, WITHDRAWN_TITLE, build_library
    root = build_library(tmp_path / "repo")
    small = publication_of(root)
    made = generate_documents(small, DocumentSettings(), lambda r, n: (root / r.folder / n).read_bytes(),
                              DocumentCache(None))
    assert "monthly/2026-12/" not in made.downloads  # published later than the build
    assert set(made.downloads) == {"monthly/2025-04/", "quarterly/2025-Q2/", "annual/2025/"}
    for path, data in made.files.items():
        text = pdftotext(data) if path.endswith(".pdf") else ""
        assert EMBARGOED_TITLE not in text and WITHDRAWN_TITLE not in text
        assert "尚未发布的一期月报" not in text


def test_no_demo_notice_when_the_library_is_not_demo_data(pub):
    import dataclasses
    real = dataclasses.replace(pub, records=tuple(dataclasses.replace(r, demo=False) for r in pub.records),
                               tombstones=tuple(dataclasses.replace(r, demo=False) for r in pub.tombstones))
    doc = bulletin_document(real.of_kind("monthly")[0], real, PRESS)
    assert doc.demo_notice == "" and "演示数据" not in pdftotext(PdfEngine().render(doc))


def test_settings_from_mkdocs_extra():
    assert DocumentSettings.from_extra({}) == DocumentSettings("浙江省科学技术厅", None)
    settings = DocumentSettings.from_extra({"publisher": "某市科学技术局",
                                            "press_contact": {"name": "王编辑", "email": "a@b.cn"}})
    assert settings.publisher == "某市科学技术局"
    assert settings.contact_lines == ("联系人：王编辑", "电子邮箱：a@b.cn")
    assert DocumentSettings.from_extra({"press_contact": {"phone": "1"}}).press_contact is None  # no name: unset


def test_missing_fonts_are_reported_in_chinese(pub):
    doc = bulletin_document(pub.of_kind("monthly")[0], pub, PRESS)
    with pytest.raises(DocumentEngineError, match="fonts-noto-cjk"):
        PdfEngine(font_dirs=("/nonexistent",)).render(doc)


def test_newest_bulletin_pages_as_png_artifacts(pub, generated, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "bulletin.pdf"
    source.write_bytes(newest_bulletin(pub, generated))
    shutil.copy(source, ARTIFACTS / "newest-monthly.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(source),
                    str(ARTIFACTS / "newest-monthly-page")], check=True, capture_output=True)
    pngs = sorted(p.name for p in ARTIFACTS.glob("newest-monthly-page-*.png"))
    assert pngs == ["newest-monthly-page-1.png", "newest-monthly-page-2.png"]


def test_edition_pages_link_their_documents_and_the_files_exist(demo_site, pub):
    from html import unescape
    for edition in (pub.of_kind("monthly")[0], pub.of_kind("quarterly")[0], pub.of_kind("annual")[0]):
        page = unescape((demo_site / edition.url / "index.html").read_text(encoding="utf-8"))
        block = re.search(r'<aside class="zl-downloads".*?</aside>', page, re.S).group(0)
        hrefs = re.findall(r'href="([^"]+)"', block)
        assert hrefs and all((demo_site / edition.url / href).is_file() for href in hrefs), hrefs
        assert "媒体联系" not in block  # mkdocs.yml sets no press contact
        if edition.kind != "monthly":
            assert "媒体资料包" in block and any(h.endswith("-press-kit.zip") for h in hrefs)
    monthly = (demo_site / pub.of_kind("monthly")[0].url / "index.html").read_text(encoding="utf-8")
    assert f'download="重大科技成果月报{pub.of_kind("monthly")[0].year}年第{pub.of_kind("monthly")[0].issue}期.pdf"' in monthly


def test_press_contact_block_shows_when_set(generated, pub):
    from pipeline.documents.links import downloads_html
    annual = pub.of_kind("annual")[0]
    html = downloads_html(annual.url, generated.downloads[annual.url], PRESS)
    assert "<strong>媒体联系</strong>：王编辑，电话 0571-87000000" in html
    assert 'href="mailto:press@example.org"' in html
    assert "媒体联系" not in downloads_html(annual.url, generated.downloads[annual.url], DocumentSettings())


def test_documents_command_writes_the_chosen_editions_with_chinese_names(tmp_path, capsys):
    from pipeline.cli import main
    with source_date(DEMO_BUILT_AT):
        assert main(["--root", str(REPO), "documents", "2026-10", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["重大科技成果月报2026年第5期.docx",
                                                         "重大科技成果月报2026年第5期.pdf"]
    assert (tmp_path / "重大科技成果月报2026年第5期.pdf").read_bytes().startswith(b"%PDF-")


def test_documents_command_refuses_an_unknown_edition_in_chinese(tmp_path, capsys):
    from pipeline.cli import main
    with source_date(DEMO_BUILT_AT):
        assert main(["--root", str(REPO), "documents", "2099-01", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "没有已公开的发布 2099-01" in err and "2026-10" in err and "Traceback" not in err


def test_the_shape_table_decides_which_editions_get_documents(pub, monkeypatch, tmp_path):
    """One table: dropping a shape drops its documents everywhere; a substituted builder is the one used."""
    from pipeline.documents import kinds
    from pipeline.documents.annual_list import list_document
    table = dict(kinds.DOCUMENT_SHAPES)
    del table["monthly-report"]
    table["list"] = kinds.DocumentKind(list_document)  # the list without a press release: no press kit
    monkeypatch.setattr(kinds, "DOCUMENT_SHAPES", table)
    quarterly = pub.of_kind("quarterly")[0]
    made = generate_documents(pub, PRESS, read_media, DocumentCache(None), only=frozenset({quarterly.key}))
    assert set(made.downloads) == {quarterly.url}
    chosen = frozenset({pub.of_kind("monthly")[0].key, pub.of_kind("annual")[0].key})
    made = generate_documents(pub, PRESS, read_media, DocumentCache(tmp_path), only=chosen)
    assert set(made.downloads) == {pub.of_kind("annual")[0].url}  # no monthly documents any more
    assert made.downloads[pub.of_kind("annual")[0].url].press_kit is None


def test_cache_prune_keeps_only_what_the_run_used(tmp_path):
    first = DocumentCache(tmp_path)
    first.get_or_make("aa" + "0" * 62, "pdf", lambda: b"old")
    second = DocumentCache(tmp_path)
    assert second.get_or_make("bb" + "0" * 62, "pdf", lambda: b"new") == b"new"
    assert second.prune() == 1
    assert [p.name for p in tmp_path.glob("*/*")] == ["bb" + "0" * 62 + ".pdf"]
    third = DocumentCache(tmp_path)
    assert third.get_or_make("bb" + "0" * 62, "pdf", lambda: b"other") == b"new" and third.hits == 1


def test_making_documents_with_the_collector_off_leaves_no_garbage_behind(pub):
    """The site build turns the cyclic garbage collector off while it loads and prepares (mkdocs_plugin.py);
    python-docx's objects form cycles, so each Word file must be collected as it is made, not at the end."""
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        made = generate_documents(pub, PRESS, read_media, DocumentCache(None))
        left = len(gc.get_objects()) - before
    finally:
        gc.enable()
    words = [path for path in made.files if path.endswith(".docx")]
    assert len(words) >= 3
    # About 650 here (the files and their links); without the collection about 9,000, with the lxml trees
    # behind them (about 5 MB a file).
    assert left < 100 * len(words), f"{left} objects left by {len(words)} Word files"


def test_a_press_kit_is_made_again_when_only_its_list_rows_change(pub, tmp_path):
    """The kit's cache key covers everything in it: a row of the 名单 that no document prints (say, a corrected
    summary of an achievement) still makes a new kit."""
    from pipeline.documents.generate import make_documents, plan_documents

    plan = next(p for p in plan_documents(pub, PRESS, read_media) if p.kit is not None)
    files: dict[str, bytes] = {}
    make_documents([plan], DocumentCache(tmp_path), files.__setitem__)
    rows = (plan.kit.rows[0], (*plan.kit.rows[1][:-2], "更正后的成果简介", plan.kit.rows[1][-1]), *plan.kit.rows[2:])
    changed = dataclasses.replace(plan, kit=dataclasses.replace(plan.kit, rows=rows))
    cache = DocumentCache(tmp_path)
    again: dict[str, bytes] = {}
    make_documents([changed], cache, again.__setitem__)
    assert cache.misses == 1 and again[plan.kit_path] != files[plan.kit_path]  # the kit only; documents hit
    with zipfile.ZipFile(io.BytesIO(again[plan.kit_path])) as archive:
        assert "更正后的成果简介" in archive.read("名单.csv").decode("utf-8-sig")
