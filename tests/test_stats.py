"""Statistics: counts by submitter city and type, per quarter and month, checked against a hand-made library."""

from __future__ import annotations

from pipeline.render.stats import year_figures
from tests.factories import add_edition, add_record, new_id, publication_of, record_data


def test_year_figures_count_entries_and_appearances(repo):
    ningbo = {"name": "宁波市科学技术局", "type": "设区市科技局", "city": "宁波市"}
    hangzhou = {"name": "钱塘大学", "type": "高校院所", "city": "杭州市"}
    add_record(repo, record_data(id=new_id(1), submitter=ningbo, entered="2025-02-10"))
    add_record(repo, record_data(id=new_id(2), submitter=ningbo, entered="2025-05-10"))
    add_record(repo, record_data(id=new_id(3), submitter=hangzhou, entered="2024-12-01"))
    add_edition(repo, "monthly", "2025-06", {
        "issue": 1, "serial": 1, "published": "2025-06-20", "distribution": {"to": ["省委"]},
        "featured": [{"result": i, "note": "本月取得重要进展的成果。", "survey": {"date": "2025-06-01", "by": "调研组"}}
                     for i in (new_id(1), new_id(3))]})
    figures = year_figures(publication_of(repo), 2025, {"major": 100, "flagship": 20})
    city = {row.label: row.tally for row in figures.by_city}
    assert (city["宁波市"].entered, city["宁波市"].value("monthly")) == (2, 1)
    assert (city["杭州市"].entered, city["杭州市"].value("monthly")) == (0, 1)  # entered in 2024, featured in 2025
    assert city["温州市"].entered == 0
    kinds = {row.label: row.tally for row in figures.by_submitter_type}
    assert kinds["设区市科技局"].entered == 2 and kinds["高校院所"].value("monthly") == 1
    quarters = [row.tally.entered for row in figures.by_quarter]
    assert quarters == [1, 1, 0, 0]
    assert [row.tally.value("monthly") for row in figures.by_month][5] == 2
    assert (figures.total.entered, figures.total.value("monthly"), figures.total.flagship) == (2, 2, 0)
