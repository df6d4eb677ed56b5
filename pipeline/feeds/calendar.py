"""iCalendar (RFC 5545) files of release events: one per kind marked `calendar` in the registry, and one with
all of them. Past and upcoming events; nothing embargoed (the Publication holds public editions only).

Deterministic: DTSTAMP and LAST-MODIFIED come from the edition (publication or last correction), UIDs from
the kind and key, so a rebuild gives the same bytes and a calendar app recognises an event it already has.
SEQUENCE counts corrections, so apps take a corrected event as an update.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from icalendar import Calendar, Event as CalendarEvent, Timezone, TimezoneStandard

from pipeline.dates import SHANGHAI
from pipeline.kinds import EditionKind, all_kinds
from pipeline.model.editions import Release
from pipeline.model.publication import Publication

COMBINED_PATH = "calendar/all.ics"
TZID = "Asia/Shanghai"


def calendar_kinds() -> list[EditionKind]:
    return [kind for kind in all_kinds() if kind.calendar]


def _timezone() -> Timezone:
    """China Standard Time: UTC+8 all year, no daylight saving since 1991."""
    zone = Timezone()
    zone.add("tzid", TZID)
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(hours=8))
    standard.add("tzoffsetto", timedelta(hours=8))
    standard.add("tzname", "CST")
    zone.add_component(standard)
    return zone


def _local(moment: datetime) -> datetime:
    """A naive local time; the TZID parameter says which zone (icalendar would otherwise guess from tzinfo)."""
    return moment.astimezone(SHANGHAI).replace(tzinfo=None)


def _description(release: Release, pub: Publication) -> str:
    lines = [line for line in (
        f"活动类型：{release.type}" if release.type else "",
        f"主题：{release.theme}" if release.theme else "",
        f"主办单位：{release.event.organiser}",
        f"联合主办：{'、'.join(release.event.co_hosts)}" if release.event.co_hosts else "",
        f"配套活动：{'、'.join(release.event.activities)}" if release.event.activities else "",
    ) if line]
    titles = [record.title for item in release.items if (record := pub.record(item.result_id))]
    if titles:
        lines.append(f"{'发布' if release.kind_info.role == 'released' else '推介'}成果：" + "；".join(titles))
    lines.append(f"详情：{pub.absolute(release.url)}")
    return "\n".join(lines)


def _event(release: Release, pub: Publication, domain: str) -> CalendarEvent:
    event = CalendarEvent()
    event.add("uid", f"{release.kind}-{release.key}@{domain}")
    event.add("dtstamp", release.updated_at.astimezone(timezone.utc))
    event.add("last-modified", release.updated_at.astimezone(timezone.utc))
    event.add("sequence", len(release.corrections))
    event.add("dtstart", _local(release.starts_at), parameters={"TZID": TZID})
    event.add("dtend", _local(release.ends_at), parameters={"TZID": TZID})
    event.add("summary", release.display_title)
    event.add("location", f"{release.event.city}{release.event.venue}")
    event.add("url", pub.absolute(release.url))
    event.add("description", _description(release, pub))
    event.add("categories", [release.kind_info.label])
    event.add("status", "CONFIRMED")
    return event


def _calendar(name: str, releases: list[Release], pub: Publication) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//浙江省科学技术厅//浙里好成果发布系统//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    cal.add_component(_timezone())
    domain = urlsplit(pub.site_url).hostname or "zlhcg"
    for release in sorted(releases, key=lambda r: (r.starts_at, r.kind, r.key)):
        cal.add_component(_event(release, pub, domain))
    return cal.to_ical()


def render_calendars(pub: Publication) -> dict[str, bytes]:
    """Site-relative path → .ics bytes."""
    files, everything = {}, []
    for kind in calendar_kinds():
        releases = list(pub.of_kind(kind.name))
        everything += releases
        files[kind.calendar_file] = _calendar(f"{pub.site_name} · {kind.label}", releases, pub)
    files[COMBINED_PATH] = _calendar(f"{pub.site_name} · 全部发布活动", everything, pub)
    return files
