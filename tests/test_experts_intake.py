"""Submission by issue form: recorded issue bodies → records, and hostile or malformed forms → clear Chinese
messages, never a broken record."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml

from pipeline.cli import main
from pipeline.submit.form_spec import load_form_spec
from pipeline.submit.intake import MAX_BODY_CHARS, parse_form
from pipeline.submit.intake_comment import fenced, render_comment
from pipeline.submit.intake_record import submission_from_form
from pipeline.model.library import load_rules
from pipeline.read.sources import Layout
from pipeline.read.strictyaml import load_text
from tests.factories import REPO

ISSUES = REPO / "tests" / "data" / "issues"
RECORD_ID = "2025-0000000a"


@pytest.fixture(scope="module")
def rules():
    return load_rules(Layout(REPO), date(2025, 7, 1))


@pytest.fixture(scope="module")
def spec(rules):
    return load_form_spec(rules.schemas)


def body(name: str) -> str:
    return (ISSUES / name).read_bytes().decode("utf-8")


def submit(text, rules, spec):
    return submission_from_form(text, spec, rules, RECORD_ID, "议题 #7", ["测试"])


def messages(submission) -> list[str]:
    return [d.message for d in submission.problems]


def rules_of(submission) -> set[str]:
    return {d.rule for d in submission.problems}


def replace_section(text: str, label: str, value: str) -> str:
    """The body with one section's answer replaced, as an edit of the issue would."""
    head = f"### {label}\n\n"
    start = text.index(head) + len(head)
    end = text.find("\n\n### ", start)
    return text[:start] + value + (text[end:] if end >= 0 else "\n")


# --- recorded bodies -------------------------------------------------------------------------------------

def test_key_technology_form_becomes_a_valid_record(rules, spec):
    submission = submit(body("key-technology.md"), rules, spec)
    assert submission.ok, messages(submission)
    data = yaml.safe_load(submission.text)
    assert data["id"] == RECORD_ID
    assert list(data)[:4] == ["schema_version", "id", "title", "title_en"]  # schema order
    assert data["innovations"] == ["提出基于样条曲线的纳米级实时插补方法，插补周期缩短至 0.125 毫秒。",
                                   "发明多轴同步误差在线补偿技术，定位精度优于 3 微米。",
                                   "建立数控系统全生命周期可靠性测试平台。"]  # "1." and "-" markers removed
    assert data["breakthrough"]["industrialization"]["products"] == ["YZ-5000 五轴数控系统", "YZ-3000 三轴数控系统"]
    assert data["significance"] == ["打破垄断封锁", "进口替代"]
    assert data["units"][0] == {"name": "越州精密数控有限公司（演示）", "credit_code": "91330600MA2D0Q1R01",
                                "type": "企业", "city": "绍兴市"}
    assert data["people"][0] == {"name": "赵启明", "units": ["越州精密数控有限公司（演示）"],
                                 "role": "项目负责人，提出总体技术方案", "title": "总工程师"}  # empty ORCID left out
    assert data["people"][1]["orcid"] == "0000-0002-1825-0097"
    assert data["benefits"] == [{"metric": "新增销售收入", "amount": 2.1, "unit": "亿元", "period": "2024年"}]
    assert data["ip_statement"] == {"confirmed": True, "confirmed_by": "绍兴市科学技术局 成果处 李某某",
                                    "confirmed_on": "2025-03-02"}
    assert data["transfer"]["contact"]["phone"] == "0575-88881234"
    assert "papers" not in data and "application" not in data and "platform" not in data  # _No response_


def test_basic_research_form_with_crlf_and_markdown_table_rows(rules, spec):
    text = body("basic-research.md")
    assert "\r\n" in text
    submission = submit(text, rules, spec)
    assert submission.ok, messages(submission)
    data = yaml.safe_load(submission.text)
    assert data["papers"] == [
        {"title": "Quantized Majorana conductance in a vortex core", "journal": "Nature", "year": 2024,
         "doi": "10.1038/s41586-024-00002-y", "authors": "通讯作者"},
        {"title": "Evidence of Majorana zero modes in iron-based heterostructures", "journal": "Science",
         "year": 2023, "doi": "10.1126/science.abc1234"},
    ]  # header row and |---| rule skipped, leading/trailing pipes tolerated
    assert data["units"][0]["credit_code"] == "123301066931866955"  # full-width ｜ separators
    assert "transfer" not in data  # "None" from an untouched dropdown
    assert "### 意义" in data["description"]  # a heading that is not a form label is content


