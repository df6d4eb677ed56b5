"""Every record rule: a failing example, with its rule id, message, line and column.

Each case mutates the exemplar record's text; the expected position is found in the mutated text itself
(where the offending value starts), never copied from the program's output.
"""

from __future__ import annotations

import os
from datetime import date

import pytest

from pipeline.diagnostics import Severity
from pipeline.model.library import load_library
from tests.factories import EXEMPLAR, add_record

EXEMPLAR_TEXT = EXEMPLAR.read_text(encoding="utf-8")
RECORD_ID = "2025-3kq8m2va"
TODAY = date(2026, 11, 20)


def mutate(old: str, new: str) -> str:
    assert old in EXEMPLAR_TEXT, old
    return EXEMPLAR_TEXT.replace(old, new, 1)


def position(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """1-based line and column where `needle` (plus `offset` characters) starts in `text`."""
    index = text.index(needle) + offset
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def check(repo, text: str | bytes, **kw):
    path = repo / "results" / RECORD_ID[:4] / RECORD_ID / f"{RECORD_ID}.yaml"
    add_record(repo, text="", record_id=RECORD_ID, image=kw.get("image", True))
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load_library(repo, today=TODAY).diagnostics


def only(diagnostics, rule):
    found = [d for d in diagnostics if d.rule == rule]
    assert found, f"no {rule} among {[(d.rule, d.message) for d in diagnostics]}"
    return found[0]


def test_exemplar_is_valid(repo):
    assert check(repo, EXEMPLAR_TEXT) == []


# --- rules checked at a value: (name, old, new, rule, needle in new text, offset into needle, message part)
VALUE_CASES = [
    ("credit code check char", "91330200MA28111108", "91330200MA28111109", "rule.credit-code", "91330200MA28111109", 0,
     "校验码不正确"),
    ("orcid check digit", "0000-0002-1825-0097", "0000-0002-1825-0098", "rule.orcid", "0000-0002-1825-0098", 0,
     "校验位不正确"),
    ("patent check digit", "ZL202110123456.7", "ZL202110123456.8", "rule.patent-number", "ZL202110123456.8", 0,
     "专利号"),
    ("field outside highland", "field: 先进半导体材料", "field: 人工智能", "rule.field-highland", "人工智能", 0,
     "属于“互联网+”"),
    ("person unit not listed", "      - 东海大学（演示）", "      - 西湖大学（演示）", "rule.person-unit", "西湖大学", 0,
     "不在完成单位列表中"),
    ("future entry date", 'entered: "2025-03-05"', 'entered: "2027-01-05"', "rule.future-date", '"2027-01-05"', 0,
     "晚于今天"),
    ("impossible date", 'entered: "2025-03-05"', "entered: 2026-02-30", "schema.format", "2026-02-30", 0,
     "不是有效的日期"),
    ("unknown enum value", "level: 国际先进", "level: 世界一流", "schema.enum", "世界一流", 0, "不在允许范围内"),
    ("enum near miss suggests", "highland: 新材料", "highland: 新材料料", "schema.enum", "新材料料", 0, "不在允许范围内"),
    ("pattern", "    phone: 0574-88881234", '    phone: "0574 8888"', "schema.pattern", '"0574 8888"', 0, "格式不正确"),
    # 2.0: where the schema wants text an unquoted number is the text as written, so an all-digit credit code
    # needs no quotes and gets its real check (here the embedded organisation code's, GB 11714).
    ("18-digit number unquoted is text", '    credit_code: "12330000470003388W"', "    credit_code: 123300004700033817",
     "rule.organisation-code", "123300004700033817", 0, "组织机构代码"),
    ("yes is not true", "  confirmed: true", "  confirmed: yes", "schema.const", "yes", 0, "必须为 true"),
    ("html in summary", "  打破了国外厂商", "  <b onclick=x>打破</b>了国外厂商", "content.html", "summary: >-", 9,
     "不允许使用网页代码"),
    ("script in description", "  ## 主要内容", "  <script>alert(1)</script>", "content.html", "<script>", -2,
     "不允许使用网页代码"),
    ("javascript link", "[网上技术市场展示页](https://example.org/tech/sic-module)", "[网上技术市场展示页](JaVaScRiPt:alert(1))",
     "content.unsafe-link", "[网上技术市场展示页](JaVaScRiPt", -2, "JaVaScRiPt"),
    ("entity-obfuscated javascript link", "[网上技术市场展示页](https://example.org/tech/sic-module)",
     "[网上技术市场展示页](&#106;avascript:alert(1))", "content.unsafe-link", "[网上技术市场展示页](&#106;", -2, "javascript"),
    ("protocol-relative link", "[网上技术市场展示页](https://example.org/tech/sic-module)",
     "[网上技术市场展示页](//evil.example/x)", "content.protocol-relative-link", "[网上技术市场展示页](//", -2, "缺少 https"),
    ("external image", "  ## 主要内容", "  ![外部图片](https://evil.example/x.png)", "content.external-image",
     "![外部图片]", -2, "外部网址"),
    ("resident id in text", "  打破了国外厂商", "  联系人身份证 110101199003074514，打破了国外厂商", "rule.personal-id",
     "summary: >-", 9, "居民身份证号码"),
    ("mobile number in text", "  打破了国外厂商", "  联系 13812345678，打破了国外厂商", "rule.personal-phone",
     "summary: >-", 9, "手机号码"),
]


@pytest.mark.parametrize("name,old,new,rule,needle,offset,fragment", VALUE_CASES, ids=[c[0] for c in VALUE_CASES])
def test_value_rules(repo, name, old, new, rule, needle, offset, fragment):
    text = mutate(old, new)
    found = only(check(repo, text), rule)
    assert fragment in found.message
    assert found.hint, "every diagnostic says how to fix it"
    line, column = position(text, needle)
    if offset == -2:  # inside a literal block: the line of the problem (its column is not known exactly)
        assert (found.line, found.column) == (line, None)
    else:  # folded text cannot be mapped back line by line: reported where the field's value starts
        assert (found.line, found.column) == (line, column + offset)


def test_leading_zero_number_stays_text_and_is_reported_as_wrong_type(repo):
    text = mutate("    amount: 4.6", "    amount: 0012")
    found = only(check(repo, text), "schema.type")
    assert "应为数字" in found.message and "0012" in found.message
    assert (found.line, found.column) == position(text, "0012")


@pytest.mark.parametrize("field", ["id", "title", "summary", "description", "innovations", "category", "level",
                                   "highland", "field", "submitter", "units", "people", "ip_statement"])
def test_each_required_field_missing(repo, field):
    lines = EXEMPLAR_TEXT.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith((" ", "-")))
    text = "\n".join(lines[:start] + lines[end:])
    found = [d for d in check(repo, text) if d.rule == "schema.required" and d.field == field]
    assert found and "缺少必填字段" in found[0].message
    assert (found[0].line, found[0].column) == (1, 1) or found[0].line is not None


