"""Checks a workbook file before any spreadsheet library reads it: what it really is, and whether it is safe.

An .xlsx is a zip of XML. Everything here reads only the zip's central directory and, for the worksheets, a
bounded stream of their XML: the declared sizes and compression ratios are checked before anything is
inflated (a zip bomb is refused from its directory), and rows are counted while streaming so that a sheet of a
million rows is refused at row MAX_ROWS, not after it has been parsed. Python's zipfile never inflates an
entry beyond its declared size, so a directory that lies about sizes cannot get past these limits either.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 500
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # inflated, all entries together
MAX_RATIO = 200  # inflated / compressed, for any entry over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_ROWS = 20_000  # per sheet: a batch is tens or hundreds of achievements, a few rows each
MAX_CELLS = 300_000  # all sheets together: 200 achievements fill about 30,000; the parser needs ~1 KB a cell
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SAVE_AS = "请在 Excel 或 WPS 中打开后选择“另存为”，文件类型选“Excel 工作簿(*.xlsx)”，再重新提交。"
_ROW_TAG = re.compile(rb"<(?:[A-Za-z0-9]+:)?row[\s>/]")
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z0-9]+:)?f[\s>/]")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z0-9]+:)?c[\s>/]")


class WorkbookRefused(Exception):
    """The file cannot be imported; the message says why and what to do, in Chinese."""

    def __init__(self, message: str, hint: str = SAVE_AS):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class Inspection:
    sheets_with_formulas: frozenset[str]  # zip paths of worksheets that contain formulas


def _kind_by_content(head: bytes, path: Path) -> None:
    if head.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in path.read_bytes():
            raise WorkbookRefused("文件设置了打开密码（已加密），无法读取。",
                                  "请在 Excel 或 WPS 中打开文件，取消“文档加密/打开权限密码”后另存为 .xlsx，再重新提交。")
        raise WorkbookRefused("这是旧版 Excel 97-2003（.xls）或 WPS 表格（.et）格式的文件，无法读取。")
    if not head.startswith(ZIP_MAGIC):
        if path.suffix.lower() == ".csv" or _looks_like_text(head):
            raise WorkbookRefused("这是 CSV 或纯文本文件，不是 Excel 工作簿；CSV 无法保存下拉选项和多个工作表。",
                                  "请下载报送模板（.xlsx）填写；已有数据可复制粘贴到模板中后保存为 .xlsx。")
        raise WorkbookRefused("文件已损坏，或不是 Excel 工作簿（.xlsx）。")


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("gb18030")
        except UnicodeDecodeError:
            return False
    return b"\x00" not in head


def _check_suffix(path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix in (".xlsm", ".xltm", ".xlsb"):
        raise WorkbookRefused(f"不接受 {suffix} 文件（可能含有宏或为二进制格式）。")
    if suffix in (".xls", ".et", ".ett", ".csv", ".ods", ".numbers"):
        raise WorkbookRefused(f"不接受 {suffix} 格式的文件。")


def _check_entries(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise WorkbookRefused(f"文件内部结构异常（包含 {len(entries)} 个部件），拒绝读取。", "请使用报送模板重新填写。")
    total = 0
    for info in entries:
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise WorkbookRefused("文件的压缩比异常（疑似“压缩炸弹”），拒绝读取。", "请使用报送模板重新填写。")
        if total > MAX_TOTAL_BYTES:
            raise WorkbookRefused(f"文件解压后超过 {MAX_TOTAL_BYTES // 1048576} MB，拒绝读取。",
                                  "批量报送表通常不到 1 MB；请删除表中的图片和多余的工作表后重新保存。")
    return entries


def _check_parts(names: list[str]) -> None:
    lowered = [n.lower() for n in names]
    if any(n.endswith("vbaproject.bin") or "/vba" in n for n in lowered):
        raise WorkbookRefused("文件中含有宏（VBA 代码），拒绝读取。",
                              "请另存为不含宏的“Excel 工作簿(*.xlsx)”后重新提交。")
    if any(n.startswith("xl/externallinks/") for n in lowered):
        raise WorkbookRefused("文件中有指向其他文件的外部链接，拒绝读取。",
                              "请在 Excel 中选择“数据 → 编辑链接 → 断开链接”（WPS：“数据 → 编辑链接”），保存后重新提交。")
    if "xl/workbook.xml" not in lowered:
        raise WorkbookRefused("文件已损坏，或不是 Excel 工作簿（缺少工作簿部件）。")


@dataclass
class _Counts:
    cells: int = 0


def _count(pattern: re.Pattern, window: bytes, tail: bytes) -> int:
    """Occurrences in `window` that do not lie wholly inside `tail` (the overlap kept from the last chunk)."""
    return len(pattern.findall(window)) - len(pattern.findall(tail))


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, counts: _Counts) -> bool:
    """Counts rows and cells while streaming the sheet's XML; True when it contains formulas."""
    rows, formulas, tail = 0, False, b""
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            rows += _count(_ROW_TAG, window, tail)
            counts.cells += _count(_CELL_TAG, window, tail)
            formulas = formulas or bool(_FORMULA_TAG.search(window))
            if rows > MAX_ROWS:
                raise WorkbookRefused(f"工作表的行数超过 {MAX_ROWS} 行，拒绝读取。",
                                      "一个批量报送表通常只有几十到几百行；请删除多余的行（或拆分成几个文件）后重新保存。")
            if counts.cells > MAX_CELLS:
                raise WorkbookRefused(f"表格中填写的单元格超过 {MAX_CELLS} 个，拒绝读取。",
                                      "请删除多余的行和列（或拆分成几个文件）后重新保存。")
            tail = chunk[-16:]
    return formulas


def inspect_workbook(path: Path) -> Inspection:
    """Raises WorkbookRefused, with the reason and the remedy, for anything that is not a safe .xlsx."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as exc:
        raise WorkbookRefused(f"无法读取文件：{exc.strerror or exc}。", "请检查文件路径。") from None
    _check_suffix(path)
    if size > MAX_FILE_BYTES:
        raise WorkbookRefused(f"文件有 {size / 1048576:.1f} MB，超过 {MAX_FILE_BYTES // 1048576} MB 上限。",
                              "请删除表中的图片和多余的工作表后重新保存。")
    _kind_by_content(head, path)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = _check_entries(archive)
            _check_parts([e.filename for e in entries])
            counts = _Counts()
            formulas = {e.filename for e in entries
                        if e.filename.startswith("xl/worksheets/") and e.filename.endswith(".xml")
                        and _scan_sheet(archive, e, counts)}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise WorkbookRefused("文件已损坏，或不是 Excel 工作簿（.xlsx）。") from None
    return Inspection(frozenset(formulas))
