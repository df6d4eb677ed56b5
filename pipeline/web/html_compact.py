"""Drops the template indentation from finished pages without changing how they render.

Theme and page templates are indented for people; browsers collapse every run of spaces and line breaks to one
space anyway (`white-space: normal`), so a run that starts with a line break becomes that one line break. Kept
exactly as they are: elements whose whitespace can matter — `pre`, `textarea`, `script`, `style`, and
`code`/`kbd` (the theme gives them `white-space: pre-wrap`) — and any tag that spans lines (an attribute value
may hold the break). Only HTML whitespace counts (space, tab, CR, LF, FF): a no-break or ideographic space is text.
"""

from __future__ import annotations

import re

_KEPT = re.compile(r"<(pre|textarea|script|style|code|kbd)\b[^>]*>.*?</\1\s*>|<[^<>\n]*\n[^<>]*>",
                   re.DOTALL)  # tags are lower case in every template and in the sanitizer's output
# Starting at the break keeps the pattern cheap (a literal first character); spaces left before a break are rare.
_RUN = re.compile(r"\n[ \t\r\n\f]*")


def compact_html(html: str) -> str:
    pieces, start = [], 0
    for kept in _KEPT.finditer(html):
        pieces += (_RUN.sub("\n", html[start:kept.start()]), kept.group(0))
        start = kept.end()
    pieces.append(_RUN.sub("\n", html[start:]))
    return "".join(pieces)