@pytest.mark.parametrize("category,evidence", [("基础研究成果", "papers"), ("重大应用成果", "application")])
def test_category_requires_its_evidence(repo, category, evidence):
    text = mutate("category: 技术攻关成果", f"category: {category}")
    found = [d for d in check(repo, text) if d.rule == "schema.required" and d.field == evidence]
    assert found, "the category's evidence is required"
    assert category in found[0].message


def test_unknown_field_suggests_the_right_name(repo):
    text = mutate("level: 国际先进", "levle: 国际先进")
    diagnostics = check(repo, text)
    found = only(diagnostics, "schema.additionalProperties")
    assert "levle" in found.message and "level" in found.hint
    assert (found.line, found.column) == position(text, "levle")


def test_id_must_match_file_name(repo):
    text = mutate("id: 2025-3kq8m2va", "id: 2025-3kq8m2vb")
    found = only(check(repo, text), "rule.id-filename")
    assert "不一致" in found.message
    assert (found.line, found.column) == position(text, "2025-3kq8m2vb")


def test_duplicate_ids_across_files_are_reported_for_both(repo):
    check(repo, EXEMPLAR_TEXT)
    other = repo / "results" / "2025" / "2025-3kq8m2vb"
    other.mkdir()
    (other / "2025-3kq8m2vb.yaml").write_text(EXEMPLAR_TEXT, encoding="utf-8")
    (other / "module.png").write_bytes((repo / "results" / RECORD_ID[:4] / RECORD_ID / "module.png").read_bytes())
    diagnostics = load_library(repo, today=TODAY).diagnostics
    duplicates = [d for d in diagnostics if d.rule == "rule.duplicate-id"]
    assert {d.file for d in duplicates} == {f"results/{RECORD_ID[:4]}/{RECORD_ID}/{RECORD_ID}.yaml", "results/2025/2025-3kq8m2vb/2025-3kq8m2vb.yaml"}


def test_media_missing_wrong_type_too_large_and_stray_files(repo):
    diagnostics = check(repo, EXEMPLAR_TEXT, image=False)
    missing = only(diagnostics, "rule.media-missing")
    assert (missing.line, missing.column) == position(EXEMPLAR_TEXT, "module.png")
    folder = repo / "results" / RECORD_ID[:4] / RECORD_ID
    (folder / "module.png").write_bytes(b"<svg onload=alert(1)>")
    assert "不是有效的图片" in only(load_library(repo, today=TODAY).diagnostics, "rule.media-type").message
    (folder / "module.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024 + 1))
    assert "超过 2 MB" in only(load_library(repo, today=TODAY).diagnostics, "rule.media-too-large").message
    (folder / "module.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "evil.svg").write_text("<svg/>")
    (folder / "extra.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    diagnostics = load_library(repo, today=TODAY).diagnostics
    assert only(diagnostics, "layout.file-type").file == f"results/{RECORD_ID[:4]}/{RECORD_ID}/evil.svg"
    assert only(diagnostics, "layout.unlisted-media").file == f"results/{RECORD_ID[:4]}/{RECORD_ID}/extra.png"


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlinked_media_is_refused(repo, tmp_path):
    check(repo, EXEMPLAR_TEXT)
    folder = repo / "results" / RECORD_ID[:4] / RECORD_ID
    (folder / "module.png").unlink()
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "module.png").symlink_to(secret)
    found = only(load_library(repo, today=TODAY).diagnostics, "rule.media-symlink")
    assert "符号链接" in found.message


def test_summary_over_soft_limit_warns_without_failing(repo):
    text = mutate("  打破了国外厂商在车规级碳化硅模块领域的长期垄断。", "  打破了国外厂商在车规级碳化硅模块领域的长期垄断。" + "说明" * 100)
    diagnostics = check(repo, text)
    found = only(diagnostics, "rule.summary-length")
    assert found.severity is Severity.WARNING
    assert not [d for d in diagnostics if d.is_error]