def test_major_application_form(rules, spec):
    submission = submit(body("major-application.md"), rules, spec)
    assert submission.ok, messages(submission)
    data = yaml.safe_load(submission.text)
    assert data["application"] == {"project": "某大型射电望远镜（演示）",
                                   "usage": "作为主动反射面的执行部件批量安装，实现面形实时调整，观测效率显著提升。"}
    assert data["publish_at"] == "2026-03-01T09:00:00+08:00"
    assert data["transfer"] == {"status": "寻求合作", "contact": {
        "office": "浙江省先进制造研究所成果转化办公室（演示）", "email": "tto@example.org"}}
    assert data["ip_statement"]["confirmed"] is True  # "- [x]" lower case


def test_text_that_yaml_would_retype_stays_text(rules, spec):
    text = replace_section(body("key-technology.md"), "关键词", "1e5\nyes\n2024\nnull")
    submission = submit(text, rules, spec)
    assert submission.ok, messages(submission)
    assert load_text(submission.text, "x.yaml").data["tags"] == ["1e5", "yes", "2024", "null"]


# --- the category's evidence ---------------------------------------------------------------------------

def test_missing_evidence_is_reported_on_the_form_items(rules, spec):
    text = replace_section(body("basic-research.md").replace("\r\n", "\n"), "代表性论文", "_No response_")
    submission = submit(text, rules, spec)
    assert not submission.ok
    assert any(m.startswith("【代表性论文】") and "基础研究成果" in m for m in messages(submission))


# --- hostile and malformed forms -----------------------------------------------------------------------

def test_a_label_typed_into_a_text_box_cannot_pose_as_a_section(rules, spec):
    text = replace_section(body("key-technology.md"), "成果详细介绍", "正文内容。\n\n### 成果类别\n\n基础研究成果")
    submission = submit(text, rules, spec)
    assert not submission.ok and submission.text is None
    assert rules_of(submission) == {"intake.duplicate-section"}
    assert "“成果类别”一节出现了 2 次" in messages(submission)[0]


def test_removed_sections_and_non_forms_are_refused(rules, spec):
    text = body("key-technology.md")
    start = text.index("### 依托平台")
    cut = text[:start] + text[text.index("### 支撑项目"):]
    submission = submit(cut, rules, spec)
    assert submission.text is None and "依托平台" in messages(submission)[0]
    for other in ("", "   \n", "请帮忙收录我们的成果，谢谢！"):
        refused = submit(other, rules, spec)
        assert refused.text is None and refused.problems and not refused.ok


def test_sections_out_of_order_are_refused(rules, spec):
    text = body("key-technology.md")
    a, b = text.index("### 成果水平"), text.index("### 重大意义")
    c = text.index("### 科创高地")
    swapped = text[:a] + text[b:c] + text[a:b] + text[c:]
    submission = submit(swapped, rules, spec)
    assert submission.text is None and rules_of(submission) == {"intake.section-order"}


def test_html_and_markdown_injection_is_rejected(rules, spec):
    text = replace_section(body("key-technology.md"), "成果名称", "<img src=x onerror=alert(1)>数控系统")
    text = replace_section(text, "成果详细介绍", "介绍文字" + "足够长" * 20 + "。\n\n"
                           "![跟踪](https://evil.example/pixel.png)\n[点我](javascript:alert(1))\n<script>alert(1)</script>")
    submission = submit(text, rules, spec)
    assert not submission.ok
    found = rules_of(submission)
    assert {"content.html", "content.external-image", "content.unsafe-link"} <= found
    assert any(m.startswith("【成果名称】") for m in messages(submission))
    assert any(m.startswith("【成果详细介绍】") for m in messages(submission))


