"""The strict loader: what it accepts, what it refuses, and where it says the problem is."""

from __future__ import annotations

import pytest

from pipeline.read.strictyaml import LoadedDocument, YamlRejected, load_bytes, load_mapping, load_text, resolve_plain


def rejected(raw: bytes | str) -> "YamlRejected":
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    with pytest.raises(YamlRejected) as info:
        load_mapping(load_bytes(data, "x.yaml"))
    assert info.value.diagnostic.file == "x.yaml"
    assert info.value.diagnostic.hint
    return info.value


def where(exc: YamlRejected) -> tuple:
    d = exc.diagnostic
    return d.rule, d.line, d.column


def test_positions_are_one_based_lines_and_character_columns():
    doc = load_text("名称: 中文值\nlist:\n  - a\n  - 𠮷b\n", "x.yaml")
    assert doc.positions[("名称",)].line == 1 and doc.positions[("名称",)].column == 5
    assert doc.positions[("list", 1)].line == 4 and doc.positions[("list", 1)].column == 5
    assert doc.key_positions[("list",)].line == 2 and doc.key_positions[("list",)].column == 1
    assert doc.data == {"名称": "中文值", "list": ["a", "𠮷b"]}


def test_nearest_ancestor_position_for_missing_paths():
    doc = load_text("a:\n  b: 1\n", "x.yaml")
    assert doc.position_of(("a", "c", 3)).line == 2  # the mapping under a starts on line 2


@pytest.mark.parametrize("text,value", [
    ("no", "no"), ("yes", "yes"), ("on", "on"), ("off", "off"), ("0012", "0012"), ("1:30", "1:30"),
    ("2026-02-30", "2026-02-30"), ("2025-03-05", "2025-03-05"), ("0x1F", "0x1F"), (".inf", ".inf"),
    ("true", True), ("false", False), ("null", None), ("~", None), ("", None), ("12", 12), ("-3", -3),
    ("4.5", 4.5), ("123300004700033817", 123300004700033817),
])
def test_yaml_1_1_surprises_stay_strings_and_core_types_resolve(text, value):
    assert resolve_plain(text) == value
    assert type(resolve_plain(text)) is type(value)


def test_quoted_scalars_are_always_strings():
    doc = load_text('a: "true"\nb: \'12\'\nc: |\n  no\n', "x.yaml")
    assert doc.data == {"a": "true", "b": "12", "c": "no\n"}


def test_utf8_bom_and_crlf_are_accepted():
    doc = load_mapping(load_bytes("\ufeffa: 1\r\nb: 二\r\n".encode("utf-8"), "x.yaml"))
    assert doc.data == {"a": 1, "b": "二"}
    assert doc.positions[("b",)].line == 2


def test_gbk_file_is_refused_with_a_resave_hint():
    exc = rejected("title: 中文\nx: 1\n".encode("gbk"))
    assert exc.diagnostic.rule == "yaml.encoding"
    assert "GBK" in exc.diagnostic.message and "UTF-8" in exc.diagnostic.hint
    assert (exc.diagnostic.line, exc.diagnostic.column) == (1, 8)


def test_utf16_file_is_refused():
    assert where(rejected("title: x\n".encode("utf-16")))[0] == "yaml.encoding"
    assert "UTF-16" in rejected("title: x\nsummary: y\n".encode("utf-16-le")).diagnostic.message


@pytest.mark.parametrize("text,line,column,what", [
    ("a: 1\nb: x\x00y\n", 2, 5, "控制字符 U+0000"),
    ("a: 1\nb: x\x07\n", 2, 5, "控制字符 U+0007"),
    ("a: 名\u200b称\n", 1, 5, "零宽字符"),
    ("a: ab\u202ecd\n", 1, 6, "文字方向控制符"),
    ("a: ab\u2028cd\n", 1, 6, "行分隔符"),
])
def test_raw_forbidden_characters(text, line, column, what):
    exc = rejected(text)
    assert where(exc) == ("yaml.forbidden-char", line, column)
    assert what in exc.diagnostic.message


