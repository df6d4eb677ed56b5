"""The two small codes the search index and search.js share: numbers as text, and keys to shards.

Numbers: a self-delimiting code over 91 printable ASCII characters that JSON leaves unescaped ('#' … '~'
without '\\'). The first 46 characters end a number, the other 45 are its leading digits (bijective base 45),
so 0–45 take one character, up to 2,115 two, up to 97,335 three.
"""

from __future__ import annotations

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


def _code(n: int) -> str:
    return _SHORT[n] if n < len(_SHORT) else _encode_number(n)


def encode_numbers(numbers: Iterable[int]) -> str:
    numbers = numbers if isinstance(numbers, list) else list(numbers)
    if numbers and max(numbers) < len(_SHORT):  # the common case, done by C loops (index build hot path)
        return "".join(map(_SHORT.__getitem__, numbers))
    return "".join(map(_code, numbers))


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
