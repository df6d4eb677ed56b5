"""Edition rules: references, presenters, counts, serials, file names and front matter."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.diagnostics import Severity
from pipeline.model.library import load_library
from tests.factories import add_edition, add_record, new_id, record_data

TODAY = date(2026, 11, 20)


def monthly_front(*ids, serial=1, issue=3, published="2025-03-28"):
    return {"issue": issue, "serial": serial, "published": published,
            "featured": [{"result": i, "note": "该成果本月取得重要进展，值得关注。", "survey": {"date": "2025-03-15", "by": "调研组"}}
                         for i in ids],
            "distribution": {"to": ["省委", "省政府"]}}


@pytest.fixture
def library(repo):
    for n in range(1, 5):
        add_record(repo, record_data(id=new_id(n)))
    add_record(repo, record_data(id=new_id(5), withdrawn={"date": "2025-06-01", "reason": "完成单位申请撤回。"}))
    add_record(repo, record_data(id=new_id(6), publish_at="2027-03-01T09:00:00+08:00"))
    return repo


def diagnostics(repo):
    return load_library(repo, today=TODAY).diagnostics


def rules_of(found):
    return [(d.rule, d.severity) for d in found]


def test_valid_monthly_report_has_no_problems(library):
    add_edition(library, "monthly", "2025-03", monthly_front(*(new_id(n) for n in range(1, 5))))
    assert diagnostics(library) == []


def test_unknown_withdrawn_and_embargoed_references(library):
    path = add_edition(library, "monthly", "2025-03", monthly_front(new_id(1), new_id(99), new_id(5), new_id(6)))
    found = {d.rule: d for d in diagnostics(library)}
    assert {"edition.unknown-result", "edition.withdrawn-result", "edition.embargoed-result"} <= set(found)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    unknown_line = next(i for i, line in enumerate(lines, 1) if new_id(99) in line)
    assert found["edition.unknown-result"].line == unknown_line
    assert found["edition.unknown-result"].file == "site/monthly/2025-03.md"


def test_a_cited_record_that_did_not_enter_is_named_as_the_file_to_fix(library):
    """A report citing a record whose file is there but was turned away (here: a build without its entry date)
    says which file to fix; "the library has no such record" would send the coordinator hunting for a typo."""
    add_record(library, record_data(id=new_id(7), entered=None))
    add_edition(library, "monthly", "2025-03", monthly_front(new_id(1), new_id(2), new_id(7)))
    found = load_library(library, today=TODAY, require_dates=True).diagnostics
    by_rule = {d.rule: d for d in found}
    assert "history.no-entry-date" in by_rule and "edition.unknown-result" not in by_rule
    cited = by_rule["edition.unaccepted-result"]
    assert cited.file == "site/monthly/2025-03.md" and f"results/{new_id(7)[:4]}/{new_id(7)}/{new_id(7)}.yaml" in cited.message
    assert load_library(library, today=TODAY).diagnostics == []  # validating needs no dates: all is well


def test_featured_count_outside_three_to_eight_is_a_warning(library):
    add_edition(library, "monthly", "2025-03", monthly_front(new_id(1), new_id(2)))
    found = [d for d in diagnostics(library) if d.rule == "edition.featured-count"]
    assert found and found[0].severity is Severity.WARNING


def test_duplicate_serial_and_issue(library):
    add_edition(library, "monthly", "2025-03", monthly_front(new_id(1), new_id(2), new_id(3)))
    add_edition(library, "monthly", "2025-04", monthly_front(new_id(1), new_id(2), new_id(3), published="2025-04-28"))
    rules = {d.rule for d in diagnostics(library)}
    assert {"edition.duplicate-serial", "edition.duplicate-issue"} <= rules


def test_published_before_its_month(library):
    add_edition(library, "monthly", "2025-03", monthly_front(new_id(1), new_id(2), new_id(3), published="2025-02-20"))
    assert "edition.published-before-period" in {d.rule for d in diagnostics(library)}


def test_quarterly_presenter_must_be_a_completer(library):
    front = {"published": "2025-04-20", "title": "2025年第一季度发布会",
             "event": {"time": "14:30", "venue": "杭州国际博览中心", "city": "杭州市", "organiser": "浙江省科学技术厅"},
             "released": [{"result": new_id(1), "presenter": "林晓峰"}, {"result": new_id(2), "presenter": "张三"}]}
    add_edition(library, "quarterly", "2025-Q1", front)
    found = [d for d in diagnostics(library) if d.rule == "edition.presenter-not-completer"]
    assert len(found) == 1 and "张三" in found[0].message and "林晓峰" in found[0].hint


def test_annual_list_over_25_warns(library):
    entries = [{"result": new_id(1 + n % 4), "citation": "原创性、引领性的重大标志性成果。"} for n in range(4)]
    add_edition(library, "annual", "2025", {"published": "2026-01-15", "entries": [dict(e) for e in entries * 7]})
    rules = rules_of(diagnostics(library))
    assert ("edition.annual-count", Severity.WARNING) in rules and ("edition.duplicate-result", Severity.ERROR) in rules


@pytest.mark.parametrize("name", ["2025-3.md", "2025-13.md", "march.md", "2025-03.markdown"])
def test_edition_file_names(library, name):
    (library / "site" / "monthly").mkdir(parents=True, exist_ok=True)
    (library / "site" / "monthly" / name).write_text("---\nissue: 1\n---\n", encoding="utf-8")
    assert "edition.filename" in {d.rule for d in diagnostics(library)}


def test_missing_front_matter_and_schema_errors_in_front_matter(library):
    folder = library / "site" / "monthly"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2025-03.md").write_text("没有头部信息的正文\n", encoding="utf-8")
    (folder / "2025-04.md").write_text("---\nissue: 1\nserial: x\n---\n正文\n", encoding="utf-8")
    found = diagnostics(library)
    assert ("edition.front-matter", "site/monthly/2025-03.md") in {(d.rule, d.file) for d in found}
    serial = next(d for d in found if d.file == "site/monthly/2025-04.md" and d.field == "serial")
    assert serial.rule == "schema.type" and serial.line == 3


def test_a_record_must_have_entered_before_the_edition(repo):
    add_record(repo, record_data(id=new_id(1)))
    add_record(repo, record_data(id=new_id(2), entered="2025-04-02"))
    add_record(repo, record_data(id=new_id(3)))
    add_edition(repo, "monthly", "2025-03", monthly_front(new_id(1), new_id(2), new_id(3)))
    found = [d for d in load_library(repo, today=TODAY).diagnostics if d.rule == "edition.result-not-yet-entered"]
    assert len(found) == 1 and "2025-04-02" in found[0].message
