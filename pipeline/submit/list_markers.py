"""List numbering people type in front of items (`1. …`, `2、…`, `3）…`, `①…`, `（2）…`, `一、…`, `• …`), with or
without a space after it. Each item is shown as a list item on the site, so a typed number would be shown twice.

A marker must look like one: `1.5 倍` and `-20 ℃` are values, not markers (a digit after `.` or `-`).
"""

from __future__ import annotations

import re

_MARKER = re.compile(
    r"""\s*(?:
        (?:[-•·●○▪■◆◇►▶√✓]|\*(?!\*))(?![0-9])     # bullets (not a minus sign, not Markdown bold)
      | [0-9]{1,2}\s*(?:[.．](?![0-9])|[、)）])     # 1.  2、  3）  (not 1.5)
      | [（(]\s*(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]   # （2）  (一)
      | [①-⑳⑴-⒇⒈-⒛]                              # circled and parenthesised digits
      | [一二三四五六七八九十]{1,3}\s*[、.．]         # 一、
    )\s*""",
    re.VERBOSE,
)


def strip_list_marker(text: str) -> str:
    """`text` without one leading list marker; unchanged when it has none or is only a marker."""
    match = _MARKER.match(text)
    if not match or match.end() == len(text):
        return text
    return text[match.end():]