def test_absurd_lengths_are_cut_with_a_message(rules, spec):
    text = replace_section(body("key-technology.md"), "成果名称", "长" * 10_000)
    submission = submit(text, rules, spec)
    assert not submission.ok
    [problem] = [d for d in submission.problems if d.rule == "intake.too-long"]
    assert problem.message == "【成果名称】内容有 10000 个字，超过上限 60 个字，已截断。"
    assert not [d for d in submission.problems if d.field == "title" and d.rule.startswith("schema.")]
    huge = "### 成果名称\n\n" + "x" * (MAX_BODY_CHARS + 1)
    assert rules_of(submit(huge, rules, spec)) == {"intake.body-too-large"}


def test_too_many_lines_are_cut(rules, spec):
    text = replace_section(body("key-technology.md"), "创新点", "\n".join(f"第{i}条创新点内容" for i in range(1, 11)))
    parsed = parse_form(text, spec, "议题 #7")
    assert len(parsed.data["innovations"]) == 8
    assert [d.rule for d in parsed.problems] == ["intake.too-many"]
    assert parsed.problems[0].message == "【创新点 第 9 行】最多填写 8 项，现在有 10 项，超出的已忽略。"


def test_table_rows_get_line_precise_messages(rules, spec):
    rows = ("越州精密数控有限公司（演示） | 91330600MA2D0Q1R01 | 企业 | 绍兴市\n"
            "钱塘理工大学（演示） | 12330100MB1C77422G\n"
            " | 12330100MB1C77422G | 高等学校 | 杭州市")
    text = replace_section(body("key-technology.md"), "完成单位", rows)
    text = replace_section(text, "代表性论文", "某论文 | Nature | 二〇二四 | 10.1038/abc")
    submission = submit(text, rules, spec)
    by_rule = {d.rule: d for d in submission.problems}
    assert by_rule["intake.columns"].message == "【完成单位 第 2 行】这一行少了 1 列：应有 3 至 6 列（以“|”分隔），现在有 2 列。"
    assert by_rule["intake.cell-empty"].message == "【完成单位 第 3 行（单位名称）】尚未填写。"
    assert by_rule["intake.number"].message == "【代表性论文 第 1 行（发表年份）】“二〇二四”不是整数。"
    lines = body("key-technology.md").split("\n")
    assert by_rule["intake.columns"].line == lines.index("### 完成单位") + 4  # heading, blank, row 1, row 2
    assert submission.text is not None and not submission.ok


def test_validator_messages_point_at_the_row_and_column(rules, spec):
    text = body("key-technology.md").replace("91330600MA2D0Q1R01 | 企业", "91330600MA2D0Q1R02 | 企业")
    submission = submit(text, rules, spec)
    [problem] = [d for d in submission.problems if d.is_error]
    assert problem.rule == "rule.credit-code"
    assert problem.message.startswith("【完成单位 第 1 行（统一社会信用代码）】统一社会信用代码“91330600MA2D0Q1R02”")


def test_tampered_choices_and_unticked_confirmation(rules, spec):
    text = replace_section(body("key-technology.md"), "成果类别", "<b>基础研究成果</b>")
    text = replace_section(text, "重大意义", "填补空白, 世界第一")
    text = replace_section(text, "知识产权声明 · 已确认权属清晰、无争议", "- [ ] 已确认权属清晰、无争议")
    submission = submit(text, rules, spec)
    assert {"intake.option", "intake.unchecked"} <= rules_of(submission)
    assert any("“<b>基础研究成果</b>”不是可选的值" in m for m in messages(submission))
    assert any("“世界第一”不是可选的值" in m for m in messages(submission))
    assert not submission.ok


def test_invisible_and_control_characters_are_refused(rules, spec):
    for bad in ("\u202e", "\x00", "\u200b"):
        text = replace_section(body("key-technology.md"), "成果名称", f"五轴联动数控系统{bad}及产业化")
        submission = submit(text, rules, spec)
        assert "intake.forbidden-char" in rules_of(submission), repr(bad)
        assert not submission.ok


def test_single_line_items_refuse_several_lines(rules, spec):
    text = replace_section(body("key-technology.md"), "报送主体 · 报送单位名称", "第一行\n第二行")
    assert "intake.one-line" in rules_of(submit(text, rules, spec))


# --- the comment posted back ---------------------------------------------------------------------------

