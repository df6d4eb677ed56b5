"""Check digits of the identifiers a record carries, and detectors for personal data in free text."""

from __future__ import annotations

import re
from datetime import date

# GB 32100-2015: unified social credit code, 18 characters, the last a check character (mod 31).
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_is_valid(code: str) -> bool:
    if len(code) != 18 or any(c not in _CREDIT_ALPHABET for c in code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


# GB 11714-1997: organisation code, 8 characters (digits or capital letters, A = 10 … Z = 35) + a check
# character (mod 11; 10 → X, 11 → 0). A credit code carries one in characters 9–17 (GB 32100-2015, 4.2).
# Worked example from GB 32100's own sample 91350100M000100Y43: M000100Y → 4.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code_check_char(first8: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def organisation_code_is_valid(code: str) -> bool:
    if len(code) != 9 or not all(c.isdigit() or "A" <= c <= "Z" for c in code[:8]):
        return False
    return organisation_code_check_char(code[:8]) == code[8]


# ISO 7064 MOD 11-2, as used by ORCID identifiers.
def orcid_check_char(first15_digits: str) -> str:
    total = 0
    for digit in first15_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def orcid_is_valid(orcid: str) -> bool:
    digits = orcid.replace("-", "")
    if not re.fullmatch(r"[0-9]{15}[0-9X]", digits):
        return False
    return orcid_check_char(digits[:15]) == digits[15]


# CNIPA application numbers: since 2003 12 digits (year, kind, 7-digit serial), 1985–2003 8 digits (two-digit
# year, kind, 5-digit serial); then a check character: the digits times 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5 in
# turn, summed, mod 11, 10 → X. Worked examples as published: 201710601862.3 and ZL95115608.X.
_PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def patent_check_char(digits: str) -> str:
    value = sum(int(d) * w for d, w in zip(digits, _PATENT_WEIGHTS)) % 11
    return "X" if value == 10 else str(value)


def patent_number_is_valid(number: str) -> bool:
    """`ZL` + 12 or 8 digits + `.` + check, in the canonical layout."""
    match = re.fullmatch(r"ZL([0-9]{12}|[0-9]{8})\.([0-9X])", number)
    if not match:
        return False
    digits, check = match.groups()
    year = int(digits[:4]) if len(digits) == 12 else 1900 + int(digits[:2]) + (100 if digits[:2] < "85" else 0)
    kind = digits[4] if len(digits) == 12 else digits[2]
    return 1985 <= year <= 2100 and kind in "123789" and patent_check_char(digits) == check


# GB 11643-1999: resident identity number, 17 digits + check (mod 11, weights 2^(17-i) mod 11).
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def resident_id_is_valid(number: str) -> bool:
    if not re.fullmatch(r"[1-9][0-9]{16}[0-9Xx]", number):
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


_RESIDENT_ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
_MOBILE_CANDIDATE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])")


def find_resident_ids(text: str) -> list[tuple[int, str]]:
    """(offset, number) of every valid resident identity number in `text`."""
    return [(m.start(), m.group()) for m in _RESIDENT_ID_CANDIDATE.finditer(text) if resident_id_is_valid(m.group())]


def find_mobile_numbers(text: str) -> list[tuple[int, str]]:
    """(offset, number) of every mainland mobile number in `text`."""
    return [(m.start(), m.group()) for m in _MOBILE_CANDIDATE.finditer(text)]
