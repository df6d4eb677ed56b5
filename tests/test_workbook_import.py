"""`zlhcg import`: filled workbooks → records, every problem reported at its cell, nothing written on error;
and the round trip import(export(record)) == record over the whole demo library."""

from __future__ import annotations

import shutil
import time
from datetime import datetime

import pytest
import yaml
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.model.library import load_rules
from pipeline.read.sources import Layout
from pipeline.submit.workbook_commands import read_record_data
from pipeline.submit.workbook_layout import MAIN_SHEET
from tests.factories import REPO
from tests.workbooks import TODAY, DEMO_RECORDS, SUBMITTABLE, Editor, column_letter, demo_data, rows_of, write_workbook

KEY_TECH = next(p for p in SUBMITTABLE if "category: 技术攻关成果" in p.read_text(encoding="utf-8"))
BASIC = next(p for p in SUBMITTABLE if "category: 基础研究成果" in p.read_text(encoding="utf-8"))
APPLICATION = next(p for p in SUBMITTABLE if "category: 重大应用成果" in p.read_text(encoding="utf-8"))


def run_import(repo, path, capsys, *extra):
    code = main(["--root", str(repo), "import", str(path), *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


def written(repo):
    return sorted(p.relative_to(repo).as_posix() for p in (repo / "results").glob("*/*/*.yaml"))


@pytest.fixture
def three(repo, tmp_path):
    """A workbook with three new achievements, as a unit would send it."""
    records = [demo_data(p) for p in (KEY_TECH, BASIC, APPLICATION)]
    return write_workbook(repo, tmp_path / "三项成果.xlsx", records)


def test_three_new_achievements_become_three_valid_records(repo, three, capsys):
    code, out = run_import(repo, three, capsys)
    assert code == 0, out
    files = written(repo)
    assert len(files) == 3 and "已写入 3 个成果文件。" in out
    for file in files:
        text = (repo / file).read_text(encoding="utf-8")
        assert "由 Excel 批量报送表导入" in text and "description: |\n" in text  # block scalar for long text
    assert main(["--root", str(repo), "validate"]) == 0
    imported = yaml.safe_load((repo / files[0]).read_text(encoding="utf-8"))
    originals = {demo_data(p)["title"]: demo_data(p) for p in (KEY_TECH, BASIC, APPLICATION)}
    assert {k: v for k, v in imported.items() if k != "id"} == originals[imported["title"]]


REAL_RECORDS = sorted((REPO / "tests" / "data" / "real").glob("*/*.yaml"))  # the real-achievement corpus, when present


def test_round_trip_reproduces_every_demo_and_real_record(tmp_path, capsys):
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "schema", repo / "schema")
    shutil.copytree(REPO / "results", repo / "results")
    for record in REAL_RECORDS:
        shutil.copytree(record.parent, repo / "results" / record.parent.name[:4] / record.parent.name)
    shutil.copy(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    out = tmp_path / "all.xlsx"
    assert main(["--root", str(repo), "workbook", "--all", "--out", str(out)]) == 0
    code, report = run_import(repo, out, capsys)
    assert code == 0, report
    assert len(DEMO_RECORDS) >= 40
    rules = load_rules(Layout(REPO), TODAY)
    for original in [*DEMO_RECORDS, *REAL_RECORDS]:
        again = repo / "results" / original.parent.name[:4] / original.parent.name / original.name
        assert read_record_data(again, again.name, rules) == read_record_data(original, again.name, rules), original


def test_export_of_chosen_records(tmp_path, capsys):
    out = tmp_path / "two.xlsx"
    assert main(["--root", str(REPO), "workbook", "--from", str(DEMO_RECORDS[0]), str(DEMO_RECORDS[1].parent),
                 "--out", str(out)]) == 0
    ws = load_workbook(out)[MAIN_SHEET]
    assert [ws[f"B{r}"].value for r in (2, 3)] == [DEMO_RECORDS[0].stem, DEMO_RECORDS[1].stem]
    assert ws["B4"].value is None


def test_problems_are_reported_at_their_cells_and_nothing_is_written(repo, three, capsys):
    edit = Editor(three)
    unit_ref = edit.set("完成人", "所在单位", "不存在的单位", key=1, nth=1)
    code_ref = edit.set("完成单位", "统一社会信用代码", "91330100MA27XL0Q1X", key=2)
    title_ref = edit.set(MAIN_SHEET, "成果名称", None, key=3)
    edit.save()
    code, out = run_import(repo, three, capsys)
    assert code == 1
    assert written(repo) == []
    assert f"完成人!{unit_ref}（所在单位）" in out
    assert f"完成单位!{code_ref}（统一社会信用代码）" in out and "校验" in out
    assert f"成果!{title_ref}（成果名称）：错误：尚未填写。" in out
    assert "（people）" not in out and "（units）" not in out  # the cell names the column: no YAML paths
    assert "没有写入任何文件" in out


def test_partial_writes_the_good_achievements_and_lists_the_rest(repo, three, capsys):
    edit = Editor(three)
    ref = edit.set("完成人", "所在单位", "不存在的单位", key=2)
    edit.save()
    code, out = run_import(repo, three, capsys, "--partial")
    assert code == 1
    assert len(written(repo)) == 2
    assert f"完成人!{ref}（所在单位）" in out and "另有 1 个成果有错误，未导入" in out


def test_real_file_quirks_are_read_as_meant(repo, three, capsys):
    edit = Editor(three)
    credit = edit.get("完成单位", "统一社会信用代码", key=1)
    edit.set("完成单位", "统一社会信用代码", " " + credit.translate(str.maketrans("0123456789ABCDEFGHJKLMNPQRTUWXY",
                                                                    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ")) + "　", key=1)
    edit.set(MAIN_SHEET, "知识产权声明·确认日期", datetime(2024, 8, 20), key=1)
    edit.set(MAIN_SHEET, "知识产权声明·确认日期", 45524, key=2)  # an Excel date serial: 2024-08-20
    edit.set(MAIN_SHEET, "知识产权声明·确认日期", "2024年8月20日", key=3)
    edit.set(MAIN_SHEET, "成果水平", "  国际先进  ", key=1)
    edit.set("代表性论文", "发表年份", "２０２３", key=2)
    edit.set(MAIN_SHEET, "创新点", "1. 第一条创新点写在这里。\n2、第二条创新点写在这里。", key=3)
    edit.save()
    code, out = run_import(repo, three, capsys)
    assert code == 0, out
    records = [yaml.safe_load((repo / f).read_text(encoding="utf-8")) for f in written(repo)]
    by_title = {r["title"]: r for r in records}
    first = by_title[demo_data(KEY_TECH)["title"]]
    assert first["units"][0]["credit_code"] == credit and first["level"] == "国际先进"
    assert {r["ip_statement"]["confirmed_on"] for r in records} == {"2024-08-20"}
    assert by_title[demo_data(BASIC)["title"]]["papers"][0]["year"] == 2023
    assert by_title[demo_data(APPLICATION)["title"]]["innovations"] == ["第一条创新点写在这里。", "第二条创新点写在这里。"]


def test_identifier_stored_as_a_number(repo, three, capsys):
    edit = Editor(three)
    rounded = edit.set("完成单位", "统一社会信用代码", 1.23456789012346e17, key=1)
    edit.set("支撑项目", "项目编号", 2022030701, key=1)  # exact: the digits are recovered
    edit.save()
    code, out = run_import(repo, three, capsys)
    assert code == 1
    assert f"完成单位!{rounded}（统一社会信用代码）" in out and "已四舍五入" in out and "1.23457e+17" in out
    assert "项目编号" not in out


def test_merged_key_cells_hidden_rows_extra_sheets_and_columns(repo, three, capsys):
    wb = load_workbook(three)
    ws = wb["完成人"]
    rows = rows_of(ws, 1)
    for row in rows[1:]:
        ws[f"A{row}"].value = None
    ws.merge_cells(f"A{rows[0]}:A{rows[-1]}")  # 序号 merged down over the achievement's people
    ws.row_dimensions[rows[1]].hidden = True
    ws.cell(1, ws.max_column + 1, "备注").value = "备注"
    wb.create_sheet("Sheet1")["A1"] = "草稿"
    wb.save(three)
    code, out = run_import(repo, three, capsys)
    assert code == 0, out
    assert f"第 {rows[1]} 行是隐藏的" in out and "工作表“Sheet1”不是模板中的工作表，已忽略" in out
    assert "列“备注”不是模板中的列，已忽略" in out
    first = next(yaml.safe_load((repo / f).read_text(encoding="utf-8")) for f in written(repo)
                 if demo_data(KEY_TECH)["title"] in (repo / f).read_text(encoding="utf-8"))
    assert len(first["people"]) == len(demo_data(KEY_TECH)["people"])


def test_merge_across_columns_is_refused_at_its_cell(repo, three, capsys):
    wb = load_workbook(three)
    wb[MAIN_SHEET].merge_cells("C2:D2")
    wb.save(three)
    code, out = run_import(repo, three, capsys)
    assert code == 1 and "成果!C2" in out and "跨列" in out


def test_formulas_use_cached_values_and_uncached_ones_are_refused(repo, three, capsys, tmp_path):
    edit = Editor(three)
    ref = edit.set("经济社会效益", "数值", "=2+2", key=1)
    edit.save()  # openpyxl saves formulas without a calculated value, as a generator script would
    code, out = run_import(repo, three, capsys)
    assert code == 1
    assert f"经济社会效益!{ref}（数值）" in out and "没有保存公式的计算结果" in out
    cached = REPO / "tests" / "data" / "xlsx" / "libreoffice-formula.xlsx"
    code, out = run_import(repo, cached, capsys)
    assert code == 0, out
    record = yaml.safe_load((repo / written(repo)[0]).read_text(encoding="utf-8"))
    assert record["benefits"][0]["amount"] == 4


def test_key_problems(repo, three, capsys):
    wb = load_workbook(three)
    people = wb["完成人"]
    row = rows_of(people, 1)[0]
    people[f"A{row}"].value = 9
    wb[MAIN_SHEET]["A3"].value = 1  # achievement 2 now repeats 序号 1
    wb.save(three)
    code, out = run_import(repo, three, capsys)
    assert code == 1
    assert f"完成人!A{row}（序号）：错误：序号 9 在“成果”表中没有对应的成果" in out
    assert "成果!A3（序号）：错误：序号 1 已用于第 2 行" in out


def test_an_empty_workbook_is_refused(repo, tmp_path, capsys):
    empty = write_workbook(repo, tmp_path / "空.xlsx", [])
    code, out = run_import(repo, empty, capsys)
    assert code == 1 and "“成果”表中没有填写任何成果" in out


def test_libreoffice_saved_workbook_imports(repo, capsys):
    code, out = run_import(repo, REPO / "tests" / "data" / "xlsx" / "libreoffice-3.xlsx", capsys)
    assert code == 0, out
    assert len(written(repo)) == 3


def test_two_hundred_achievements_import_within_ten_seconds(repo, tmp_path, capsys):
    records = [demo_data(SUBMITTABLE[i % len(SUBMITTABLE)]) for i in range(200)]
    big = write_workbook(repo, tmp_path / "200.xlsx", records)
    start = time.perf_counter()
    code, out = run_import(repo, big, capsys)
    elapsed = time.perf_counter() - start
    assert code == 0, out[-2000:]
    assert len(written(repo)) == 200
    assert elapsed <= 10, f"{elapsed:.1f} s"


def test_existing_record_is_updated_in_place(repo, tmp_path, capsys):
    with_image = next(p for p in DEMO_RECORDS if "media:" in p.read_text(encoding="utf-8"))
    shutil.copytree(with_image.parent, repo / "results" / with_image.parent.name[:4] / with_image.parent.name)
    out = tmp_path / "back.xlsx"
    assert main(["--root", str(repo), "workbook", "--all", "--out", str(out)]) == 0
    edit = Editor(out)
    edit.set(MAIN_SHEET, "依托平台", "之江实验室（演示）")
    edit.save()
    code, report = run_import(repo, out, capsys)
    assert code == 0, report
    assert "更新已有成果" in report
    record = yaml.safe_load((repo / written(repo)[0]).read_text(encoding="utf-8"))
    assert record["platform"] == "之江实验室（演示）" and record["media"]  # its image is still there


def test_column_letters_are_found_by_header(three):
    ws = load_workbook(three)["完成人"]
    assert column_letter(ws, "所在单位") == "C"


def test_an_old_template_is_named_as_such(repo, three, capsys):
    wb = load_workbook(three)
    guide = wb["填表说明"]
    row = next(r for r in guide.iter_rows() if r[0].value == "模板版本")
    row[1].value = "记录格式 1.0.0（系统据此识别旧版模板，请勿修改）"
    wb.save(three)
    code, out = run_import(repo, three, capsys)
    assert "填表说明：错误：这是旧版模板（记录格式 1.0.0）" in out and "请下载新模板" in out
    assert code == 1


def test_hidden_columns_are_read_with_a_note(repo, three, capsys):
    wb = load_workbook(three)
    ws = wb[MAIN_SHEET]
    letter = column_letter(ws, "依托平台")
    ws.column_dimensions[letter].hidden = True
    wb.save(three)
    code, out = run_import(repo, three, capsys)
    assert code == 0, out
    assert f"成果!{letter}1（依托平台）：提醒：{letter} 列是隐藏的，其中的内容仍会导入。" in out
