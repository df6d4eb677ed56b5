"""Defects of the issue-form intake found with real achievements: list numbering kept, YAML paths in hints,
an extra “|” reported as a wrong value elsewhere, column-count errors hiding value errors, empty required
cells called 格式不正确：“”. Bodies are written from a demo record through the form spec, the way GitHub
renders a submitted form, so the tests follow the form when the schema grows."""

from __future__ import annotations

import pytest

from pipeline.model.library import load_rules
from pipeline.read.sources import Layout
from pipeline.submit.form_spec import load_form_spec
from pipeline.submit.intake import parse_form
from pipeline.submit.intake_record import submission_from_form
from pipeline.submit.list_markers import strip_list_marker
from tests.factories import REPO
from tests.workbooks import SUBMITTABLE, TODAY, demo_data

KEY_TECH = next(p for p in SUBMITTABLE if "category: 技术攻关成果" in p.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rules():
    return load_rules(Layout(REPO), TODAY)


@pytest.fixture(scope="module")
def spec(rules):
    return load_form_spec(rules.schemas)


def _get(data, path):
    for name in path:
        data = (data or {}).get(name) if isinstance(data, dict) else None
    return data


def _cell(value) -> str:
    if value is None:
        return ""
    return "；".join(map(str, value)) if isinstance(value, list) else str(value)


def answer(section, value) -> str:
    if value is None or value == []:
        return "None" if section.widget == "dropdown" else "_No response_"
    if section.widget == "lines":
        return "\n".join(value)
    if section.widget == "multi":
        return ", ".join(value)
    if section.widget == "confirm":
        return f"- [X] {section.node.get('title', '')}"
    if section.widget == "table":
        return "\n".join(" | ".join(_cell(item.get(c.name)) for c in section.columns) for item in value)
    return str(value).rstrip("\n")


def form_body(spec, data: dict, **answers: str) -> str:
    """The issue body GitHub renders for `data`; `answers` (by section id, - as _) replace sections verbatim."""
    parts = []
    for section in spec.sections:
        given = answers.get(section.id.replace("-", "_"))
        parts.append(f"### {section.label}\n\n{given if given is not None else answer(section, _get(data, section.path))}")
    return "\n\n".join(parts) + "\n"


def submit(body, rules, spec):
    return submission_from_form(body, spec, rules, "2025-0000000a", "议题 #7", ["测试"])


@pytest.fixture(scope="module")
def record():
    return demo_data(KEY_TECH)


def test_the_generated_body_is_accepted_as_is(rules, spec, record):
    submission = submit(form_body(spec, record), rules, spec)
    assert submission.ok, [d.message for d in submission.problems]


@pytest.mark.parametrize("typed", ["1. ", "1.", "2、", "3）", "3)", "①", "（2）", "(2)", "一、", "• ", "•", "- ", "-",
                                   "* ", "⑴", "十一、"])
def test_every_list_marker_is_stripped(typed):
    assert strip_list_marker(f"{typed}提出纳米级实时插补方法") == "提出纳米级实时插补方法"


@pytest.mark.parametrize("text", ["1.5 倍效率提升的新工艺", "-20 ℃低温环境下可靠工作", "**重点**突破", "5G 基站芯片",
                                  "2023 年建成示范线", "3，5-二甲基苯酚的绿色合成"])
def test_values_that_only_look_like_markers_are_kept(text):
    assert strip_list_marker(text) == text


def test_numbered_innovations_lose_their_numbers_on_the_form(rules, spec, record):
    typed = "1.提出第一项创新点的完整表述\n2、提出第二项创新点的完整表述\n③提出第三项创新点的完整表述\n（4）提出第四项创新点的完整表述"
    parsed = parse_form(form_body(spec, record, innovations=typed), spec, "议题 #7")
    assert parsed.data["innovations"] == ["提出第一项创新点的完整表述", "提出第二项创新点的完整表述",
                                          "提出第三项创新点的完整表述", "提出第四项创新点的完整表述"]


def test_an_extra_bar_says_the_row_has_a_column_too_many(rules, spec, record):
    person = record["people"][0]
    row = f"{person['name']} | {_cell(person['units'])} | 项目负责人|主持总体设计 | 研究员"
    submission = submit(form_body(spec, record, people=row), rules, spec)
    messages = [d.message for d in submission.problems if d.is_error]
    [shifted] = [d for d in submission.problems if d.rule == "intake.extra-column"]
    assert shifted.message == "【完成人 第 1 行（ORCID）】这一行可能多了一个“|”：“研究员”落在了最后一列“ORCID”，但不符合这一列的格式。"
    assert "这一行读到的各列：姓名" in shifted.hint and "职称职务“主持总体设计”" in shifted.hint
    assert not any("格式不正确" in m and "研究员" in m for m in messages), messages


def test_too_many_columns_and_the_value_errors_of_that_row_are_both_reported(rules, spec, record):
    row = "某论文题目 | Nature | 二〇二四 | 10.1038/s41586-024-00001-x | 第一作者 | 多余"
    submission = submit(form_body(spec, record, papers=row), rules, spec)
    by_rule = {d.rule: d for d in submission.problems}
    assert by_rule["intake.columns"].message.startswith("【代表性论文 第 1 行】这一行多了 1 列：")
    assert "多出“多余”" in by_rule["intake.columns"].hint
    assert by_rule["intake.number"].message == "【代表性论文 第 1 行（发表年份）】“二〇二四”不是整数。"


def test_an_empty_required_cell_is_not_yet_filled(rules, spec, record):
    unit = record["units"][0]
    row = f" | {unit['credit_code']} | {unit['type']} | {unit['city']}"
    submission = submit(form_body(spec, record, units=row), rules, spec)
    assert "【完成单位 第 1 行（单位名称）】尚未填写。" in [d.message for d in submission.problems]


def test_an_empty_required_item_is_not_yet_filled(rules, spec, record):
    submission = submit(form_body(spec, record, ip_statement_confirmed_by="   "), rules, spec)
    [problem] = [d for d in submission.problems if d.is_error]
    assert problem.message == "【知识产权声明 · 确认人】尚未填写。"
    assert "“”" not in problem.message


def test_messages_use_the_form_labels_not_yaml_paths(rules, spec, record):
    person = record["people"][0]
    people = f"{person['name']} | 不在完成单位中的某单位 | {person['role']}"
    submission = submit(form_body(spec, record, people=people, transfer_contact_phone="12345"), rules, spec)
    text = "\n".join(d.message + d.hint for d in submission.problems)
    assert "【成果转化 · 联系电话】" in text and "【完成人 第 1 行（所在单位）】" in text
    for yaml_word in ("transfer.contact.phone", "（phone）", "units 中", "（units）", "英文引号"):
        assert yaml_word not in text, yaml_word
