"""The small codes the search index and search.js share: numbers as text, keys to shards and to file names, and
each file's content version.

Numbers: a self-delimiting code over 91 printable ASCII characters that JSON leaves unescaped ('#' … '~'
without '\\'). The first 46 characters end a number, the other 45 are its leading digits (bijective base 45),
so 0–45 take one character, up to 2,115 two, up to 97,335 three.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Iterable

ALPHABET = "".join(chr(c) for c in range(0x23, 0x7F) if c != 0x5C)
TERMINAL = 46
LEADING = len(ALPHABET) - TERMINAL
_DIGIT = {char: value for value, char in enumerate(ALPHABET)}


def _encode_number(n: int) -> str:
    last = ALPHABET[n % TERMINAL]
    m = n // TERMINAL
    lead = []
    while m > 0:  # bijective, so every number has exactly one code
        m -= 1
        lead.append(ALPHABET[TERMINAL + m % LEADING])
        m //= LEADING
    return "".join(reversed(lead)) + last


_SHORT = tuple(_encode_number(n) for n in range(TERMINAL * (LEADING + 1)))  # every code of 1 or 2 characters
CODES = _SHORT + tuple(_encode_number(n) for n in range(len(_SHORT), 1 << 15))  # looked up by the index build


def code(n: int) -> str:
    return CODES[n] if n < len(CODES) else _encode_number(n)



def encode_numbers(numbers: Iterable[int]) -> str:
    numbers = numbers if isinstance(numbers, list) else list(numbers)
    if numbers and max(numbers) < len(_SHORT):  # the common case, done by C loops (index build hot path)
        return "".join(map(_SHORT.__getitem__, numbers))
    return "".join(map(code, numbers))


def decode_numbers(code: str) -> list[int]:
    numbers, lead = [], 0
    for char in code:
        digit = _DIGIT[char]
        if digit < TERMINAL:
            numbers.append(lead * TERMINAL + digit)
            lead = 0
        else:
            lead = lead * LEADING + digit - TERMINAL + 1
    return numbers


def fnv1a(key: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes: which shard a key lives in."""
    value = 0x811C9DC5
    for byte in key.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


VERSION_CHARS = 6  # 36 bits: a changed file keeps its old version with odds of 1 in 69 billion


def version(content: bytes) -> str:
    """A file's content version, appended to its URL as ?v=…: it changes when (and only when) the file does."""
    return base64.urlsafe_b64encode(hashlib.sha256(content).digest()[:6]).decode("ascii")[:VERSION_CHARS]


def key_name(key: str) -> str:
    """The file name of a big key: the hexadecimal UTF-8 of the key itself, so it never depends on other keys."""
    return key.encode("utf-8").hex()
