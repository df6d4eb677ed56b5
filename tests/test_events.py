"""专题发布与路演 (the `events` kind) and the iCalendar files of release events."""

from __future__ import annotations

from datetime import datetime, timedelta

import feedparser
import icalendar
import pytest

from pipeline.dates import SHANGHAI
from pipeline.feeds.calendar import COMBINED_PATH, render_calendars
from pipeline.feeds.render import render_feeds
from pipeline.model.library import load_library
from pipeline.model.publication import publish
from tests.conftest import DEMO_BUILT_AT, REPO
from tests.factories import add_edition, add_record, make_repo, new_id, publication_of, record_data

SITE = "https://zlhcg.example.org/"
UPCOMING = "2027-01-12-new-materials-matchmaking"


@pytest.fixture(scope="module")
def library():
    result = load_library(REPO, today=DEMO_BUILT_AT.date(), require_dates=True)
    assert result.ok
    return result.library


def pub_at(library, moment: datetime):
    return publish(library, moment, SITE, "浙里好成果")


def parse(ics: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(ics)


def test_the_demo_has_three_events_one_of_them_upcoming(library):
    pub = pub_at(library, DEMO_BUILT_AT)
    events = pub.of_kind("events")
    assert [e.key for e in events] == [UPCOMING, "2026-05-18-low-altitude", "2025-11-26-biomed-roadshow"]
    assert [e.is_upcoming(pub.built_at) for e in events] == [True, False, False]
    assert {e.type for e in events} == {"专题发布", "路演", "成果对接会"}
    low_altitude = events[1]
    assert low_altitude.outcomes[0].projects == 5 and low_altitude.updated_at.date().isoformat() == "2026-06-02"
    assert low_altitude.released[0].seeking.financing.amount == 8000


def test_every_release_event_is_in_the_calendars_with_its_time_zone_and_a_stable_uid(library):
    pub = pub_at(library, DEMO_BUILT_AT)
    files = render_calendars(pub)
    assert set(files) == {"calendar/quarterly.ics", "calendar/events.ics", COMBINED_PATH}
    combined = parse(files[COMBINED_PATH])
    zones = combined.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Asia/Shanghai"]
    assert zones[0].walk("STANDARD")[0]["TZOFFSETTO"].td == timedelta(hours=8)
    releases = [*pub.of_kind("quarterly"), *pub.of_kind("events")]
    events = {str(e["UID"]): e for e in combined.walk("VEVENT")}
    assert set(events) == {f"{r.kind}-{r.key}@zlhcg.example.org" for r in releases}
    for release in releases:
        event = events[f"{release.kind}-{release.key}@zlhcg.example.org"]
        assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert event.decoded("DTSTART") == release.starts_at  # the parser resolves TZID to Asia/Shanghai
        assert event.decoded("DTEND") == release.ends_at
        assert str(event["LOCATION"]) == release.event.city + release.event.venue
        assert str(event["URL"]) == SITE + release.url
        assert str(event["SUMMARY"]) == release.display_title
    low = events["events-2026-05-18-low-altitude@zlhcg.example.org"]
    assert low.decoded("DTSTART") == datetime(2026, 5, 18, 14, 0, tzinfo=SHANGHAI)
    assert low.decoded("DTEND") == datetime(2026, 5, 18, 17, 0, tzinfo=SHANGHAI)
    assert int(low["SEQUENCE"]) == 1  # one correction: calendar apps take it as an update
    per_kind = parse(files["calendar/events.ics"])
    assert len(per_kind.walk("VEVENT")) == 3
    assert render_calendars(pub) == files  # byte-identical


def test_an_event_announced_later_is_in_no_calendar_feed_or_page_before(library):
    early = pub_at(library, datetime(2026, 11, 10, 12, 0, tzinfo=SHANGHAI))
    assert [e.key for e in early.of_kind("events")] == ["2026-05-18-low-altitude", "2025-11-26-biomed-roadshow"]
    for ics in render_calendars(early).values():
        assert UPCOMING not in ics.decode("utf-8")
    feeds = render_feeds(early, {})
    assert all(UPCOMING.encode() not in body for body in feeds.values())


def test_the_event_feed_carries_outcomes_as_an_update(library):
    pub = pub_at(library, DEMO_BUILT_AT)
    feed = feedparser.parse(render_feeds(pub, {})["feeds/events.atom.xml"])
    assert feed.bozo == 0
    low = next(e for e in feed.entries if e.id == SITE + "events/2026-05-18-low-altitude/")
    assert low.updated.startswith("2026-06-02") and low.published.startswith("2026-05-12")
    assert "活动成果" in low.content[0].value and "签约技术许可和合作开发项目 5 项" in low.summary
    assert "融资 8000 万元" in low.content[0].value


def test_event_pages_show_what_is_sought_outcomes_and_the_calendar_link(demo_site):
    page = (demo_site / "events/2026-05-18-low-altitude/index.html").read_text(encoding="utf-8")
    for text in ("专题发布", "低空经济", "活动成果", "合作需求", "融资 8000 万元（A轮）", "加入日历", "calendar/events.ics"):
        assert text in page, text
    upcoming = (demo_site / f"events/{UPCOMING}/index.html").read_text(encoding="utf-8")
    assert "即将举行" in upcoming
    index = (demo_site / "events/index.html").read_text(encoding="utf-8")
    assert index.count('href="../events/20') == 3 and "calendar/events.ics" in index
    subscribe = (demo_site / "subscribe/index.html").read_text(encoding="utf-8")
    assert "calendar/all.ics" in subscribe and "feeds/events.rss.xml" in subscribe


def _event(date: str, published: str, **extra) -> dict:
    return {"published": published, "title": "测试专题发布会", "type": "路演", "theme": "测试主题", "date": date,
            "event": {"time": "14:00", "venue": "测试会场", "city": "杭州市", "organiser": "浙江省科学技术厅"},
            "released": [{"result": new_id(1), "presenter": record_data()["people"][0]["name"]}], **extra}


def test_event_rules(tmp_path):
    root = make_repo(tmp_path / "repo")
    add_record(root, record_data(id=new_id(1), entered="2025-02-10"))
    add_edition(root, "events", "2025-06-01-test", _event("2025-06-02", "2025-05-20"))
    add_edition(root, "events", "2025-07-01-outcomes", _event("2025-07-01", "2025-06-20",
                                                                 outcomes=[{"text": "签约项目 2 项", "projects": 2}]))
    found = {d.rule: d for d in load_library(root, today=DEMO_BUILT_AT.date()).diagnostics}
    assert "文件名中的日期 2025-06-01" in found["edition.date-not-in-name"].message
    assert found["edition.outcomes-without-note"].severity.value == "warning"
    assert "edition.published-before-period" not in found  # announced before the day: allowed
    (root / "site/events/2025-06-01-test.md").rename(root / "site/events/2025-06-01-Test.md")
    found = {d.rule: d for d in load_library(root, today=DEMO_BUILT_AT.date()).diagnostics}
    assert "2026-05-18-low-altitude.md" in found["edition.filename"].message


def test_events_count_on_their_own_day_in_the_statistics(tmp_path):
    from pipeline.render.stats import year_figures

    root = make_repo(tmp_path / "repo")
    add_record(root, record_data(id=new_id(1), entered="2025-02-10"))
    add_edition(root, "events", "2025-06-02-test", _event("2025-06-02", "2025-05-20"))
    figures = year_figures(publication_of(root), 2025, {})
    assert [row.tally.value("events") for row in figures.by_month][5] == 1  # June, not May's announcement
    assert figures.total.value("events") == 1
