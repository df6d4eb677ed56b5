"""The expert roster: the committed one is valid and usable, and a broken one is refused with precise
Chinese messages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from pipeline.cli import main
from pipeline.experts.record_facts import facts_from_document
from pipeline.experts.roster import ROSTER_PATH, RosterInvalid, load_roster
from pipeline.experts.routing import conflicts_of
from pipeline.model.library import load_rules
from pipeline.read.site_config import read_site_config
from pipeline.read.sources import Layout, find_record_sources, read_record
from tests.factories import REPO

ROSTER = REPO / ROSTER_PATH


@pytest.fixture(scope="module")
def rules():
    return load_rules(Layout(REPO), date(2025, 7, 1))


@pytest.fixture(scope="module")
def roster(rules):
    found, warnings = load_roster(ROSTER, ROSTER_PATH, rules.schemas)
    assert warnings == []
    return found


def write(tmp_path: Path, experts: list[dict]) -> Path:
    path = tmp_path / "experts.yaml"
    path.write_text(yaml.safe_dump({"experts": experts}, allow_unicode=True), encoding="utf-8")
    return path


def entry(**overrides) -> dict:
    base = {"handle": "expert-a", "name": "张三", "fields": ["人工智能"],
            "unit": {"name": "西湖工学院（演示）", "credit_code": "12330000MB0D12345T"}, "active": True}
    return {**base, **overrides}


def problems(tmp_path, rules, experts) -> list:
    with pytest.raises(RosterInvalid) as caught:
        load_roster(write(tmp_path, experts), "experts.yaml", rules.schemas)
    return caught.value.diagnostics


def test_committed_roster_is_valid(capsys):
    assert main(["--root", str(REPO), "experts", "check"]) == 0
    assert "检查通过" in capsys.readouterr().out


def test_committed_roster_covers_every_field_with_two_active_experts(roster, rules):
    for term in rules.vocab.fields.terms:
        active = [e for e in roster.active if term.name in e.fields]
        assert len(active) >= 2, term.name
    assert 28 <= len(roster.experts) <= 40
    assert roster.demo is True  # fictional: the workflows must not ping these accounts
    assert any(not e.active for e in roster.experts)


def test_committed_roster_has_conflicts_with_the_demo_records(roster, rules):
    conflicted = set()
    for source in find_record_sources(Layout(REPO))[0]:
        facts = facts_from_document(read_record(source), rules.vocab)
        conflicted |= {e.handle for e in roster.experts if conflicts_of(e, [facts])}
    assert len(conflicted) >= 5


def test_roster_is_not_part_of_the_published_site():
    config = read_site_config(REPO)
    docs = (REPO / config.docs_dir).resolve()
    assert not ROSTER.resolve().is_relative_to(docs)


def test_duplicate_handles_regardless_of_case(tmp_path, rules):
    path = tmp_path / "experts.yaml"
    path.write_text("experts:\n"
                    "  - {handle: expert-a, name: 张三, fields: [人工智能], active: true,\n"
                    "     unit: {name: 西湖工学院（演示）, credit_code: 12330000MB0D12345T}}\n"
                    "  - {handle: Expert-A, name: 李四, fields: [人工智能], active: true,\n"
                    "     unit: {name: 西湖工学院（演示）, credit_code: 12330000MB0D12345T}}\n", encoding="utf-8")
    with pytest.raises(RosterInvalid) as caught:
        load_roster(path, "experts.yaml", rules.schemas)
    [found] = caught.value.diagnostics
    assert found.rule == "experts.duplicate-handle"
    assert found.message == "GitHub 账号“Expert-A”重复（第一次出现在第 1 位专家）。"
    assert (found.line, found.column, found.field) == (4, 14, "experts[1].handle")  # "  - {handle: " is 13 characters


def test_wrong_check_digit(tmp_path, rules):
    [found] = problems(tmp_path, rules, [entry(unit={"name": "某单位", "credit_code": "12330000MB0D12345X"})])
    assert found.rule == "experts.credit-code" and "12330000MB0D12345X" in found.message


@pytest.mark.parametrize("change, rule, words", [
    ({"fields": ["区块链"]}, "schema.enum", "不在允许范围内"),
    ({"handle": "-bad-"}, "schema.pattern", "格式不正确"),
    ({"handle": "a" * 40}, "schema.pattern", "格式不正确"),
    ({"active": "yes"}, "schema.type", "应为true 或 false"),
    ({"fields": []}, "schema.minItems", "至少需要 1 项"),
])
def test_schema_problems_in_chinese(tmp_path, rules, change, rule, words):
    found = problems(tmp_path, rules, [entry(**change)])
    assert [d.rule for d in found] == [rule]
    assert words in found[0].message


def test_same_code_two_names_is_a_warning(tmp_path, rules):
    roster, warnings = load_roster(write(tmp_path, [entry(), entry(handle="expert-b", unit={
        "name": "西湖工学院", "credit_code": "12330000MB0D12345T"})]), "experts.yaml", rules.schemas)
    assert len(roster.experts) == 2
    assert [w.rule for w in warnings] == ["experts.unit-name"] and not warnings[0].is_error


def test_missing_and_unreadable_rosters(tmp_path, rules, capsys):
    with pytest.raises(RosterInvalid):
        load_roster(tmp_path / "none.yaml", "none.yaml", rules.schemas)
    bad = tmp_path / "bad.yaml"
    bad.write_text("experts: &a [1]\nmore: *a\n", encoding="utf-8")
    with pytest.raises(RosterInvalid) as caught:
        load_roster(bad, "bad.yaml", rules.schemas)
    assert caught.value.diagnostics[0].rule == "yaml.anchor"
    assert main(["--root", str(REPO), "experts", "check", "--roster", str(bad)]) == 1
    assert main(["--root", str(REPO), "reviewers", "--roster", str(bad), str(ROSTER)]) == 2
    assert "评审专家名册有误" in capsys.readouterr().err
