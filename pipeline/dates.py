"""Dates in the province's time zone: Asia/Shanghai, UTC+8 without daylight saving since 1991."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), SHANGHAI)


def parse_date(text: str) -> date:
    return date.fromisoformat(text)


def parse_datetime(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(SHANGHAI)
