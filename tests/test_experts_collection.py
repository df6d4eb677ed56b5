"""The collection side of the 通报: per city, submitter type and monthly batch, from recorded GitHub data.

Expected counts, by hand from tests/data/github/export.json (submissions are record files a pull request adds):
- 2025-aaaaaaaa 杭州市 高校院所, 03-03 → March batch, merged: accepted.
- 2025-bbbbbbbb 宁波市 设区市科技局, first 03-10 23:30 Beijing → March batch; declined in 102 but resubmitted
  in 108, still open: pending, counted once.
- 2025-cccccccc 宁波市 高校院所, 03-11 00:30 Beijing → April batch, open: pending.
- 2025-dddddddd: its file cannot be read → 未注明 / 未注明, 03-15 → April, closed unmerged: declined.
- 2025-eeeeeeee 杭州市 省实验室, 03-28 → April, open: pending.
- 2025-ffffffff: the city is "<script>…" → 未注明; 科技小巨人和科技领军企业; 04-01 04:00 Beijing → April;
  a draft: pending.
- 105 only modifies 2025-aaaaaaaa: not a submission.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from pipeline.cli import main
from pipeline.experts.collection import (Counts, batch_of, collection_stats, load_collection_export,
                                         render_collection_csv, render_collection_markdown, render_collection_page)
from pipeline.experts.github_data import load_export
from pipeline.experts.report_tables import csv_text, markdown_table
from pipeline.model.library import load_rules
from pipeline.read.sources import Layout
from tests.factories import REPO

GITHUB = REPO / "tests" / "data" / "github"


@pytest.fixture(scope="module")
def vocab():
    return load_rules(Layout(REPO), date(2025, 7, 1)).vocab


@pytest.fixture(scope="module")
def stats(vocab):
    return collection_stats(load_export(GITHUB / "export.json", vocab), vocab)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def test_batch_boundary_is_the_end_of_the_tenth_in_beijing():
    assert batch_of(utc(2025, 3, 10, 15, 59, 59)) == "2025-03"  # 23:59:59 on the 10th
    assert batch_of(utc(2025, 3, 10, 16, 0, 0)) == "2025-04"  # midnight: the 11th
    assert batch_of(utc(2025, 2, 28, 17, 0)) == "2025-03"  # 1 March in Beijing
    assert batch_of(utc(2025, 12, 20)) == "2026-01"


def test_counts_per_city(stats):
    by_city = dict(stats.by_city)
    assert by_city["杭州市"] == Counts(accepted=1, declined=0, pending=1)
    assert by_city["宁波市"] == Counts(accepted=0, declined=0, pending=2)
    assert by_city["未注明"] == Counts(accepted=0, declined=1, pending=1)
    assert by_city["温州市"] == Counts()  # every city is listed, also those that sent nothing
    assert "省外" not in by_city  # a completing unit's city, never a submitter's
    assert [c for c, _ in stats.by_city][:3] == ["杭州市", "宁波市", "温州市"]  # vocabulary order


def test_counts_per_submitter_type_and_batch(stats):
    by_type = dict(stats.by_submitter_type)
    assert by_type["高校院所"] == Counts(1, 0, 1)
    assert by_type["设区市科技局"] == Counts(0, 0, 1)
    assert by_type["科技小巨人和科技领军企业"] == Counts(0, 0, 1)
    assert by_type["未注明"] == Counts(0, 1, 0)
    assert dict(stats.by_batch) == {"2025-03": Counts(1, 0, 1), "2025-04": Counts(0, 1, 3)}
    assert stats.total == Counts(1, 1, 4) and stats.total.submitted == 6


def test_public_page_has_counts_and_nothing_a_submitter_typed(stats):
    page = render_collection_page(stats)
    assert page.startswith('<div class="zlhcg-collection">')
    assert '<tr><th scope="row">杭州市</th><td>2</td><td>1</td><td>0</td><td>1</td></tr>' in page
    assert '<tr><th scope="row">2025年4月批次</th><td>4</td><td>0</td><td>1</td><td>3</td></tr>' in page
    assert "<script" not in page and "alert" not in page
    for leaked in ("演示成果", "2025-cccccccc", "甬港大学", "任文", "zhejiang-demo"):
        assert leaked not in page  # no titles, ids, units or people of any submission
    assert render_collection_page(stats) == page  # deterministic


def test_markdown_and_csv_reports(stats):
    markdown = render_collection_markdown(stats)
    assert "| 宁波市 | 2 | 0 | 0 | 2 |" in markdown
    assert "| 合计 | 6 | 1 | 1 | 4 |" in markdown
    csv = render_collection_csv(stats)
    assert csv.startswith("\ufeff维度,名称,报送,已入库,未通过,审核中\r\n")
    assert "批次,2025年3月批次,2,1,0,1\r\n" in csv


def test_loader_returns_none_without_an_export(vocab, tmp_path):
    assert load_collection_export(tmp_path / "missing.json", vocab) is None
    assert load_collection_export(GITHUB / "export.json", vocab).total.submitted == 6


def test_collection_command(repo, capsys):
    assert main(["--root", str(repo), "experts", "collection", "--export", str(GITHUB / "export.json")]) == 0
    assert "## 按月度批次" in capsys.readouterr().out


def test_tables_neutralise_markup_and_formulas():
    assert markdown_table(("a",), [["x|<b>y</b>"]]).endswith("| x\\|&lt;b&gt;y&lt;/b&gt; |")
    assert csv_text(("a",), [["=HYPERLINK(1)"], [-3]]).split("\r\n")[1:3] == ["'=HYPERLINK(1)", "-3"]
