"""The string formats the schemas use, checked by one implementation for both validators.

jsonschema and jsonschema-rs each have their own idea of `email` and `date-time`; where they differ, a document
would be valid for one and not the other. Both are given these functions instead, so they always agree.
"""

from __future__ import annotations

import re
from datetime import date

from rfc3339_validator import validate_rfc3339
from rfc3986_validator import validate_rfc3986

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def is_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_date_time(value: str) -> bool:
    return bool(validate_rfc3339(value)) and is_date(value[:10])


def is_email(value: str) -> bool:
    """A plain address as an office would publish it: no display name, no quoting, no spaces."""
    return bool(_EMAIL.fullmatch(value))


def is_uri(value: str) -> bool:
    return bool(validate_rfc3986(value, rule="URI"))


FORMATS = {"date": is_date, "date-time": is_date_time, "email": is_email, "uri": is_uri}
