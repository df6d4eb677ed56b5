"""The press kit of a list or a release event: one ZIP a newsroom can work from.

    README.txt            what is in it, the press contact, the terms for images
    新闻通稿.docx          the press release (Word, to edit and quote)
    名单.csv / 名单.xlsx    one row per achievement (CSV: UTF-8 with BOM so that Excel opens it in Chinese)
    图片/<序号>-<文件>      every entry's images at full resolution, as submitted
    图片/图片说明.txt       file, caption and credit of each image

Deterministic: entries in this order, fixed timestamps (the edition's date), no wall clock anywhere.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime, time
from typing import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from pipeline.documents.content import Document
from pipeline.documents.stable_zip import repack, write_zip
from pipeline.model.publication import Publication
from pipeline.model.records import Achievement

ReadMedia = Callable[[Achievement, str], bytes]  # (record, file name) → the file's bytes
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
BASE_COLUMNS = ("序号", "成果编号", "成果名称", "类别", "领域", "水平", "完成单位", "第一完成人", "成果简介")


@dataclass(frozen=True)
class KitContents:
    """What a press kit takes from the library besides its two documents: plain data (it may be made in another
    process), read while the library is at hand."""

    rows: tuple[tuple[str, ...], ...]  # the 名单, header first
    images: tuple[tuple[str, bytes], ...]  # ZIP entries under 图片/, 图片说明.txt last
    site_url: str

    def key_parts(self) -> tuple[str | bytes, ...]:
        """Everything a cached kit depends on besides its documents."""
        return (json.dumps(self.rows, ensure_ascii=False), self.site_url, *(p for entry in self.images for p in entry))


def kit_contents(doc: Document, pub: Publication, read_media: ReadMedia) -> KitContents:
    return KitContents(tuple(map(tuple, _rows(doc, pub))), tuple(_images(doc, pub, read_media)), pub.site_url)


def _rows(doc: Document, pub: Publication) -> list[list[str]]:
    labels = [label for label, _ in doc.items[0].notes] if doc.items else []
    rows = [[*BASE_COLUMNS, *labels, "成果网址"]]
    for position, item in enumerate(doc.items, 1):
        record = pub.record(item.record_id)
        leader = record.people[0]
        rows.append([str(position), record.id, record.title, record.category, record.field, record.level,
                     "、".join(u.name for u in record.units), f"{leader.name}（{leader.unit}）", record.summary,
                     *(body for _, body in item.notes), pub.absolute(record.url)])
    return rows


def list_csv(rows: tuple[tuple[str, ...], ...]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def list_xlsx(rows: tuple[tuple[str, ...], ...], doc: Document) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJKLMN", (6, 16, 36, 14, 16, 10, 40, 24, 60, 50, 50, 40, 40, 40)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    stamp = datetime.combine(doc.date, time())  # openpyxl writes naive datetimes as UTC
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = book.properties.lastModifiedBy = doc.publisher
    book.properties.title = doc.title
    buffer = io.BytesIO()
    book.save(buffer)  # stamps dcterms:modified with the wall clock, whatever was set: put the date back
    fixed = f"{stamp.isoformat()}Z".encode()

    def fix_modified(name: str, data: bytes) -> bytes:
        return _MODIFIED.sub(rb"\g<1>" + fixed + rb"\g<2>", data) if name == "docProps/core.xml" else data

    return repack(buffer.getvalue(), doc.date, fix_modified)


def _images(doc: Document, pub: Publication, read_media: ReadMedia) -> list[tuple[str, bytes]]:
    files, credits = [], ["图片文件\t所属成果\t图片说明\t版权/来源"]
    for position, item in enumerate(doc.items, 1):
        record = pub.record(item.record_id)
        for media in record.media:
            name = f"图片/{position:02d}-{record.id}-{media.file}"
            files.append((name, read_media(record, media.file)))
            credits.append("\t".join((name.removeprefix("图片/"), record.title, media.caption or media.alt,
                                      media.credit or "（未注明）")))
    return [*files, ("图片/图片说明.txt", ("\r\n".join(credits) + "\r\n").encode("utf-8"))] if files else []


def readme(doc: Document, release: Document, site_url: str) -> bytes:
    lines = [f"{doc.title} · 媒体资料包", "", f"编印单位：{doc.publisher}", f"发布日期：{doc.date_text}", "",
             "包含文件：", "  新闻通稿.docx —— 新闻通稿（Word，可编辑）",
             f"  名单.csv、名单.xlsx —— {len(doc.items)} 项成果的名单（CSV 为 UTF-8 编码）",
             "  图片/ —— 各项成果的原始分辨率图片；图片说明.txt 列出每张图片的说明和版权/来源", "",
             "使用说明：引用成果时请以网站公布的内容为准，使用图片时请注明图片说明中的版权/来源。",
             f"网站：{site_url}"]
    if release.closing:
        lines += ["", "媒体联系：", *(f"  {line}" for line in release.closing)]
    if doc.demo_notice:
        lines += ["", f"注意：{doc.demo_notice}。"]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def press_kit(doc: Document, release: Document, release_docx: bytes, contents: KitContents) -> bytes:
    """The ZIP for the edition of `doc` (its list), with `release` as the 新闻通稿."""
    entries = [("README.txt", readme(doc, release, contents.site_url)), ("新闻通稿.docx", release_docx),
               ("名单.csv", list_csv(contents.rows)), ("名单.xlsx", list_xlsx(contents.rows, doc)), *contents.images]
    return write_zip(entries, doc.date)
