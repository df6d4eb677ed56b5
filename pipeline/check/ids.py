"""Record ids: `YYYY-xxxxxxxx`, the creation year and 40 random bits in lower-case Crockford base32.

Random rather than sequential, so two units creating records on the same day in separate pull requests
never collide without having to coordinate (a clash is about 1 in 10^12 per pair, and validation on main
would still catch it).
"""

from __future__ import annotations

import re
import secrets
from datetime import date

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford: no i, l, o, u
ID_PATTERN = re.compile(r"(19|20)[0-9]{2}-[0-9a-hjkmnp-tv-z]{8}")


def new_id(today: date, token: int | None = None) -> str:
    value = secrets.randbits(40) if token is None else token
    chars = "".join(ALPHABET[(value >> shift) & 31] for shift in range(35, -1, -5))
    return f"{today.year}-{chars}"
