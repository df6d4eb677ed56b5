"""Strict YAML loading with source positions.

Records come from outside, so the loader accepts only a small, predictable YAML: UTF-8 text, one
document, a mapping at the top, no anchors or aliases (they make "billion laughs" bombs), no tags, no
duplicate or merge keys, and YAML 1.2 core typing where everything that YAML 1.1 would silently turn into
a boolean, a sexagesimal number, an octal or a date stays the string the author typed.

The tree is built straight from libyaml's event stream (the C parser), so an alias is refused the moment it
appears and nothing is ever expanded.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Mapping, NamedTuple

import yaml

from pipeline.diagnostics import Diagnostic, error
from pipeline.read.yaml_mistakes import INDICATORS, SENTENCE_FIX, diagnose

try:  # libyaml is part of every PyYAML wheel we install; fall back only so errors stay readable.
    _Parser = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - exercised only on a PyYAML built without libyaml
    _Parser = yaml.SafeLoader

MAX_BYTES = 256 * 1024
MAX_DEPTH = 20
MAX_NODES = 50_000

Path = tuple[str | int, ...]


class Position(NamedTuple):  # a tuple: one is made for every value of every record, so it must be cheap
    line: int  # 1-based
    column: int  # 1-based, in characters


@dataclass(frozen=True)
class LoadedDocument:
    """Plain data (dict/list/str/int/float/bool/None) plus where each value and key came from."""

    file: str
    data: Any
    positions: Mapping[Path, Position]
    key_positions: Mapping[Path, Position] = field(default_factory=dict)
    line_offset: int = 0
    literal_blocks: frozenset = frozenset()  # paths of `|` scalars: line n of the value is line n+1 of the file
    # Plain scalars YAML typing made something other than text (`007`, `yes`, `1:30`, an empty value): the text
    # exactly as written, so a checker that knows the field wants text can use it (see check/typing.py).
    plain_text: Mapping[Path, str] = field(default_factory=dict)
    # Plain text values followed on their last line by ` #…`: YAML dropped the rest of the line as a comment.
    comment_after: Mapping[Path, Position] = field(default_factory=dict)

    def position_of(self, path: Path) -> Position | None:
        """The position of the value at `path`, or of its nearest ancestor that exists."""
        path = tuple(path)
        while True:
            found = self.positions.get(path)
            if found is not None:
                return found
            if not path:
                return None
            path = path[:-1]

    def as_written(self) -> Any:
        """The data with every plain value as the text the author typed (no YAML typing at all)."""
        return replaced(self.data, self.plain_text)

    def key_position_of(self, path: Path) -> Position | None:
        return self.key_positions.get(tuple(path)) or self.position_of(path)

    def line_within(self, path: Path, text: str, offset: int) -> int | None:
        """The file line of character `offset` of the text value at `path`: exact inside a literal block
        (`|`); for any other style (folded, quoted, plain) the line where the value starts."""
        start = self.position_of(path)
        if start is None:
            return None
        if tuple(path) in self.literal_blocks:
            return start.line + 1 + text.count("\n", 0, offset)
        return start.line


def replaced(data: Any, changes: Mapping[Path, Any]) -> Any:
    """A copy of `data` with the value at each path of `changes` replaced, copying each container on the way
    once (a hostile file may ask for tens of thousands of replacements in one list)."""
    if not changes:
        return data
    if () in changes:
        return changes[()]
    by_head: dict[Any, dict[Path, Any]] = {}
    for path, value in changes.items():
        by_head.setdefault(path[0], {})[path[1:]] = value
    copy = dict(data) if isinstance(data, dict) else list(data)
    for head, rest in by_head.items():
        copy[head] = replaced(data[head], rest)
    return copy


class YamlRejected(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


# Characters a record may never contain: C0/C1 controls (tab and newline are fine), surrogates,
# noncharacters, and invisible characters that change how text reads (bidi overrides, zero-width marks,
# line/paragraph separators). The raw text and every decoded scalar are checked against it.
FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u2028\u2029\ufeff]"
)

_CHAR_NAMES = {
    "\u2028": "行分隔符 U+2028",
    "\u2029": "段分隔符 U+2029",
    "\ufeff": "零宽不换行空格 U+FEFF",
}


def describe_char(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    if ch in _CHAR_NAMES:
        return _CHAR_NAMES[ch]
    if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069" or ch in "\u200e\u200f":
        return f"文字方向控制符 {code}"
    if "\u200b" <= ch <= "\u200d" or "\u2060" <= ch <= "\u2064":
        return f"零宽字符 {code}"
    if "\ud800" <= ch <= "\udfff":
        return f"孤立代理码位 {code}"
    return f"控制字符 {code}"


_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


def resolve_plain(text: str) -> Any:
    """YAML 1.2 core typing for plain scalars; anything ambiguous stays a string."""
    if text in NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        number = float(text)
        return number if math.isfinite(number) else text  # 1e400 would become infinity: keep what was typed
    return text


def decode_source(raw: bytes, file: str) -> str:
    """UTF-8 only (a UTF-8 BOM is accepted); other encodings get a message saying how to re-save."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(raw):
        raise YamlRejected(error(
            file, "yaml.encoding", "文件是 UTF-16 编码，系统只接受 UTF-8 编码。",
            hint="请用文本编辑器把文件“另存为”UTF-8 编码（不要选 UTF-16 或 Unicode）。", line=1, column=1))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_column_of_byte(raw, exc.start)
        guess = _guess_legacy_encoding(raw)
        message = "文件不是有效的 UTF-8 编码" + (f"，看起来是 {guess} 编码" if guess else "") + "。"
        raise YamlRejected(error(
            file, "yaml.encoding", message,
            hint="请用文本编辑器把文件“另存为”UTF-8 编码后重新提交（Windows 记事本：另存为 → 编码选 UTF-8）。",
            line=line, column=column)) from None


