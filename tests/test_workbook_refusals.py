"""Files that are not a plain .xlsx, or are hostile: each refused with a Chinese message saying what to do, a
non-zero exit, no traceback — hostile ones within 2 s, without inflating them."""

from __future__ import annotations

import time
import tracemalloc
import zipfile

import pytest

from pipeline.cli import main
from pipeline.submit.workbook_guard import WorkbookRefused, inspect_workbook
from tests.workbooks import replace_entries, write_workbook, zip_with

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture
def template(repo, tmp_path):
    return write_workbook(repo, tmp_path / "模板.xlsx", [])


def refused(repo, path, capsys) -> str:
    start = time.perf_counter()
    code = main(["--root", str(repo), "import", str(path)])
    elapsed = time.perf_counter() - start
    out = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out.err + out.out and "程序内部错误" not in out.err
    assert elapsed < 2, f"{elapsed:.2f} s"
    assert not list((repo / "results").rglob("*"))
    return out.err


def test_xls_is_refused_with_save_as_advice(repo, tmp_path, capsys):
    path = tmp_path / "旧表.xls"
    path.write_bytes(OLE_MAGIC + b"\x00" * 4000)
    err = refused(repo, path, capsys)
    assert "不接受 .xls 格式的文件" in err and "另存为" in err and "Excel 工作簿(*.xlsx)" in err


def test_old_format_renamed_to_xlsx_is_recognised_by_content(repo, tmp_path, capsys):
    path = tmp_path / "改了扩展名.xlsx"
    path.write_bytes(OLE_MAGIC + b"\x00" * 4000)
    assert "旧版 Excel 97-2003（.xls）或 WPS 表格（.et）" in refused(repo, path, capsys)


def test_wps_et_is_refused(repo, tmp_path, capsys):
    path = tmp_path / "表.et"
    path.write_bytes(OLE_MAGIC + b"\x00" * 4000)
    assert "不接受 .et 格式的文件" in refused(repo, path, capsys)


def test_password_protected_workbook(repo, tmp_path, capsys):
    path = tmp_path / "加密.xlsx"  # Office encryption: an OLE container holding an "EncryptedPackage" stream
    path.write_bytes(OLE_MAGIC + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512)
    err = refused(repo, path, capsys)
    assert "设置了打开密码" in err and "取消“文档加密/打开权限密码”" in err


def test_csv_is_refused(repo, tmp_path, capsys):
    path = tmp_path / "汇总表.csv"
    path.write_text("序号,成果名称\n1,某成果\n", encoding="utf-8")
    assert "不接受 .csv 格式的文件" in refused(repo, path, capsys)


def test_csv_renamed_to_xlsx(repo, tmp_path, capsys):
    path = tmp_path / "汇总表.xlsx"
    path.write_text("序号,成果名称\n1,某成果\n", encoding="gb18030")
    assert "这是 CSV 或纯文本文件" in refused(repo, path, capsys)


def test_corrupt_file(repo, template, tmp_path, capsys):
    path = tmp_path / "坏了.xlsx"
    path.write_bytes(template.read_bytes()[: len(template.read_bytes()) // 2])
    assert "文件已损坏" in refused(repo, path, capsys)


def test_zip_that_is_not_a_workbook(repo, tmp_path, capsys):
    path = tmp_path / "压缩包.xlsx"
    path.write_bytes(zip_with({"readme.txt": b"hello"}))
    assert "缺少工作簿部件" in refused(repo, path, capsys)


def test_macros_in_xlsm_are_refused(repo, template, tmp_path, capsys):
    path = tmp_path / "宏.xlsm"
    path.write_bytes(template.read_bytes())
    assert "不接受 .xlsm 文件" in refused(repo, path, capsys)


def test_macros_inside_an_xlsx_are_refused(repo, template, tmp_path, capsys):
    path = tmp_path / "宏.xlsx"
    path.write_bytes(replace_entries(template, {"xl/vbaProject.bin": b"\x00" * 100}))
    assert "含有宏（VBA 代码）" in refused(repo, path, capsys)


def test_external_links_are_refused(repo, template, tmp_path, capsys):
    path = tmp_path / "外链.xlsx"
    path.write_bytes(replace_entries(template, {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}))
    assert "外部链接" in refused(repo, path, capsys)


def test_zip_bomb_is_refused_from_its_directory_without_inflating(repo, template, tmp_path, capsys):
    path = tmp_path / "炸弹.xlsx"
    path.write_bytes(replace_entries(template, {"xl/worksheets/sheet2.xml": b"\x00" * (100 * 1024 * 1024)}))
    assert path.stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    with pytest.raises(WorkbookRefused, match="压缩炸弹"):
        inspect_workbook(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert "压缩比异常" in refused(repo, path, capsys)


def test_a_sheet_of_a_million_rows_is_refused_early(repo, template, tmp_path, capsys):
    rows = b"".join(b'<row r="%d"><c r="B%d" t="n"><v>%d</v></c></row>' % (n, n, n * 7919 % 100003)
                    for n in range(2, 1_000_002))
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<sheetData>" + rows + b"</sheetData></worksheet>")
    path = tmp_path / "百万行.xlsx"
    path.write_bytes(replace_entries(template, {"xl/worksheets/sheet2.xml": sheet}))
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
        assert info.file_size < 200 * info.compress_size  # not caught by the ratio: by counting rows
    assert "行数超过 20000 行" in refused(repo, path, capsys)


def test_missing_file(repo, tmp_path, capsys):
    code = main(["--root", str(repo), "import", str(tmp_path / "没有.xlsx")])
    assert code == 1 and "无法读取文件" in capsys.readouterr().err


def test_a_sheet_of_too_many_cells_is_refused_early(repo, template, tmp_path, capsys):
    cells = b"".join(b'<c r="A%d"><v>%d</v></c>' % (n, n * 7919 % 100003) for n in range(1, 400_001))
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<sheetData><row r="2">' + cells + b"</row></sheetData></worksheet>")
    path = tmp_path / "宽表.xlsx"
    path.write_bytes(replace_entries(template, {"xl/worksheets/sheet2.xml": sheet}))
    assert "单元格超过 300000 个" in refused(repo, path, capsys)
