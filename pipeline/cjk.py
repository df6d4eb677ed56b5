"""Chinese text conventions that Markdown and YAML do not know about."""

from __future__ import annotations

import re

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
# A line break (or the space YAML folding leaves) between two Chinese characters shows as a stray space.
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])[ \\n](?=[{_CJK}])")


def join_cjk_lines(text: str) -> str:
    """Removes the single space or line break that line wrapping leaves between two Chinese characters."""
    return _CJK_BREAK.sub("", text)
