"""The real cause of a YAML syntax error, in plain Chinese, read from the source line rather than the parser.

libyaml reports where it gave up and in its own terms ("did not find expected key"), which is rarely where or
what the author got wrong: a sentence with an unquoted `: `, a value starting with `*`, `[` or `"`, a full-width
colon after a field name, a line indented one space too far. Each diagnosis below looks at the lines around
the parser's mark for one such mistake and says what it is and how to fix it; the parser's own words are
never shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_FIX = ("在字段名后写“|”，把整段文字放到下一行并多缩进两个空格，例如：\n"
                "  summary: |\n    第一句……: 第二句……\n列表中的一项则写成“- |”，文字同样放到下一行。")

# What a value starting with each indicator means to YAML, and so why it failed.
INDICATORS = {
    "*": "“*”开头的内容会被 YAML 当作别名引用",
    "&": "“&”开头的内容会被 YAML 当作锚点",
    "!": "“!”开头的内容会被 YAML 当作类型标签",
    "[": "“[”开头的内容会被 YAML 当作方括号列表，括号闭合后不能再接文字",
    "{": "“{”开头的内容会被 YAML 当作花括号字段组，括号闭合后不能再接文字",
    '"': "英文双引号开头的内容会被 YAML 当作引号括起的文字，引号闭合后不能再接文字",
    "'": "英文单引号开头的内容会被 YAML 当作引号括起的文字，引号闭合后不能再接文字",
    "%": "“%”在 YAML 中是保留符号，不能作为内容的开头",
    "@": "“@”在 YAML 中是保留符号，不能作为内容的开头",
    "`": "反引号“`”在 YAML 中是保留符号，不能作为内容的开头",
}
_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_KEY_PREFIX = re.compile(rf"^(?P<indent> *)(?:-\s+)?(?P<key>{_KEY})\s*:(?=\s|$)")
_VALUE_START = re.compile(rf"^ *(?:-\s+)*(?:{_KEY}\s*:\s+)?(?:-\s+)*(?P<value>\S)")
_FULL_WIDTH_KEY = re.compile(rf"^ *(?:-\s+)?(?P<key>{_KEY})\s*：")
_DASH_NO_SPACE = re.compile(r"^ *-(?![-\s])")


@dataclass(frozen=True)
class Cause:
    line: int  # 1-based, in the text given
    column: int | None
    message: str
    hint: str


def diagnose(text: str, line: int, column: int, problem: str, context_line: int | None = None) -> Cause | None:
    """The likely cause of a parser error at `line`/`column` (1-based); None when no diagnosis fits."""
    if "escape" in problem:
        return None  # a bad escape inside quotes: the parser's own diagnosis is the right one
    lines = text.split("\n")
    candidates = [n for n in (line, context_line) if n is not None and 1 <= n <= len(lines)]
    for n in dict.fromkeys(candidates):
        found = _full_width_colon(lines, n) or _indicator(lines, n) or _dash_without_space(lines, n)
        if found:
            return found
    above = _previous_content_line(lines, line)
    if above and _dash_without_space(lines, above):
        return _dash_without_space(lines, above)
    if "mapping values are not allowed" in problem and 1 <= line <= len(lines):
        return _colon(lines, line, column)
    if ("expected key" in problem or "block end" in problem or "expected '-'" in problem) and 1 <= line <= len(lines):
        return _indentation(lines, line)
    return None


def _full_width_colon(lines: list[str], n: int) -> Cause | None:
    match = _FULL_WIDTH_KEY.match(lines[n - 1])
    if not match:
        return None
    key = match.group("key")
    return Cause(n, match.end(), f"字段名“{key}”后面用了中文全角冒号“：”，YAML 只认英文冒号。",
                 f"把“{key}：”改成“{key}: ”（英文冒号，后面加一个空格）。")


def _indicator(lines: list[str], n: int) -> Cause | None:
    match = _VALUE_START.match(lines[n - 1])
    if not match or match.group("value") not in INDICATORS:
        return None
    char = match.group("value")
    rest = lines[n - 1][match.end("value"):]
    closing = {"[": "]", "{": "}"}.get(char, char)
    if char in "\"'[{" and closing in rest:
        end = rest.index(closing) if char in "\"'" else rest.rindex(closing)
        if not rest[end + 1:].split(" #")[0].strip():
            return None  # a properly quoted value or a closed flow list: the mistake is elsewhere
    if char in "\"'" and char not in rest:
        return Cause(n, match.start("value") + 1, "这里的引号没有闭合：以英文引号开头的内容必须在同一段内以同样的引号结束。",
                     "补上结尾的引号；内容本身含有引号时改用中文引号“”，或者" + SENTENCE_FIX)
    return Cause(n, match.start("value") + 1, f"{INDICATORS[char]}。",
                 "把整段内容用英文双引号括起来（内容中的双引号改用中文引号“”），或者" + SENTENCE_FIX)


def _dash_without_space(lines: list[str], n: int) -> Cause | None:
    line = lines[n - 1]
    if not _DASH_NO_SPACE.match(line):
        return None
    column = line.index("-") + 1
    return Cause(n, column, "列表项的“-”后面缺少空格，YAML 把这一行当成了普通文字。",
                 "在“-”后面加一个空格，写成“- 内容”。")


def _colon(lines: list[str], n: int, column: int) -> Cause:
    line = lines[n - 1]
    prefix = _KEY_PREFIX.match(line)
    if prefix and column == prefix.end() and n > 1:
        indented = _indentation(lines, n)
        if indented:
            return indented
    return Cause(n, column, "文字中含有“: ”（冒号后面跟空格），YAML 把它当成了“字段名: 值”的分隔符。",
                 "如果这是一句话：" + SENTENCE_FIX + "\n也可以把冒号改成中文全角冒号“：”。")


def _indentation(lines: list[str], n: int) -> Cause | None:
    here = lines[n - 1]
    above = _previous_content_line(lines, n)
    if above is None or not here.strip():
        return None
    mine, theirs = _indent_of(here), _indent_of(lines[above - 1])
    if mine == theirs:
        return None
    return Cause(n, mine + 1, f"这一行缩进 {mine} 个空格，与上一行（{theirs} 个空格）对不齐，YAML 无法判断它属于哪一层。",
                 "同一层级的字段左侧严格对齐；下一层比上一层多缩进 2 个空格。")


def _previous_content_line(lines: list[str], n: int) -> int | None:
    """The 1-based number of the nearest line above `n` that is neither blank nor a comment."""
    return next((i + 1 for i in range(n - 2, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")),
                None)


def _indent_of(line: str) -> int:
    """Where the line's content starts: for a list item `- key: v`, at the key."""
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    return indent + 2 if stripped.startswith("- ") else indent
