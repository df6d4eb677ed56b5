"""Person names: the middle dot of transliterated names (阿不都·热合曼) has look-alikes that input methods and
word processors produce. GB 18030 maps the Chinese 间隔号 (0xA1A4) to U+00B7 MIDDLE DOT, so that is the one a
record uses; the variants below look the same and break search and matching. (Python's older `gb2312` codec
maps 0xA1A4 to U+30FB, one way the variants get in.)
"""

from __future__ import annotations

MIDDLE_DOT = "\u00b7"
MIDDLE_DOT_VARIANTS = frozenset("\u2022\u2027\u30fb\uff65\u16eb\u2219\u22c5")
_FOLD = str.maketrans({ch: MIDDLE_DOT for ch in MIDDLE_DOT_VARIANTS})


def fold_middle_dots(text: str) -> str:
    return text.translate(_FOLD)
