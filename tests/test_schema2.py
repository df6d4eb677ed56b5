"""Record format 2.0 (issue 13): every problem in one round, values typed by the schema, the new evidence,
patents in every CNIPA layout, units abroad, several units per person, benefits with qualifiers, middle dots,
old versions refused, and `zlhcg migrate` upgrading the 1.0 demo library losslessly.

Each case mutates the exemplar's text, as tests/test_record_rules.py does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.check.patents import APPLICATION, GRANTED, PUBLICATION, read_cn_patent
from pipeline.check.checkdigits import organisation_code_is_valid
from pipeline.read.strictyaml import load_text
from pipeline.submit.migrate import migrate_text, new_path
from tests.factories import REPO
from tests.test_record_rules import EXEMPLAR_TEXT, check, mutate, only, position

V1 = REPO / "tests" / "data" / "v1"


def rules_of(diagnostics) -> list[str]:
    return sorted(d.rule for d in diagnostics if d.is_error)


# --- one round -------------------------------------------------------------------------------------------

EIGHT_PROBLEMS = [
    ("  碳化硅（SiC）功率模块是新能源汽车", "  碳化硅（SiC）功率模块是新能源汽车<script>x</script>"),  # unsafe Markdown
    ("level: 国际先进", "level: 世界一流"),  # unknown vocabulary value
    ("      - 东海大学（演示）", "      - 西湖大学（演示）"),  # person's unit not among the units
    ("91330200MA28111108", "91330200MA28111109"),  # check character
    ('entered: "2025-03-05"', 'entered: "2027-01-05"'),  # a date in the future
    ("  打破了国外厂商", "  联系人身份证 110101199003074514，打破了国外厂商"),  # resident ID number in text
    ("title_en: ", "title_en:\n  - "),  # schema type error (a list where text is wanted)
    ("ip_statement:\n  confirmed: true\n", "ip_statement:\n"),  # a missing required field
]


def test_eight_independent_problems_are_all_reported_in_one_run(repo):
    text = EXEMPLAR_TEXT
    for old, new in EIGHT_PROBLEMS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    found = rules_of(check(repo, text))
    for rule in ("content.html", "schema.enum", "rule.person-unit", "rule.credit-code", "rule.future-date",
                 "rule.personal-id", "schema.type", "schema.required"):
        assert rule in found, (rule, found)


# --- values typed by the schema ----------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["0012", "2024", "yes", "1:30", "2025-01-01", "true", "1e3", "off"])
def test_a_plain_value_where_text_is_wanted_is_the_text_as_written(repo, written):
    text = mutate("    number: 2022C01001", f"    number: {written}")  # a project number: text
    assert rules_of(check(repo, text)) == []
    text = mutate("tags: [碳化硅, 功率模块, 新能源汽车]", f"tags: [碳化硅, 功率模块, {written}]")
    assert rules_of(check(repo, text)) == []


def test_an_all_digit_credit_code_needs_no_quotes(repo):
    assert rules_of(check(repo, mutate('credit_code: "12330000470003388W"', "credit_code: 123300004700033022"))) == []


def test_an_empty_credit_code_is_not_yet_filled_not_a_format_error(repo):
    found = only(check(repo, mutate('credit_code: "12330000470003388W"', "credit_code:")), "schema.pattern")
    assert "尚未填写" in found.message and "“”" not in found.message


def test_a_comment_cutting_a_sentence_is_named(repo):
    text = mutate("title: 车规级碳化硅功率模块关键技术及产业化", "title: 车规级碳化硅功率模块 #1 号关键技术")
    found = only(check(repo, text), "yaml.comment-in-text")
    assert "注释" in found.message and "车规级碳化硅功率模块" in found.message
    assert (found.line, found.column) == position(text, "#1")


@pytest.mark.parametrize("written, words", [("约53.7", ["qualifier: 约", "53.7"]), ("53.7亿元", ["unit: 亿元"]),
                                            ("超过 100", ["qualifier: 超过", "100"]), ("近3", ["qualifier: 近"])])
def test_a_qualifier_inside_a_number_points_to_the_qualifier_field(repo, written, words):
    found = only(check(repo, mutate("    amount: 4.6", f"    amount: {written}")), "schema.type")
    assert "只能填数字" in found.message
    for word in words:
        assert word in found.hint, (word, found.hint)


# --- patents ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, kind, canonical", [
    ("ZL202110123456.7", GRANTED, "ZL202110123456.7"),
    ("ZL 2021 1 0123456.7", GRANTED, "ZL202110123456.7"),
    ("ＺＬ２０２１１０１２３４５６．７", GRANTED, "ZL202110123456.7"),
    ("ZL95115608.X", GRANTED, "ZL95115608.X"),  # 1985–2003: 8 digits, the published worked example
    ("201710601862.3", APPLICATION, "201710601862.3"),  # the published worked example of the 12-digit check
    ("CN201710601862.3", APPLICATION, "201710601862.3"),
    ("2017106018623", APPLICATION, "201710601862.3"),
    ("CN115123456A", PUBLICATION, "CN115123456A"),
])
def test_cnipa_layouts_are_read(written, kind, canonical):
    read = read_cn_patent(written)
    assert read is not None and read.kind == kind and read.canonical == canonical and read.check_ok


def test_a_wrong_check_character_says_which_one_is_expected():
    assert read_cn_patent("ZL95115608.1").check_ok is False


@pytest.mark.parametrize("number, status, rule", [
    ("ZL 2021 1 0123456.7", "已授权", None),
    ("ZL98113456.X", "已授权", "rule.patent-number"),  # check character of 98113456 is 1, not X
    ("202110123456.7", "实审中", None),
    ("ZL202110123456.7", "实审中", "rule.patent-status"),  # a granted number for a pending application
    ("202110123456.7", "已授权", "rule.patent-status"),
    ("US10061834B2", "已授权", "rule.patent-office"),  # foreign without its office
])
def test_patent_numbers_and_status(repo, number, status, rule):
    text = mutate("    - number: ZL202110123456.7\n      title: 一种碳化硅外延层缺陷原位抑制方法\n      status: 已授权",
                  f"    - number: {number}\n      title: 一种碳化硅外延层缺陷原位抑制方法\n      status: {status}")
    found = rules_of(check(repo, text))
    assert found == ([rule] if rule else []), found


def test_foreign_and_pct_patents_with_an_office_are_taken_as_written(repo):
    text = mutate("      status: 已授权\n", "      status: 已授权\n    - number: US10061834B2\n      title: Method for SiC\n"
                  "      status: 已授权\n      office: US\n    - number: WO2019/123456\n      title: PCT 申请\n"
                  "      status: 已公开\n      office: WO\n")
    assert rules_of(check(repo, text)) == []


# --- units, people, submitter ----------------------------------------------------------------------------

def test_the_embedded_organisation_code_is_checked(repo):
    assert organisation_code_is_valid("M000100Y4")  # GB 32100's own sample 91350100M000100Y43
    # Valid 18th character, wrong organisation-code check: 12330000 47000338 [1] → the 18th recomputed.
    found = only(check(repo, mutate('credit_code: "12330000470003388W"', 'credit_code: "123300004700033817"')),
                 "rule.organisation-code")
    assert "470003381" in found.message and "GB 11714" in found.message


def test_units_outside_the_mainland_have_a_region_and_no_credit_code(repo):
    unit = "  - name: 香港科技大学\n    type: 高等学校\n    region: 香港特别行政区\n  - name: 德国弗劳恩霍夫研究所\n" \
           "    type: 科研院所\n    region: 国外\n    country: 德国\n"
    text = EXEMPLAR_TEXT.replace("people:\n", unit + "people:\n", 1)
    assert rules_of(check(repo, text)) == []
    with_code = text.replace("    region: 香港特别行政区\n", "    region: 香港特别行政区\n    credit_code: 91330200MA28111108\n")
    assert rules_of(check(repo, with_code)) == ["rule.unit-abroad"]
    no_country = text.replace("    country: 德国\n", "")
    assert rules_of(check(repo, no_country)) == ["schema.required"]


def test_a_person_may_have_several_units_each_among_the_units(repo):
    text = mutate("      - 东海大学（演示）", "      - 东海大学（演示）\n      - 甬芯半导体科技有限公司（演示）")
    assert rules_of(check(repo, text)) == []
    found = only(check(repo, mutate("      - 东海大学（演示）", "      - 东海大学（演示）\n      - 之江实验室")), "rule.person-unit")
    assert found.field.endswith("units[1]")


@pytest.mark.parametrize("written, route", [("普通企业", "设区市科技局"), ("县科技局", "设区市科技局"),
                                           ("宁波某某有限公司", "设区市科技局")])
def test_a_refused_submitter_type_explains_the_route(repo, written, route):
    found = only(check(repo, mutate("  type: 设区市科技局", f"  type: {written}")), "schema.enum")
    assert "九类主体" in found.message and route in found.hint


@pytest.mark.parametrize("dot", ["\u2022", "\u2027", "\u30fb", "\uff65", "\u16eb", "\u2219", "\u22c5"])
def test_look_alike_middle_dots_are_refused_with_the_corrected_name(repo, dot):
    text = mutate("people:\n  - name: ", f"people:\n  - name: 阿不都{dot}热合曼\n    units: [东海大学（演示）]\n"
                  "    role: 参与样机测试\n  - name: ")
    found = only(check(repo, text), "rule.name-middle-dot")
    assert f"U+{ord(dot):04X}" in found.message and "阿不都·热合曼" in found.hint


def test_rare_characters_of_cjk_extensions_b_to_g_are_kept(repo):
    names = "𠀀𪜀𫝀𫠠𬺰𰀀"  # one character each from Extensions B, C, D, E, F, G
    text = mutate("title: 车规级碳化硅功率模块关键技术及产业化", f"title: 车规级碳化硅功率模块关键技术{names}")
    assert rules_of(check(repo, text)) == []


# --- evidence --------------------------------------------------------------------------------------------

def test_awards_certificates_and_benchmarks(repo):
    evidence = ("awards:\n  - name: 浙江省科学技术进步奖\n    year: 2023\n    grade: 一等奖\n    certificate: 2023-J-1-001\n"
                "certificates:\n  - kind: 医疗器械注册证号\n    number: 国械注准20233010123\n"
                "  - kind: 科技成果登记号\n    number: 0033202401234\n"
                "benchmarks:\n  - claim: 模块热阻较同类进口产品低 25%\n    source: 第三方检测机构\n"
                "    url: https://example.org/report\n")
    text = mutate("level: 国际先进", evidence + "level: 国际先进")
    assert rules_of(check(repo, text)) == []
    assert rules_of(check(repo, text.replace("grade: 一等奖", "grade: 特等奖"))) == ["rule.award-grade"]
    assert rules_of(check(repo, text.replace("国械注准20233010123", "国械注准2023301012"))) == ["rule.certificate-number"]
    assert rules_of(check(repo, text.replace("year: 2023", "year: 2099"))) == ["rule.future-date"]


def test_other_field_needs_a_note(repo):
    text = mutate("highland: 新材料", "highland: 其他领域").replace("field: 先进半导体材料", "field: 其他")
    assert rules_of(check(repo, text)) == ["schema.required"]
    assert rules_of(check(repo, text.replace("field: 其他", "field: 其他\nfield_note: 古籍数字化"))) == []


def test_vocabulary_examples_fit_their_own_patterns():
    import re

    from pipeline.check.vocab import load_vocabularies
    vocab = load_vocabularies(REPO / "schema" / "vocab")
    for term in vocab["certificate_kinds"].terms:
        assert not term.pattern or re.fullmatch(term.pattern, term.example), term.name
    grades = set(vocab["award_grades"].names)
    for term in vocab["awards"].terms:
        assert set(term.grades or ()) <= grades, term.name


# --- versions and migration -------------------------------------------------------------------------------

def test_a_1_0_record_is_refused_with_the_migrate_hint(repo):
    old = (V1 / "2025-3kq8m2va.yaml").read_text(encoding="utf-8")
    [found] = [d for d in check(repo, old) if d.is_error]
    assert found.rule == "schema.version" and "zlhcg migrate" in found.hint and "1.0" in found.message


def _leaves(data, path=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, path + (i,))
    else:
        yield path, data


def _at(data, path):
    for part in path:
        data = data[part]
    return data


@pytest.mark.parametrize("old", sorted(V1.glob("*.yaml")), ids=lambda p: p.stem)
def test_migration_loses_no_value_and_made_the_committed_file(old: Path):
    text = old.read_text(encoding="utf-8")
    migrated = migrate_text(text, old.name)
    before = load_text(text, "old").as_written()
    after = load_text(migrated.text, "new").as_written()
    mapped = set()
    for path, value in _leaves(before):
        target = new_path(path)
        moved = _at(after, target)
        if path[-1] == "number" and path[:2] == ("ip", "patents") and moved != value:
            assert "ZL" + moved == value  # a pending patent loses the ZL 1.0 forced on it
        else:
            assert moved == value or moved == value.replace("\u2022", "·"), (path, value, moved)
        mapped.add(target)
    assert {p for p, _ in _leaves(after)} - mapped == {("schema_version",)}
    committed = REPO / "results" / old.stem[:4] / old.stem / old.name
    expected = committed.read_text(encoding="utf-8")
    if old.stem == "2025-3kq8m2va":  # its credit code was corrected after the migration (GB 11714)
        expected = expected.replace("12330000470003388W", "123300004700033817")
    assert migrated.text == expected


def test_migrate_command_upgrades_a_folder_and_then_has_nothing_to_do(repo, capsys):
    from pipeline.cli import main

    folder = repo / "results" / "2025" / "2025-3kq8m2va"
    check(repo, (V1 / "2025-3kq8m2va.yaml").read_text(encoding="utf-8"))
    assert main(["--root", str(repo), "migrate", "--check"]) == 1
    assert main(["--root", str(repo), "migrate", str(folder)]) == 0
    assert "已升级到 2.0 1 个文件" in capsys.readouterr().out
    assert main(["--root", str(repo), "migrate", "--check"]) == 0
    assert (folder / "2025-3kq8m2va.yaml").read_text(encoding="utf-8").count('schema_version: "2.0"') == 1


def test_migrate_takes_a_year_folder_and_refuses_a_path_outside_results(repo, capsys):
    from pipeline.cli import main

    check(repo, (V1 / "2025-3kq8m2va.yaml").read_text(encoding="utf-8"))
    assert main(["--root", str(repo), "migrate", str(repo / "results" / "2025")]) == 0
    assert "已升级到 2.0 1 个文件" in capsys.readouterr().out
    assert main(["--root", str(repo), "migrate", str(repo / "site")]) == 2
    assert "不在成果目录 results/ 中" in capsys.readouterr().err


# --- the issue form takes the 2.0 fields -----------------------------------------------------------------

def test_the_form_intake_accepts_the_new_fields_and_checks_a_row_with_a_wrong_column_count():
    from datetime import date

    import yaml

    from pipeline.model.library import load_rules
    from pipeline.read.sources import Layout
    from pipeline.submit.form_spec import load_form_spec
    from tests.test_experts_intake import body, replace_section, submit

    rules = load_rules(Layout(REPO), date(2025, 7, 1))
    spec = load_form_spec(rules.schemas)
    text = body("key-technology.md")
    text = replace_section(text, "科技奖励", "浙江省科学技术进步奖 | 2023 | 一等奖 | |")
    text = replace_section(text, "经济社会效益", "新增销售收入 | 约 | 2.1 | 亿元 | 2024年 | 经审计的年度报告")
    people = text.split("### 完成人\n\n", 1)[1].split("\n\n", 1)[0]
    first, *rest = people.split("\n")
    cells = first.split(" | ")
    cells[1] = cells[1] + "；钱塘理工大学（演示）"
    text = text.replace(people, "\n".join([" | ".join(cells), *rest]))
    submission = submit(text, rules, spec)
    assert submission.ok, [d.message for d in submission.problems]
    data = yaml.safe_load(submission.text)
    assert data["schema_version"] == "2.0"
    assert data["awards"] == [{"name": "浙江省科学技术进步奖", "year": 2023, "grade": "一等奖"}]
    assert data["benefits"][0]["qualifier"] == "约" and data["benefits"][0]["basis"] == "经审计的年度报告"
    assert data["people"][0]["units"][1] == "钱塘理工大学（演示）"
    # a row with a missing column still has its values checked (one round, not two)
    bad = replace_section(text, "科技奖励", "浙江省科学技术进步奖 | 二〇二三")
    bad = replace_section(bad, "代表性论文", "某论文 | Nature | 二〇二四")
    rules_seen = {d.rule for d in submit(bad, rules, spec).problems}
    assert {"intake.columns", "intake.number"} <= rules_seen