def _looks_like_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of ASCII-heavy text is zero."""
    sample = raw[:400]
    if len(sample) < 4:
        return False
    halves = (sample[0::2], sample[1::2])
    return any(half.count(0) > 0.4 * len(half) for half in halves)


def _guess_legacy_encoding(raw: bytes) -> str:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "GBK/GB18030"


def _line_column_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return line, column


def _line_column_of_char(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_raw_text(text: str, file: str, line_offset: int = 0) -> None:
    check_forbidden_chars(text, file, line_offset)
    tab = re.search(r"^[ ]*\t", text, re.MULTILINE)
    if tab:
        line, column = _line_column_of_char(text, tab.end() - 1)
        raise YamlRejected(error(
            file, "yaml.tab", "行首使用了制表符（Tab）缩进，YAML 只允许用空格缩进。",
            hint="把该行开头的 Tab 换成空格（每级缩进 2 个空格）。", line=line + line_offset, column=column))


def check_forbidden_chars(text: str, file: str, line_offset: int = 0) -> None:
    bad = FORBIDDEN_CHARS.search(text)
    if bad:
        line, column = _line_column_of_char(text, bad.start())
        raise YamlRejected(error(
            file, "yaml.forbidden-char", f"文件中含有不允许的{describe_char(bad.group())}。",
            hint="删除该字符。它通常是从网页或文档复制时带入的，肉眼看不见，可在编辑器中逐字删除后重新输入。",
            line=line + line_offset, column=column))


def _lines_with_hash(text: str) -> frozenset[int]:
    """0-based numbers of the lines containing `#` (counted from one `#` to the next, not line by line)."""
    found, line, last = set(), 0, 0
    for match in re.finditer("#", text):
        line += text.count("\n", last, match.start())
        last = match.start()
        found.add(line)
    return frozenset(found)


class _Builder:
    """Turns libyaml events into plain data, refusing every construct we do not accept."""

    def __init__(self, file: str, line_offset: int, text: str):
        self.file = file
        self.line_offset = line_offset
        self.lines = text.split("\n")
        self.lines_with_hash = _lines_with_hash(text)  # most lines have none
        self.plain_text: dict[Path, str] = {}
        self.comment_after: dict[Path, Position] = {}
        self.positions: dict[Path, Position] = {}
        self.key_positions: dict[Path, Position] = {}
        self.literal_blocks: set[Path] = set()
        self.nodes = 0

    def reject(self, rule: str, message: str, hint: str, mark, path: Path = ()) -> YamlRejected:
        return YamlRejected(error(self.file, rule, message, hint=hint, field=format_path(path),
                                  line=mark.line + 1 + self.line_offset, column=mark.column + 1))

    def build(self, next_event) -> Any:
        next_event()  # StreamStart
        first = next_event()
        if type(first) is yaml.StreamEndEvent:
            raise self.reject("yaml.empty", "文件是空的。", "请按模板填写成果信息（可运行 zlhcg new 生成模板）。",
                              first.start_mark)
        root = self.node(next_event(), next_event, (), 0)
        next_event()  # DocumentEnd
        following = next_event()
        if type(following) is not yaml.StreamEndEvent:
            raise self.reject("yaml.multi-document", "文件包含多个 YAML 文档（出现了第二个 ---）。",
                              "每个文件只写一条成果，删除多余的 --- 分隔线及其后的内容。", following.start_mark)
        return root

    def check_node_event(self, event, path: Path, depth: int) -> None:
        quote = "如果这是要填写的文字，请用英文双引号把整段内容括起来。"
        if type(event) is yaml.AliasEvent:
            raise self.reject("yaml.alias", f"不允许使用别名引用（*{event.anchor}）：{INDICATORS['*']}。",
                              "把被引用的内容直接写出来，不要使用 & 和 *。" + quote, event.start_mark, path)
        if event.anchor is not None:
            raise self.reject("yaml.anchor", f"不允许使用锚点（&{event.anchor}）：{INDICATORS['&']}。",
                              "删除 & 及其后的名称，内容直接写出。" + quote, event.start_mark, path)
        if event.tag is not None:  # libyaml leaves untagged nodes without a tag
            raise self.reject("yaml.tag", f"不允许使用 YAML 标签（{event.tag}）：{INDICATORS['!']}。",
                              "删除以 ! 开头的标签，直接填写内容。" + quote, event.start_mark, path)
        if depth > MAX_DEPTH:
            raise self.reject("yaml.too-deep", f"嵌套层级超过 {MAX_DEPTH} 层。",
                              "请按模板的结构填写，不要多层嵌套。", event.start_mark, path)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.reject("yaml.too-large", f"文件中的条目超过 {MAX_NODES} 个。",
                              "每个文件只描述一条成果，请精简内容。", event.start_mark, path)

    def node(self, event, next_event, path: Path, depth: int) -> Any:
        self.check_node_event(event, path, depth)
        mark = event.start_mark
        self.positions[path] = Position(mark.line + 1 + self.line_offset, mark.column + 1)
        kind = type(event)
        if kind is yaml.ScalarEvent:
            return self.scalar(event, path)
        if kind is yaml.SequenceStartEvent:
            items = []
            while type(item := next_event()) is not yaml.SequenceEndEvent:
                items.append(self.node(item, next_event, path + (len(items),), depth + 1))
            return items
        return self.mapping(next_event, path, depth)

    def scalar(self, event, path: Path) -> Any:
        value = event.value
        if event.style == '"':  # only escapes can add characters the raw-text check has not seen
            bad = FORBIDDEN_CHARS.search(value)
            if bad:
                raise self.reject("yaml.forbidden-char", f"内容中含有不允许的{describe_char(bad.group())}。",
                                  "删除该字符（常由转义写法如 \"\\0\"、\"\\x07\" 或复制粘贴带入）。",
                                  event.start_mark, path)
        if event.implicit[0]:
            resolved = resolve_plain(value)
            if not isinstance(resolved, str):
                self.plain_text[path] = value
            elif event.end_mark.line in self.lines_with_hash:
                self.note_comment_after(event.end_mark, path)
            return resolved
        if event.style == "|":
            self.literal_blocks.add(path)
        return value

    def note_comment_after(self, end, path: Path) -> None:
        rest = self.lines[end.line][end.column:] if end.line < len(self.lines) else ""
        if rest.lstrip(" ").startswith("#"):
            column = end.column + len(rest) - len(rest.lstrip(" ")) + 1
            self.comment_after[path] = Position(end.line + 1 + self.line_offset, column)

    def mapping(self, next_event, path: Path, depth: int) -> dict:
        result: dict[str, Any] = {}
        while type(key_event := next_event()) is not yaml.MappingEndEvent:
            key = self.key(key_event, path, depth)
            key_path = path + (key,)
            if key in result:
                first = self.key_positions[key_path]
                raise self.reject("yaml.duplicate-key", f"字段“{key}”重复出现（第一次在第 {first.line} 行）。",
                                  "同一层级中每个字段只能写一次，请合并或删除重复的字段。", key_event.start_mark,
                                  key_path)
            mark = key_event.start_mark
            self.key_positions[key_path] = Position(mark.line + 1 + self.line_offset, mark.column + 1)
            result[key] = self.node(next_event(), next_event, key_path, depth + 1)
        return result

    def key(self, event, path: Path, depth: int) -> str:
        self.check_node_event(event, path, depth)
        if type(event) is not yaml.ScalarEvent:
            raise self.reject("yaml.complex-key", "字段名必须是简单的文字。", "字段名写成 name: 值 的形式。",
                              event.start_mark, path)
        if event.implicit[0] and event.value == "<<":
            raise self.reject("yaml.merge-key", "不允许使用合并键（<<）。", "把要合并的字段逐一写出。",
                              event.start_mark, path)
        if event.style == '"':
            bad = FORBIDDEN_CHARS.search(event.value)
            if bad:
                raise self.reject("yaml.forbidden-char", f"字段名中含有不允许的{describe_char(bad.group())}。",
                                  "删除该字符后重新输入字段名。", event.start_mark, path)
        # One string per distinct field name: ten thousand records repeat the same few dozen, and a library
        # keeps every record's data for the whole build (pickling between processes keeps the sharing).
        return sys.intern(event.value)


# When no diagnosis of the source line fits: the parser's problem, said in Chinese (never its own words).
_PROBLEMS = [
    ("found character that cannot start any token", "这里有一个不能作为内容开头的字符。",
     "以特殊符号开头的内容请用英文双引号括起来。"),
    ("mapping values are not allowed", "这里不能出现“: ”（冒号后面跟空格）。", SENTENCE_FIX),
    ("could not find expected ':'", "缺少冒号，或多行内容的缩进不一致。", "字段写成“字段名: 值”，冒号后加一个空格。"),
    ("did not find expected key", "缩进不一致，或在列表/字段之间插入了多余内容。",
     "检查这一行和上一行的缩进，同一层级的字段左侧对齐。"),
    ("did not find expected '-' indicator", "列表项的缩进不一致。", "同一列表的每一项以“- ”开头并左侧对齐。"),
    ("found unexpected end of stream", "文件意外结束（常见原因：引号或括号没有闭合）。", "检查引号、方括号、花括号是否成对。"),
    ("found invalid Unicode character escape code", "双引号内的 \\u 转义写法表示了无效的字符（例如孤立的代理码位 \\ud800）。",
     "删除这个转义写法，直接输入要写的文字。"),
    ("found unknown escape character", "双引号内使用了不认识的转义写法（反斜杠）。",
     "去掉反斜杠，或改用单引号括起内容。"),
    ("found undefined tag handle", "使用了未定义的标签。", "删除以 ! 开头的标签。"),
    ("expected <block end>, but found", "缩进不一致。", "同一层级的字段左侧对齐，使用空格缩进。"),
    ("found a tab character", "使用了制表符（Tab）。", "把 Tab 换成空格。"),
    ("found unexpected ':'", "这里不能出现冒号。", "含有冒号的文字请" + SENTENCE_FIX),
]


def _syntax_error(exc: yaml.YAMLError, text: str, file: str, line_offset: int) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", "") or "")
    if mark is not None:
        context = getattr(exc, "context_mark", None)
        cause = diagnose(text, mark.line + 1, mark.column + 1, problem, context.line + 1 if context else None)
        if cause:
            return error(file, "yaml.syntax", cause.message, hint=cause.hint, line=cause.line + line_offset,
                         column=cause.column)
    message, hint = "YAML 语法错误。", "对照模板检查这一行的缩进、冒号和引号。"
    for needle, text_, fix in _PROBLEMS:
        if needle in problem:
            message, hint = text_, fix
            break
    if mark is None:
        return error(file, "yaml.syntax", message, hint=hint)
    return error(file, "yaml.syntax", message, hint=hint, line=mark.line + 1 + line_offset, column=mark.column + 1)


def load_text(text: str, file: str, *, line_offset: int = 0) -> LoadedDocument:
    """Parse already-decoded text. Raises YamlRejected with one precise diagnostic."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_raw_text(text, file, line_offset)
    builder = _Builder(file, line_offset, text)
    try:
        parser = _Parser(text)
        try:
            data = builder.build(parser.get_event)
        finally:
            parser.dispose()
    except yaml.YAMLError as exc:
        raise YamlRejected(_syntax_error(exc, text, file, line_offset)) from None
    except RecursionError:
        raise YamlRejected(error(file, "yaml.too-deep", "嵌套层级过深。", hint="请按模板的结构填写。")) from None
    return LoadedDocument(file, data, builder.positions, builder.key_positions, line_offset,
                          frozenset(builder.literal_blocks), builder.plain_text, builder.comment_after)


def load_bytes(raw: bytes, file: str, *, max_bytes: int = MAX_BYTES) -> LoadedDocument:
    if len(raw) > max_bytes:
        raise YamlRejected(error(
            file, "yaml.file-too-large", f"文件大小 {len(raw) // 1024} KB，超过上限 {max_bytes // 1024} KB。",
            hint="精简文字内容；图片等附件请作为单独文件放在成果文件夹中，不要写进 YAML。"))
    return load_text(decode_source(raw, file), file)


def load_mapping(doc: LoadedDocument, what: str = "成果文件") -> LoadedDocument:
    """Requires a mapping at the top level, which every file we read must have."""
    if not isinstance(doc.data, dict):
        kind = "列表" if isinstance(doc.data, list) else ("空内容" if doc.data is None else "单个值")
        pos = doc.position_of(()) or Position(1, 1)
        raise YamlRejected(error(doc.file, "yaml.not-mapping", f"{what}的顶层应为“字段名: 值”的形式，现在是{kind}。",
                                 hint="参照模板，每行以字段名开头，例如“title: 成果名称”。", line=pos.line,
                                 column=pos.column))
    return doc


def format_path(path: Path) -> str:
    """`units[0].credit_code` style, as shown to editors."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