def test_comment_echoes_submitted_text_only_inside_a_code_block(rules, spec):
    text = replace_section(body("key-technology.md"), "成果类别", "@octocat ```` <img src=x>")
    submission = submit(text, rules, spec)
    comment = render_comment(submission)
    assert comment.startswith("<!-- zlhcg:intake -->")
    assert "❌ 表单中有" in comment
    inside = comment.split("`````text\n", 1)[1].split("\n`````", 1)[0]
    assert "@octocat" in inside  # quoted, but inside a fence longer than any backtick run in it
    outside = comment.replace(inside, "")
    assert "@octocat" not in outside and "<img" not in outside


def test_fence_is_longer_than_any_backtick_run():
    assert fenced("a ``` b").startswith("````text\n")
    assert fenced("plain").startswith("```text\n")


def test_success_comment_names_the_record(rules, spec):
    comment = render_comment(submit(body("major-application.md"), rules, spec))
    assert "✅ 表单检查通过" in comment and RECORD_ID in comment


# --- the command ---------------------------------------------------------------------------------------

def test_from_issue_writes_a_valid_record_and_a_comment(repo, tmp_path, capsys):
    comment, outputs = tmp_path / "comment.md", tmp_path / "outputs.json"
    code = main(["--root", str(repo), "from-issue", "--body-file", str(ISSUES / "key-technology.md"), "--issue", "12",
                 "--id", "2025-3kq8m2vb", "--comment-file", str(comment), "--outputs", str(outputs)])
    assert code == 0, capsys.readouterr()
    record = repo / "results" / "2025" / "2025-3kq8m2vb" / "2025-3kq8m2vb.yaml"
    text = record.read_text(encoding="utf-8")
    assert "由议题 #12 的报送表单生成" in text
    assert json.loads(outputs.read_text(encoding="utf-8")) == {
        "ok": True, "record_id": "2025-3kq8m2vb", "record_path": "results/2025/2025-3kq8m2vb/2025-3kq8m2vb.yaml",
        "pr_title": "成果报送：五轴联动数控机床高精度数控系统及产业化（2025-3kq8m2vb）", "issue": 12}
    assert "✅" in comment.read_text(encoding="utf-8")
    assert main(["--root", str(repo), "validate", str(record)]) == 0  # the project's own validator agrees


def test_from_issue_reads_the_event_file_and_assigns_a_fresh_id(repo, tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "opened", "issue": {"number": 5, "body": body("major-application.md"),
                                                                "user": {"login": "someone"}}}), encoding="utf-8")
    assert main(["--root", str(repo), "from-issue", "--event", str(event)]) == 0
    [folder] = list((repo / "results").glob("*/*"))
    assert folder.name.startswith("20") and (folder / f"{folder.name}.yaml").is_file()


def test_from_issue_never_writes_a_broken_record(repo, tmp_path):
    bad = tmp_path / "body.md"
    text = replace_section(body("key-technology.md"), "成果名称", "<script>alert(1)</script>")
    bad.write_text(text, encoding="utf-8")
    comment, outputs = tmp_path / "comment.md", tmp_path / "outputs.json"
    code = main(["--root", str(repo), "from-issue", "--body-file", str(bad), "--comment-file", str(comment),
                 "--outputs", str(outputs), "--id", "2025-3kq8m2vb"])
    assert code == 1
    assert list((repo / "results").rglob("*")) == []
    assert json.loads(outputs.read_text(encoding="utf-8"))["ok"] is False
    assert "网页代码" in comment.read_text(encoding="utf-8")


def test_from_issue_refuses_bad_ids_and_existing_records(repo, tmp_path, capsys):
    assert main(["--root", str(repo), "from-issue", "--body-file", str(ISSUES / "key-technology.md"),
                 "--id", "../../etc"]) == 2
    assert "格式不正确" in capsys.readouterr().err
    (repo / "results" / "2025" / "2025-3kq8m2vb").mkdir(parents=True)
    assert main(["--root", str(repo), "from-issue", "--body-file", str(ISSUES / "key-technology.md"),
                 "--id", "2025-3kq8m2vb"]) == 2
    assert "不会覆盖" in capsys.readouterr().err
