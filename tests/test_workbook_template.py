"""The Excel template, checked against the schema it is generated from: every field has its column, every
vocabulary its drop-down, identifiers are text, the file is the same bytes every time."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from pipeline.check.schemas import iter_schema_fields
from pipeline.cli import main
from pipeline.model.library import load_rules
from pipeline.read.sources import Layout
from pipeline.submit.workbook_layout import (GUIDE_SHEET, KEY_TITLE, MAIN_SHEET, REQUIRED_MARK, VOCAB_SHEET,
                                             build_layout)
from tests.factories import REPO


@pytest.fixture(scope="module")
def rules():
    return load_rules(Layout(REPO), date(2026, 11, 20))


@pytest.fixture(scope="module")
def layout(rules):
    return build_layout(rules.schemas)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    out = tmp_path_factory.mktemp("template") / "t.xlsx"
    assert main(["--root", str(REPO), "workbook", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def wb(template):
    return load_workbook(template)


def test_every_schema_field_has_a_column_or_a_sheet(rules, layout):
    placed = {".".join(s.path + c.path) for s in layout.sheets for c in s.columns} | {
        ".".join(s.path) for s in layout.sheets[1:]} | {".".join(s.path + p) for s in layout.sheets for p, _ in s.constants}
    for dotted, node, _ in iter_schema_fields(rules.schemas, "result"):
        dotted = dotted.replace("[]", "")
        if node.get("type") == "object":
            continue  # its fields are the columns
        assert dotted in placed, dotted


def test_sheets_are_the_guide_the_records_the_groups_and_a_hidden_vocabulary(wb, layout):
    assert wb.sheetnames == [GUIDE_SHEET, *(s.name for s in layout.sheets), VOCAB_SHEET]
    assert wb[VOCAB_SHEET].sheet_state == "hidden"
    assert {"完成单位", "完成人", "代表性论文", "专利", "支撑项目", "经济社会效益"} <= set(wb.sheetnames)
    assert wb.active.title == MAIN_SHEET


def test_headers_are_schema_titles_with_required_marked(wb, layout):
    for sheet in layout.sheets:
        ws = wb[sheet.name]
        headers = [c.value for c in ws[1]]
        assert headers[0] == REQUIRED_MARK + KEY_TITLE
        expected = [REQUIRED_MARK + c.title if c.required else c.title for c in sheet.columns]
        assert headers[1:] == expected
        assert ws.freeze_panes == "B2"
        for cell, column in zip(ws[1][1:], sheet.columns, strict=True):
            assert (cell.font.color is not None and cell.font.color.rgb.endswith("C00000")) == column.required
    main_headers = [c.value for c in wb[MAIN_SHEET][1]]
    assert "*成果名称" in main_headers and "英文名称" in main_headers and "成果编号" in main_headers


def _validations(ws):
    found = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in str(dv.sqref).split():
            found[cell_range.split(":")[0].rstrip("0123456789")] = dv
    return found


def test_every_vocabulary_column_has_a_drop_down_from_the_vocabulary_sheet(wb, layout, rules):
    vocab_ws = wb[VOCAB_SHEET]
    for sheet in layout.sheets:
        validations = _validations(wb[sheet.name])
        for index, column in enumerate(sheet.columns, 2):
            letter = wb[sheet.name].cell(1, index).column_letter
            dv = validations[letter]
            assert dv.prompt == column.description[:255] and dv.showInputMessage
            if not column.vocabulary:
                continue
            assert dv.type == "list", column.title
            col_letter = dv.formula1.split("!$")[1].split("$")[0]
            listed = [c.value for c in vocab_ws[col_letter][1:] if c.value is not None]
            assert listed == rules.vocab[column.vocabulary].names


def test_vocabularies_cover_category_highland_field_city_unit_type_level_and_patent_status(layout):
    used = set(layout.vocabularies())
    assert {"categories", "highlands", "fields", "cities", "unit_types", "levels", "patent_status"} <= used


def test_identifier_columns_are_text(wb, layout):
    identifiers = {".".join(s.path + c.path) for s in layout.sheets for c in s.columns if c.kind == "identifier"}
    assert {"units.credit_code", "ip.patents.number", "ip.software.number", "projects.number", "papers.doi"} <= identifiers
    for sheet in layout.sheets:
        ws = wb[sheet.name]
        for index, column in enumerate(sheet.columns, 2):
            letter = ws.cell(1, index).column_letter
            if column.kind == "identifier":
                assert ws.column_dimensions[letter].number_format == "@", column.title
            assert ws.column_dimensions[letter].width >= 8


def test_guide_names_the_evidence_of_each_category(wb, rules):
    text = "\n".join(str(c.value) for row in wb[GUIDE_SHEET].iter_rows() for c in row if c.value)
    for term in rules.vocab["categories"].terms:
        assert term.name in text
    assert "代表性论文" in text and "技术攻关佐证·产品" in text and "报送方式" in text


def test_contact_from_mkdocs_extra_appears_in_the_guide(repo, tmp_path):
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "extra:\n", "extra:\n  submit_contact:\n    name: 王某某\n    phone: 0571-87001234\n    email: cg@example.org\n", 1),
        encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert main(["--root", str(repo), "workbook", "--out", str(out)]) == 0
    text = "\n".join(str(c.value) for row in load_workbook(out)[GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert "联系人：王某某；电话：0571-87001234；电子邮箱：cg@example.org。" in text


def test_same_schema_gives_the_same_bytes(template, tmp_path):
    again = tmp_path / "again.xlsx"
    assert main(["--root", str(REPO), "workbook", "--out", str(again)]) == 0
    assert again.read_bytes() == template.read_bytes()


def test_export_of_a_text_starting_with_equals_stays_text(repo, tmp_path):
    from tests.workbooks import DEMO_RECORDS, demo_data, write_workbook

    data = demo_data(DEMO_RECORDS[0])
    data["title_en"] = "=HYPERLINK(\"http://evil.example\",\"x\")"
    out = write_workbook(repo, tmp_path / "x.xlsx", [data])
    cell = load_workbook(out)[MAIN_SHEET]["D2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
