"""Word (.docx) through python-docx: the same documents with named paragraph styles, so that editors can
restyle them in WPS or Word (change 正文 once, every body paragraph follows) before the 月报 is sent.

Fonts are named as Chinese offices have them (仿宋 for the body, 宋体 bold for titles, 黑体 for labels);
Word and WPS substitute when one is missing. Page set-up follows GB/T 9704-2012 like the PDF. Bytes are
deterministic: core properties carry the edition date, the ZIP is re-packed with fixed timestamps.
"""

from __future__ import annotations

import io
from datetime import datetime, time, timezone
from functools import lru_cache

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from pipeline.documents.content import Document, Item
from pipeline.documents.stable_zip import repack

RED = RGBColor(0xE6, 0x00, 0x12)
BODY_FONT, TITLE_FONT = "仿宋", "宋体"
# Named styles: (name, size pt, bold, red, centred, first-line indent in characters, east-Asian font).
STYLES = (
    ("月报-版头", 40, True, True, True, 0, TITLE_FONT),
    ("月报-期号", 16, False, False, True, 0, BODY_FONT),
    ("月报-编印", 16, False, False, False, 0, BODY_FONT),
    ("演示提示", 10.5, True, True, True, 0, TITLE_FONT),
    ("文件标题", 22, True, False, True, 0, TITLE_FONT),
    ("标题1", 16, True, False, False, 0, TITLE_FONT),
    ("成果信息", 14, False, False, False, 0, BODY_FONT),
    ("正文", 16, False, False, False, 2, BODY_FONT),
    ("版记", 14, False, False, False, 0, BODY_FONT),
    ("页码", 14, False, False, False, 0, TITLE_FONT),
)


def _add_styles(document) -> None:
    for name, size, bold, red, centred, indent, font in STYLES:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.size, style.font.bold, style.font.name = Pt(size), bold, font
        style.element.rPr.rFonts.set(qn("w:eastAsia"), font)
        if red:
            style.font.color.rgb = RED
        fmt = style.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Pt(size * indent) if indent else None
        fmt.space_before, fmt.space_after = Pt(0), Pt(0)
        fmt.line_spacing = Pt(28) if 14 <= size < 20 else None  # 固定值 28 磅: GB/T 9704's 22 lines a page
    document.styles["标题1"].paragraph_format.space_before = Pt(12)
    document.styles["标题1"].paragraph_format.keep_with_next = True


def _paragraph(document, text: str, style: str):
    """`document.add_paragraph(text, style=style)` for one of our styles, whose style id is its name (python-docx
    derives the id from a name without spaces). Setting the id directly skips python-docx's lookup, which scans
    every style of the document for each paragraph: two thirds of the time a 月报 took."""
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().style = style
    return paragraph


def _border(paragraph, side: str, size_eighths: int, color: str = "000000") -> None:
    """A paragraph rule (w:pBdr), e.g. the red rule under the 版头 or the 版记's lines."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(size_eighths)), ("space", "4"), ("color", color)):
        edge.set(qn(f"w:{key}"), value)
    borders.append(edge)


def _page_field(paragraph) -> None:
    """“— PAGE —” as a field, so Word and WPS number the pages themselves."""
    paragraph.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    paragraph.add_run(" —")


def _page_setup(document, doc: Document) -> None:
    """A4, 天头 37 mm, 订口 28 mm (mirrored for double-sided printing), page numbers outside, demo notice."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    section.header_distance = Mm(20)
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["页码"]
        paragraph.alignment = align
        _page_field(paragraph)
    for header in (section.header, section.even_page_header):
        paragraph = header.paragraphs[0]
        paragraph.style = document.styles["演示提示"]
        if doc.demo_notice:
            paragraph.add_run(doc.demo_notice)


def _labelled(document, label: str, body: str) -> None:
    paragraph = _paragraph(document, "", "正文")
    paragraph.add_run(f"{label}：").bold = True
    paragraph.add_run(body)


def _item(document, item: Item) -> None:
    _paragraph(document, item.number + item.title, "标题1")
    for line in item.facts:
        _paragraph(document, line, "成果信息")
    for text in item.summary:
        _paragraph(document, text, "正文")
    for label, body in item.notes:
        _labelled(document, label, body)


def _head(document, doc: Document) -> None:
    if doc.layout == "bulletin":
        _paragraph(document, doc.masthead, "月报-版头")
        for line in doc.lines:
            _paragraph(document, line, "月报-期号")
    else:
        _paragraph(document, doc.masthead, "月报-版头").runs[0].font.size = Pt(26)
        if doc.title != doc.masthead:
            _paragraph(document, doc.title, "文件标题")
    issuer = _paragraph(document, "", "月报-编印")
    issuer.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)  # the type area's right edge
    issuer.add_run(f"{doc.publisher}\t{doc.date_text}")
    _border(issuer, "bottom", 18, "E60012")
    if doc.layout == "bulletin" and doc.title:
        _paragraph(document, doc.title, "文件标题")


def _colophon(document, doc: Document) -> None:
    """版记: rows between rules, then the 印发 line."""
    rows = [*doc.colophon, f"{doc.publisher}\t{doc.date_text}印发"]
    for i, row in enumerate(rows):
        paragraph = _paragraph(document, row, "版记")
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(150), WD_TAB_ALIGNMENT.RIGHT)
        paragraph.paragraph_format.left_indent = Pt(14)
        paragraph.paragraph_format.keep_with_next = i < len(rows) - 1
        if i == 0:
            paragraph.paragraph_format.space_before = Pt(24)
            _border(paragraph, "top", 8)
        _border(paragraph, "bottom", 8 if i == len(rows) - 1 else 4)


# Parts of python-docx's template that no reader needs: Word 2010's copy of the styles (later Word, WPS and
# LibreOffice read styles.xml; it was a third of every file) and a thumbnail of a blank page.
UNNEEDED_PARTS = ("http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects", RT.THUMBNAIL)


@lru_cache(maxsize=1)
def _styled_blank() -> bytes:
    """An empty document with our styles, made once: adding ten styles looks each name up among all of the
    template's, a fifth of the time a 月报 took."""
    document = docx.Document()
    _add_styles(document)
    for rels in (document.part.rels, document.part.package.rels):
        for rId in [rId for rId, rel in rels.items() if rel.reltype in UNNEEDED_PARTS]:
            del rels[rId]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_docx(doc: Document) -> bytes:
    document = docx.Document(io.BytesIO(_styled_blank()))
    _page_setup(document, doc)
    _head(document, doc)
    for label, value in doc.facts:
        _labelled(document, label, value)
    for text in doc.intro:
        _paragraph(document, text, "正文")
    for item in doc.items:
        _item(document, item)
    if doc.closing:
        _paragraph(document, "媒体联系", "标题1")
        for line in doc.closing:
            _paragraph(document, line, "成果信息")
    _colophon(document, doc)
    stamp = datetime.combine(doc.date, time(), timezone.utc)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = doc.title or doc.masthead, doc.publisher, doc.publisher
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return repack(buffer.getvalue(), doc.date)
