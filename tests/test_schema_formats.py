"""The formats the schema relies on are really checked, by both validators, and the two validators agree."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model.library import load_rules
from pipeline.read.sources import Layout
from tests.factories import EXEMPLAR, REPO

SCHEMAS = load_rules(Layout(REPO), date(2026, 11, 20)).schemas
VALID = yaml.safe_load(EXEMPLAR.read_text(encoding="utf-8"))


def with_value(path, value):
    data = yaml.safe_load(EXEMPLAR.read_text(encoding="utf-8"))
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize("path,bad,good", [
    (("entered",), "2026-02-30", "2026-02-28"),
    (("publish_at",), "2027-03-01T25:00:00+08:00", "2027-03-01T09:00:00+08:00"),
    (("transfer", "contact", "email"), "不是邮箱", "tto@example.edu.cn"),
    (("transfer", "market_url"), "https://exa mple.org/ x", "https://example.org/x"),
])
def test_formats_are_checked_by_both_validators(path, bad, good):
    for value, expected in ((bad, False), (good, True)):
        data = with_value(path, value)
        assert SCHEMAS.fast["result"].is_valid(data) is expected, value
        assert SCHEMAS.validators["result"].is_valid(data) is expected, value


leaf = st.none() | st.booleans() | st.integers(-5, 3000) | st.text(max_size=12) | st.sampled_from(
    ["2025-03-05", "2025-02-30", "https://example.org", "a@b.c", "国际领先", "杭州市", "ZL202110123456.7", ""])


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(VALID)), st.recursive(leaf, lambda c: st.lists(c, max_size=3) | st.dictionaries(
    st.sampled_from(["name", "date", "text", "type", "title", "x"]), c, max_size=3), max_leaves=8))
def test_fast_and_explaining_validators_agree(key, value):
    data = dict(VALID)
    data[key] = value
    assert SCHEMAS.fast["result"].is_valid(data) == SCHEMAS.validators["result"].is_valid(data)
