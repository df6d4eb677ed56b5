"""Chinese patent numbers as people write them, read into one canonical form.

A number is copied from a certificate (`ZL 2013 1 0123456.2`), a filing receipt (`202310123456.2`,
`CN202310123456.2`), a database (`CN115123456A`) or a scan with full-width characters (`ＺＬ２０２１…`).
`read_cn_patent` folds the layout (NFKC, spaces, the dot) and says which kind of number it is, so the rules
can check the check character and whether the number fits the stated legal status.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.check.checkdigits import patent_check_char, patent_number_is_valid

GRANTED = "granted"
APPLICATION = "application"
PUBLICATION = "publication"

# Which statuses each kind of number can carry (patent_status vocabulary names).
STATUSES = {GRANTED: ("已授权",), APPLICATION: ("已受理", "实审中", "已公开"), PUBLICATION: ("已公开", "已授权")}

_GRANTED = re.compile(r"ZL(?P<digits>[0-9]{12}|[0-9]{8})\.?(?P<check>[0-9X])")
_APPLICATION = re.compile(r"(?:CN)?(?P<digits>[0-9]{12}|[0-9]{8})\.?(?P<check>[0-9X])")
# Publication (document) numbers: CN + 7–9 digits + kind code. A: application published; B, C: invention
# granted; U, Y: utility model; S, D: design.
_PUBLICATION = re.compile(r"CN(?P<digits>[0-9]{7,9})(?P<code>[ABCUYSD])[0-9]?")
_GRANTED_CODES = "BCUYSD"


@dataclass(frozen=True)
class CnPatentNumber:
    kind: str  # GRANTED, APPLICATION or PUBLICATION
    canonical: str  # ZL202110123456.7, 202110123456.7 or CN115123456A
    check_ok: bool  # the check character (or, for publications, the kind code's status) is consistent

    @property
    def statuses(self) -> tuple[str, ...]:
        if self.kind == PUBLICATION:
            return ("已授权",) if self.canonical.rstrip("0123456789")[-1] in _GRANTED_CODES else ("已公开",)
        return STATUSES[self.kind]


def fold(text: str) -> str:
    """Full-width to ASCII, no spaces, capital letters, any dot-like mark as `.`."""
    text = unicodedata.normalize("NFKC", text).upper()
    return re.sub(r"\s+", "", text).replace("。", ".").replace("·", ".")


def read_cn_patent(text: str) -> CnPatentNumber | None:
    """The number's kind and canonical form, or None when it is not in any CNIPA layout."""
    folded = fold(text)
    for pattern, kind, prefix in ((_GRANTED, GRANTED, "ZL"), (_APPLICATION, APPLICATION, "")):
        match = pattern.fullmatch(folded)
        if match:
            canonical = f"{prefix}{match['digits']}.{match['check']}"
            return CnPatentNumber(kind, canonical, patent_number_is_valid(f"ZL{match['digits']}.{match['check']}"))
    match = _PUBLICATION.fullmatch(folded)
    if match:
        return CnPatentNumber(PUBLICATION, folded, True)
    return None


def expected_check(text: str) -> str:
    """The check character the digits of `text` call for ("" when there are no 8 or 12 digits to go on)."""
    digits = re.sub(r"[^0-9]", "", fold(text).removeprefix("ZL").removeprefix("CN").split(".")[0])
    return patent_check_char(digits) if len(digits) in (8, 12) else ""


def looks_foreign(text: str) -> str:
    """The office code a number seems to start with (`US10061834B2` → US, `WO2019/123456` → WO, `PCT/CN…`
    → WO), or ""."""
    folded = fold(text)
    if folded.startswith("PCT/"):
        return "WO"
    match = re.match(r"([A-Z]{2})[0-9]", folded)
    return match.group(1) if match and match.group(1) not in ("ZL", "CN") else ""