@pytest.mark.parametrize("escape,what", [('"\\0"', "U+0000"), ('"\\x07"', "U+0007"), ('"\\u202e"', "文字方向"),
                                          ('"\\ud800"', "U+D800")])
def test_escaped_forbidden_characters(escape, what):
    exc = rejected(f"a: 1\nb: {escape}\n")
    assert exc.diagnostic.rule in ("yaml.forbidden-char", "yaml.syntax")
    if exc.diagnostic.rule == "yaml.forbidden-char":
        assert what in exc.diagnostic.message and (exc.diagnostic.line, exc.diagnostic.column) == (2, 4)


def test_tab_indentation():
    exc = rejected("a:\n\tb: 1\n")
    assert where(exc) == ("yaml.tab", 2, 1)


@pytest.mark.parametrize("text,rule,line,column", [
    ("a: &x 1\nb: 2\n", "yaml.anchor", 1, 4),
    ("a: 1\nb: *x\n", "yaml.alias", 2, 4),
    ("a: !!python/object:os.system x\n", "yaml.tag", 1, 4),
    ("a: !custom x\n", "yaml.tag", 1, 4),
    ("a: 1\na: 2\n", "yaml.duplicate-key", 2, 1),
    ("a:\n  b: 1\n  b: 2\n", "yaml.duplicate-key", 3, 3),
    ("<<: {a: 1}\nb: 2\n", "yaml.merge-key", 1, 1),
    ("a: 1\n---\nb: 2\n", "yaml.multi-document", 2, 1),
    ("? [a, b]\n: 1\n", "yaml.complex-key", 1, 3),
])
def test_structures_we_refuse(text, rule, line, column):
    exc = rejected(text)
    assert exc.diagnostic.rule == rule
    if line is not None:
        assert (exc.diagnostic.line, exc.diagnostic.column) == (line, column)


def test_alias_is_refused_before_anything_expands():
    bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(12))
    exc = rejected(bomb)
    assert exc.diagnostic.rule == "yaml.anchor" and exc.diagnostic.line == 1


@pytest.mark.parametrize("text,rule", [
    ("", "yaml.empty"), ("# only a comment\n", "yaml.empty"), ("just a scalar\n", "yaml.not-mapping"),
    ("- a\n- b\n", "yaml.not-mapping"), ("a: [1, 2\n", "yaml.syntax"), ("a: b: c\n", "yaml.syntax"),
])
def test_empty_scalar_list_and_broken_files(text, rule):
    assert rejected(text).diagnostic.rule == rule


def test_deep_nesting_block_and_flow():
    flow = "a: " + "[" * 200 + "]" * 200 + "\n"
    assert rejected(flow).diagnostic.rule == "yaml.too-deep"
    block = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(40)) + " " * 80 + "v: 1\n"
    assert rejected(block).diagnostic.rule == "yaml.too-deep"


def test_file_size_limit():
    exc = rejected("a: " + "很" * 100_000 + "\n")
    assert exc.diagnostic.rule == "yaml.file-too-large"


def test_syntax_errors_are_explained_in_chinese():
    exc = rejected("title: 名称\nsummary: 含有: 冒号的文字\n")
    assert exc.diagnostic.rule == "yaml.syntax"
    assert "冒号" in exc.diagnostic.message and exc.diagnostic.line == 2


def test_line_offset_for_front_matter():
    doc = load_text("a: 1\nb: 2\n", "x.md", line_offset=1)
    assert isinstance(doc, LoadedDocument) and doc.positions[("b",)].line == 3


def test_field_names_are_one_string_each_across_documents():
    """A library keeps every record's data for the whole build: the same field name in ten thousand records
    is one string, not ten thousand."""
    first = load_text("标题: 甲\n单位:\n  名称: 乙\n", "a.yaml").data
    second = load_text("标题: 丙\n单位:\n  名称: 丁\n", "b.yaml").data
    assert [id(k) for k in first] == [id(k) for k in second]
    assert id(next(iter(first["单位"]))) == id(next(iter(second["单位"])))
