#!/usr/bin/env python3
"""Writes the input files of the hostile-input corpus: `tests/data/bad/<case>/…`, laid out as a pull request
would add them (`results/<year>/<id>/<id>.yaml` and media, `site/monthly/…md`), plus `base/…` for the cases that
need a base branch. Every input is derived from `_base.yaml` (a valid record, the exemplar without media) by
the mutation written next to the case's name here, so a reviewer can see how each odd byte got there.

Each case's `case.yaml` (title, expected diagnostics with hand-checked lines and columns) is written by
hand and never touched by this script. Symlinks are not inputs here: git cannot commit them portably, so
`case.yaml` lists them and the test creates them.

    .venv/bin/python tests/data/bad/make_cases.py           # (re)write every case's input files
    .venv/bin/python tests/data/bad/make_cases.py --check   # exit 1 when a committed input differs
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
BASE = (HERE / "_base.yaml").read_text(encoding="utf-8")
RID = "2025-3kq8m2va"
OTHER = "2025-3kq8m2vb"
RECORD = f"results/{RID[:4]}/{RID}/{RID}.yaml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MiB = 1024 * 1024

Files = dict[str, bytes]
CASES: dict[str, Callable[[], Files]] = {}


def case(name: str):
    def register(build: Callable[[], Files]) -> Callable[[], Files]:
        assert name not in CASES, name
        CASES[name] = build
        return build
    return register


def mutate(*pairs: tuple[str, str], text: str = BASE) -> str:
    """`text` with each `old` (which must occur exactly once) replaced by `new`."""
    for old, new in pairs:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


def record(content: str | bytes, record_id: str = RID) -> Files:
    data = content if isinstance(content, bytes) else utf8(content)
    return {f"results/{record_id[:4]}/{record_id}/{record_id}.yaml": data}


def tiny_png() -> bytes:
    """A real 1×1 PNG (signature, IHDR, IDAT, IEND), written out byte by byte."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixel = zlib.compress(b"\x00\xff\xff\xff")  # filter byte 0, one white RGB pixel
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")


# Lines of `_base.yaml` (record format 2.0, migrated from 1.0 by `zlhcg migrate`) the mutations aim at (1-based):
#   3 schema_version · 4 id · 5 title · 7–10 summary (folded) · 11–25 description (literal) · 14 its first
#   paragraph · 18–20 its list · 24–25 its last paragraph · 26–29 innovations · 30 category · 42 level · 45 field ·
#   51–58 units · 60–70 people · 78 patent number · 85–87 ip_statement · 90 benefits amount ·
#   93–99 transfer · 108 entered · 109 tags · 110 demo (the last line)
DESCRIPTION_LINE_13 = "  碳化硅（SiC）功率模块是新能源汽车电驱系统的核心器件，长期依赖进口，供货周期长、价格高。\n"
DESCRIPTION_LINE_17 = "  - 建立 8 英寸碳化硅外延**低缺陷生长**工艺，基平面位错密度降至 0.1 个/cm² 以下；\n"
DESCRIPTION_LINE_18 = "  - 开发双面银烧结与铜线键合封装工艺，模块热阻降低 25%；\n"
DESCRIPTION_LINE_19 = "  - 建成覆盖芯片、封装、模块三个层级的车规级可靠性评价平台。\n"
DESCRIPTION_LINE_23 = "  模块已通过 AQG 324 车规认证，在三家整车企业的纯电车型上批量装车，累计装车超过 12 万台。\n"
DESCRIPTION_LINE_24 = "  详细介绍见[网上技术市场展示页](https://example.org/tech/sic-module)。\n"
AFTER_TRANSFER = "    email: tech@example.com\n"  # line 96: media go right after it, on lines 97–99


def with_media(file_name: str, text: str = BASE) -> str:
    return mutate((AFTER_TRANSFER, AFTER_TRANSFER + f"media:\n  - file: {file_name}\n"
                   "    alt: 车规级碳化硅功率模块产品照片\n"), text=text)


# --- encoding and bytes ------------------------------------------------------------------------------------

@case("enc-gbk")
def _():  # saved as "ANSI" by Chinese Windows Notepad; GBK has no "²", so that one character became "2"
    return record(BASE.replace("cm²", "cm2").encode("gbk"))


@case("enc-gb18030")
def _():  # GB18030 encodes every character, 𠮷 (outside GBK) as four bytes
    return record(mutate(("  - name: 林晓峰\n", "  - name: 𠮷林晓峰\n")).encode("gb18030"))


@case("enc-utf16-le-bom")
def _():
    return record(b"\xff\xfe" + BASE.encode("utf-16-le"))


@case("enc-utf16-be-no-bom")
def _():
    return record(BASE.encode("utf-16-be"))


@case("enc-bom-crlf-positions")
def _():  # accepted encoding: positions must count neither the BOM nor the CR of CRLF
    text = mutate(("# yaml-language-server: $schema=https://zlhcg.example.org/schema/result-2.0.0.json\n", ""),
                  ("# 演示数据：本记录中的单位、人员、项目和数据均为虚构。\n", ""),
                  ("id: 2025-3kq8m2va\n", "id: 2025-3KQ8M2VA\n"), ("level: 国际先进\n", "level: 世界一流\n"))
    return record(b"\xef\xbb\xbf" + utf8(text.replace("\n", "\r\n")))


@case("enc-cr-only-positions")
def _():  # classic Mac OS line ends
    return record(utf8(mutate(("level: 国际先进\n", "level: 世界一流\n")).replace("\n", "\r")))


@case("enc-nul-raw")
def _():
    return record(mutate(("\ntitle: 车规级碳化硅功率", "\ntitle: 车规级碳化硅\x00功率")))


@case("enc-bel-raw")
def _():
    return record(mutate(("  研制出 1200V", "  研制出\x07 1200V")))


@case("enc-nul-escaped")
def _():
    return record(mutate(("title: 车规级碳化硅功率模块关键技术及产业化\n", 'title: "车规级\\0碳化硅功率模块关键技术及产业化"\n')))


@case("enc-bel-escaped")
def _():
    return record(mutate(("  - name: 林晓峰\n", '  - name: "林晓峰\\x07"\n')))


@case("enc-bidi-escaped")
def _():
    return record(mutate(("title: 车规级碳化硅功率模块关键技术及产业化\n", 'title: "车规级\\u202e碳化硅功率模块关键技术及产业化"\n')))


@case("enc-surrogate-escaped")
def _():
    return record(mutate(("  - name: 阿不都·热合曼\n", '  - name: "阿不都\\ud800热合曼"\n')))


@case("enc-surrogate-raw")
def _():  # a UTF-8-encoded lone surrogate (CESU-style bytes ED A0 80): not UTF-8
    return record(mutate(("\ntitle: 车规级碳化硅", "\ntitle: 车规级\ud800碳化硅")).encode("utf-8", "surrogatepass"))


@case("enc-line-separator")
def _():
    return record(mutate(("  面向新能源汽车主驱", "  面向新能源汽车\u2028主驱")))


@case("enc-paragraph-separator")
def _():
    return record(mutate(("  碳化硅（SiC）功率模块", "  碳化硅（SiC）\u2029功率模块")))


@case("enc-bidi-override-raw")
def _():  # "Trojan source": U+202E reverses how the rest of the line is displayed
    return record(mutate(("  - name: 阿不都·热合曼\n", "  - name: \u202e阿不都·热合曼\n")))


@case("enc-zero-width-in-id")
def _():
    return record(mutate(("id: 2025-3kq8m2va\n", "id: 2025-3kq8m2va\u200b\n")))


@case("enc-zero-width-in-folder")
def _():  # the id is clean; folder and file name carry an invisible U+200D
    return record(BASE, RID + "\u200d")


@case("enc-zero-width-in-key")
def _():
    return record(mutate(("\ntitle: 车规级碳化硅", '\n"ti\\u200btle": 车规级碳化硅')))


@case("enc-c1-control")
def _():  # U+0085 (NEL) is a line break to YAML 1.1 and invisible in most editors
    return record(mutate(("\ntitle: 车规级碳化硅", "\ntitle: 车规级\x85碳化硅")))


@case("enc-bom-inside-text")
def _():
    return record(mutate(("  打破了国外厂商", "  打破了\ufeff国外厂商")))


@case("enc-tab-indent")
def _():
    return record(mutate(("    credit_code: 91330200MA28111108\n", "\tcredit_code: 91330200MA28111108\n")))


# --- YAML structure ----------------------------------------------------------------------------------------

def laughs(levels: int, width: int) -> str:
    """The classic "billion laughs": each level a list of `width` references to the level before."""
    names = "abcdefghijklmnop"
    lines = [f"a: &a [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"{names[i]}: &{names[i]} [{', '.join(['*' + names[i - 1]] * width)}]")
    return "\n".join(lines) + "\n"


@case("yaml-bomb-small")
def _():  # 9 levels of 9: 9^9 ≈ 3.9 × 10^8 leaves once expanded
    return record(laughs(9, 9))


@case("yaml-bomb-large")
def _():  # 12 levels of 12: 12^12 ≈ 8.9 × 10^12 leaves
    return record(laughs(12, 12))


@case("yaml-bomb-nested")
def _():  # the bomb three levels down, inside breakthrough.industrialization.products
    return record(mutate(("      - ZS-1200A 车规级碳化硅功率模块\n      - ZS-750B 碳化硅半桥模块\n",
                          "      - &x [lol, lol, lol, lol, lol, lol, lol, lol]\n"
                          "      - &y [*x, *x, *x, *x, *x, *x, *x, *x]\n"
                          "      - &z [*y, *y, *y, *y, *y, *y, *y, *y]\n")))


@case("yaml-bomb-flow")
def _():  # the bomb in flow style on one line
    return record(mutate(("tags: [碳化硅, 功率模块, 新能源汽车]\n",
                          "tags: {a: &a [碳化硅, 碳化硅, 碳化硅], b: &b [*a, *a, *a], c: [*b, *b, *b]}\n")))


@case("yaml-alias-undefined")
def _():
    return record(mutate(("title: 车规级碳化硅功率模块关键技术及产业化\n", "title: *name\n")))


@case("yaml-duplicate-key")
def _():
    return record(mutate(("title_en: Key", "title: 另一项成果的名称写在这里\ntitle_en: Key")))


@case("yaml-duplicate-key-nested")
def _():
    return record(mutate(("    type: 高等学校\n    city: 杭州市\n", "    type: 高等学校\n    city: 杭州市\n    city: 宁波市\n")))


@case("yaml-merge-key")
def _():
    return record(mutate(("    type: 高等学校\n", "    <<: {type: 高等学校}\n")))


@case("yaml-python-tag")
def _():
    return record(mutate(("title: 车规级碳化硅功率模块关键技术及产业化\n",
                          'title: !!python/object/apply:os.system ["touch /tmp/pwned"]\n')))


@case("yaml-custom-tag")
def _():
    summary = ("summary: >-\n"
               "  面向新能源汽车主驱逆变器需求，突破车规级碳化硅芯片低缺陷外延、双面银烧结封装和高温可靠性评价等关键技术，\n"
               "  研制出 1200V/600A 碳化硅功率模块，导通损耗较同规格进口产品降低 18%，已在三家整车企业批量装车，\n"
               "  打破了国外厂商在车规级碳化硅模块领域的长期垄断。\n")
    return record(mutate((summary, "summary: !include /etc/passwd\n")))


@case("yaml-multi-document")
def _():  # two records in one file
    return record(BASE + "---\n" + mutate(("id: 2025-3kq8m2va\n", f"id: {OTHER}\n")))


@case("yaml-deep-block")
def _():  # 30 nested block mappings under tags (line 106): level k's key on line 106 + k, indented 2k
    nested = "tags:\n" + "".join(" " * (2 * k) + f"l{k}:" + ("\n" if k < 30 else " 深\n") for k in range(1, 31))
    return record(mutate(("tags: [碳化硅, 功率模块, 新能源汽车]\n", nested)))


@case("yaml-deep-flow")
def _():
    return record(mutate(("tags: [碳化硅, 功率模块, 新能源汽车]\n", "tags: " + "[" * 64 + "]" * 64 + "\n")))


@case("yaml-300kb")
def _():  # about 330 KB: 3,000 description lines of 36 Chinese characters (3 bytes each), indent and newline
    line = "  碳化硅外延片的低缺陷生长与高温可靠性评价方法研究进展说明文字填充内容段落\n"
    assert len(line.encode()) == 2 + 36 * 3 + 1
    return record(mutate((DESCRIPTION_LINE_13, line * 3000)))


@case("yaml-too-many-nodes")
def _():  # 100 KB, but 50,001 items: the first line is `tags: [` and 50,001 × "a"
    rest = mutate(("tags: [碳化硅, 功率模块, 新能源汽车]\n", ""))
    return record("tags: [" + "a," * 50_000 + "a]\n" + rest)


@case("yaml-error-flood")
def _():  # 147 KB and about 49,300 nodes, both under their limits: units (lines 49–57) become one line of
    # 49,000 empty mappings, each missing its four required fields
    units = BASE[BASE.index("units:\n"):BASE.index("people:\n")]
    return record(mutate((units, "units: [" + "{}," * 48_999 + "{}]\n")))


@case("yaml-only-scalar")
def _():
    return record("# 成果名称\n车规级碳化硅功率模块关键技术及产业化\n")


@case("yaml-only-list")
def _():
    return record("- 提出外延层缺陷原位抑制方法。\n- 发明双面银烧结封装结构。\n")


@case("yaml-empty")
def _():
    return record(b"")


@case("yaml-only-comments")
def _():
    return record("# yaml-language-server: $schema=https://zlhcg.example.org/schema/result-2.0.0.json\n"
                  "# 演示数据：本记录中的单位、人员、项目和数据均为虚构。\n")


@case("yaml-unquoted-colon")
def _():
    return record(mutate(("title: 车规级碳化硅功率模块关键技术及产业化\n", "title: 碳化硅模块: 关键技术及产业化\n")))


@case("yaml-complex-key")
def _():
    return record(BASE + "? [甲, 乙]\n: 值\n")


# --- YAML 1.1 typing traps ---------------------------------------------------------------------------------

@case("type-yes-no")
def _():
    return record(mutate(("  confirmed: true\n", "  confirmed: yes\n"), ("demo: true\n", "demo: no\n")))


@case("type-on-off")
def _():
    return record(mutate(("  confirmed: true\n", "  confirmed: on\n"), ("demo: true\n", "demo: off\n")))


@case("type-leading-zero")
def _():
    return record(mutate(("    amount: 4.6\n", "    amount: 0012\n")))


@case("type-sexagesimal")
def _():
    return record(mutate(("    amount: 4.6\n", "    amount: 1:30\n")))


@case("type-impossible-date")
def _():
    return record(mutate(('  confirmed_on: "2025-02-20"\n', "  confirmed_on: 2026-02-30\n")))


@case("type-18-digit-number")
def _():
    return record(mutate(('    credit_code: "12330000470003388W"\n', "    credit_code: 123300004700033817\n")))


@case("type-null-title")
def _():
    return record(mutate(("title: 车规级碳化硅功率模块关键技术及产业化\n", "title: ~\n")))


@case("type-code-as-block-scalar")
def _():  # a literal block keeps a final line break: the value is "91330200MA28111108\n"
    return record(mutate(("    credit_code: 91330200MA28111108\n", "    credit_code: |\n      91330200MA28111108\n")))


@case("type-float-overflow")
def _():  # 1e400 is a float to YAML 1.2 core typing, and infinite to Python
    return record(mutate(("    amount: 4.6\n", "    amount: 1e400\n")))


# --- schema and rules --------------------------------------------------------------------------------------

REQUIRED = ("id", "title", "summary", "description", "innovations", "category", "level", "highland", "field",
            "submitter", "units", "people", "ip_statement")


def without_field(name: str) -> str:
    """The base record without the top-level field `name` (its line and every indented line after it)."""
    lines = BASE.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith((" ", "-")))
    return "\n".join(lines[:start] + lines[end:])


for _name in REQUIRED:
    case(f"schema-missing-{_name.replace('_', '-')}")(lambda name=_name: record(without_field(name)))


@case("schema-missing-nested")
def _():
    return record(mutate(("    credit_code: 91330200MA28111108\n", "")))


@case("schema-wrong-type-list")
def _():
    innovations = ("innovations:\n"
                   "  - 提出外延层缺陷原位抑制方法，实现 8 英寸碳化硅外延片的低缺陷、高一致性生长。\n"
                   "  - 发明双面银烧结封装结构，解决高温大电流工况下的键合失效问题。\n"
                   "  - 建立车规级碳化硅模块全链条可靠性评价方法，形成企业标准 2 项。\n")
    return record(mutate((innovations, "innovations: 提出外延层缺陷原位抑制方法等三项创新。\n")))


@case("schema-wrong-type-string")
def _():
    return record(mutate(("title: 车规级碳化硅功率模块关键技术及产业化\n", "title: [车规级碳化硅功率模块, 关键技术]\n")))


@case("schema-list-item-wrong-type")
def _():
    return record(mutate(("tags: [碳化硅, 功率模块, 新能源汽车]\n", "tags: [碳化硅, [功率模块], 新能源汽车]\n")))


@case("schema-unknown-fields")
def _():
    return record(mutate(("level: 国际先进\n", "levle: 国际先进\n"), ("    type: 企业\n", "    kind: 企业\n")))


@case("schema-evidence-papers")
def _():
    return record(mutate(("category: 技术攻关成果\n", "category: 基础研究成果\n")))


@case("schema-evidence-application")
def _():
    return record(mutate(("category: 技术攻关成果\n", "category: 重大应用成果\n")))


@case("schema-bad-doi")
def _():
    papers = ("papers:\n  - title: Low-defect epitaxy of 8-inch SiC\n    journal: Nature Electronics\n"
              "    year: 2024\n    doi: 11.1038/s41928-024-01234-5\n")
    return record(mutate(("category: 技术攻关成果\n", papers + "category: 技术攻关成果\n")))


@case("schema-id-path-traversal")
def _():
    return record(mutate(("id: 2025-3kq8m2va\n", "id: ../../2025-3kq8m2va\n")))


@case("schema-credit-code-letter-o")
def _():
    return record(mutate(("    credit_code: 91330200MA28111108\n", "    credit_code: 91330200MA2811110O\n")))


@case("rule-credit-code-check")
def _():
    return record(mutate(("    credit_code: 91330200MA28111108\n", "    credit_code: 91330200MA28111109\n")))


@case("rule-orcid-check")
def _():
    return record(mutate(("    orcid: 0000-0002-1825-0097\n", "    orcid: 0000-0002-1825-0098\n")))


@case("rule-patent-number")
def _():  # line 75: wrong check digit; line 78: type digit 4 does not exist
    return record(mutate(("    - number: ZL202110123456.7\n", "    - number: ZL202110123456.8\n"),
                         ("      status: 已授权\n", "      status: 已授权\n    - number: ZL202140123456.X\n"
                          "      title: 一种碳化硅模块封装结构\n      status: 已授权\n")))


@case("rule-id-not-file-name")
def _():
    return record(mutate(("id: 2025-3kq8m2va\n", f"id: {OTHER}\n")))


@case("rule-duplicate-id")
def _():  # a second folder whose file claims the first record's id
    return {**record(BASE), **record(BASE, OTHER)}


@case("rule-future-entry-date")
def _():
    return record(mutate(('entered: "2025-03-05"\n', 'entered: "2099-01-01"\n')))


@case("rule-resident-id-in-text")
def _():  # 110101199003074514: check digit 4 = "10X98765432"[Σ(digit × weight) mod 11] with Σ = 206
    return record(mutate(("    role: 项目负责人，提出总体技术路线并主持模块研制\n",
                          "    role: 项目负责人，身份证 110101199003074514\n")))


@case("rule-mobile-in-text")
def _():
    return record(mutate(("    role: 负责碳化硅外延缺陷抑制机理研究\n", "    role: 负责外延研究，手机 13812345678\n")))


@case("rule-mobile-in-description")
def _():
    return record(mutate((DESCRIPTION_LINE_23, "  合作请联系林工，手机 138-1234-5678。\n")))


@case("rule-field-outside-highland")
def _():
    return record(mutate(("field: 先进半导体材料\n", "field: 人工智能\n")))


def monthly(results: list[str], *, published="2025-05-10", note="本月完成中试验证，进展显著，已进入整车企业定点。") -> str:
    featured = "".join(f"  - result: {r}\n    note: {note}\n    survey:\n      date: \"2025-05-01\"\n"
                       "      by: 省科技厅成果处\n" for r in results)
    return (f"---\nissue: 4\nserial: 31\npublished: \"{published}\"\nfeatured:\n{featured}"
            "distribution:\n  to: [省委、省政府]\n---\n本期导语。\n")


@case("edition-unknown-result")
def _():  # featured results on lines 6, 11, 16
    return {"site/monthly/2025-04.md": utf8(monthly(["2025-0000000a", "2025-0000000b", "2025-0000000z"]))}


@case("edition-withdrawn-result")
def _():
    return {"site/monthly/2025-04.md": utf8(monthly(["2025-0000000a", "2025-0000000b", "2025-0000000c"]))}


@case("edition-body-script")
def _():
    return {"site/monthly/2025-04.md": utf8(monthly(["2025-0000000a", "2025-0000000b", "2025-0000000c"])
                                            + "<script>alert(document.cookie)</script>\n")}


@case("edition-cites-rejected-record")
def _():  # the record cited third (line 16) has an error of its own: its field is outside its highland
    return {**record(mutate(("field: 先进半导体材料\n", "field: 人工智能\n"))),
            "site/monthly/2025-04.md": utf8(monthly(["2025-0000000a", "2025-0000000b", RID]))}


@case("edition-cites-misplaced-record")
def _():  # the record cited third (line 16) sits right under results/, as the old flat layout had it
    return {f"results/{RID}/{RID}.yaml": utf8(BASE),
            "site/monthly/2025-04.md": utf8(monthly(["2025-0000000a", "2025-0000000b", RID]))}


# --- record format 2.0 (issue 13): the YAML mistakes named by their cause, typing, rules, one round -----------

TITLE = "title: 车规级碳化硅功率模块关键技术及产业化\n"
INNOVATION_1 = "  - 提出外延层缺陷原位抑制方法，实现 8 英寸碳化硅外延片的低缺陷、高一致性生长。\n"


def title_as(value: str) -> Files:
    return record(mutate((TITLE, f"title: {value}\n")))


@case("v2-yaml-colon-in-list-item")
def _():  # a sentence with an unquoted ": " as a list item is valid YAML: a one-key mapping
    return record(mutate((INNOVATION_1, "  - 建立掺杂调控方法，可见光透过率: 80% 以上\n")))


@case("v2-yaml-hash-in-sentence")
def _():
    return title_as("车规级碳化硅功率模块 #1 号生产线关键技术")


@case("v2-yaml-starts-with-star")
def _():
    return title_as("*重点*突破的碳化硅功率模块技术")


@case("v2-yaml-starts-with-ampersand")
def _():
    return title_as("&碳化硅功率模块关键技术")


@case("v2-yaml-starts-with-bang")
def _():
    return title_as("!重要 碳化硅功率模块关键技术")


@case("v2-yaml-starts-with-bracket")
def _():
    return title_as("[重大]碳化硅功率模块关键技术")


@case("v2-yaml-starts-with-brace")
def _():
    return title_as("{重大}碳化硅功率模块关键技术")


@case("v2-yaml-starts-with-double-quote")
def _():
    return title_as('"车规级"碳化硅功率模块关键技术')


@case("v2-yaml-starts-with-single-quote")
def _():
    return title_as("'车规级'碳化硅功率模块关键技术")


@case("v2-yaml-starts-with-percent")
def _():
    return title_as("%50 效率提升的碳化硅功率模块")


@case("v2-yaml-starts-with-at")
def _():
    return title_as("@东海大学 碳化硅功率模块关键技术")


@case("v2-yaml-starts-with-backtick")
def _():
    return title_as("`SiC` 功率模块关键技术")


@case("v2-yaml-dash-without-space")
def _():
    return record(mutate((INNOVATION_1, "  -提出外延层缺陷原位抑制方法。\n")))


@case("v2-yaml-full-width-colon")
def _():
    return record(mutate(("level: 国际先进\n", "level：国际先进\n")))


@case("v2-yaml-mixed-indentation")
def _():
    return record(mutate(("    type: 企业\n", "     type: 企业\n")))


@case("v2-yaml-missing-value")
def _():
    return record(mutate(("level: 国际先进\n", "level:\n")))


@case("v2-type-qualifier-in-number")
def _():
    return record(mutate(("    amount: 4.6\n", "    amount: 约4.6\n")))


@case("v2-type-unit-in-number")
def _():
    return record(mutate(("    amount: 4.6\n", "    amount: 4.6亿元\n")))


@case("v2-rule-organisation-code")
def _():  # the 18th character is right for the first 17, the embedded organisation code's check is not
    return record(mutate(("    credit_code: 91330200MA28111108\n", "    credit_code: 91330200MA28111209\n")))


@case("v2-rule-patent-status")
def _():  # a granted (ZL) number for a pending application
    return record(mutate(("      status: 已授权\n", "      status: 实审中\n")))


@case("v2-rule-patent-8-digit-check")
def _():  # 1985–2003 layout; the check character of 98113456 is 1
    return record(mutate(("    - number: ZL202110123456.7\n", "    - number: ZL98113456.X\n")))


@case("v2-rule-patent-foreign-without-office")
def _():
    return record(mutate(("    - number: ZL202110123456.7\n", "    - number: US10061834B2\n")))


@case("v2-rule-unit-abroad-with-credit-code")
def _():
    return record(mutate(("    type: 企业\n    city: 宁波市\n", "    type: 企业\n    region: 香港特别行政区\n")))


@case("v2-schema-unit-abroad-without-country")
def _():
    return record(mutate(("    credit_code: 91330200MA28111108\n    type: 企业\n    city: 宁波市\n",
                          "    type: 企业\n    region: 国外\n")))


@case("v2-rule-person-second-unit")
def _():
    return record(mutate(("      - 东海大学（演示）\n", "      - 东海大学（演示）\n      - 之江实验室\n")))


@case("v2-schema-submitter-route")
def _():
    return record(mutate(("  type: 设区市科技局\n", "  type: 普通企业\n")))


@case("v2-rule-name-middle-dot")
def _():
    return record(mutate(("  - name: 阿不都·热合曼\n", "  - name: 阿不都\u2022热合曼\n")))


@case("v2-rule-award-grade")
def _():
    return record(mutate(("level: 国际先进\n", "awards:\n  - name: 国家最高科学技术奖\n    year: 2024\n    grade: 一等奖\n"
                                                "level: 国际先进\n")))


@case("v2-rule-certificate-number")
def _():
    return record(mutate(("level: 国际先进\n", "certificates:\n  - kind: 药品批准文号\n    number: 国药准字20230001\n"
                                                "level: 国际先进\n")))


@case("v2-schema-other-field-without-note")
def _():
    return record(mutate(("highland: 新材料\nfield: 先进半导体材料\n", "highland: 其他领域\nfield: 其他\n")))


@case("v2-rule-field-outside-315")
def _():
    return record(mutate(("field: 先进半导体材料\n", "field: 航空航天\n")))


@case("v2-schema-version-1-0")
def _():  # a record in the old format: refused as a whole, with the command that upgrades it
    return record(mutate(('schema_version: "2.0"\n', "")))


@case("v2-eight-problems-one-round")
def _():  # eight independent problems of different kinds, all reported by one run
    return record(mutate(
        ("title_en: Key technologies and industrialisation of automotive-grade SiC power modules\n", "title_en: [1, 2]\n"),
        ("level: 国际先进\n", "level: 世界一流\n"),
        (DESCRIPTION_LINE_13, DESCRIPTION_LINE_13.rstrip("\n") + "<script>x</script>\n"),
        ("    credit_code: 91330200MA28111108\n", "    credit_code: 91330200MA28111109\n"),
        ("      - 东海大学（演示）\n", "      - 西湖大学（演示）\n"),
        ("    role: 负责碳化硅外延缺陷抑制机理研究\n", "    role: 负责外延缺陷机理研究，身份证 110101199003074514\n"),
        ('entered: "2025-03-05"\n', 'entered: "2027-01-05"\n'),
        ("  confirmed_by: 宁波市科学技术局 成果处 王某某\n", ""),
    ))


# --- content injection -------------------------------------------------------------------------------------

@case("inj-script")
def _():
    return record(mutate((DESCRIPTION_LINE_13, "  <script>alert(document.cookie)</script>\n")))


@case("inj-event-handler")
def _():
    return record(mutate((DESCRIPTION_LINE_13, "  <img src=x onerror=alert(1)>\n")))


@case("inj-svg-iframe-style")
def _():
    return record(mutate((DESCRIPTION_LINE_17, "  - <svg onload=alert(1)>\n"),
                         (DESCRIPTION_LINE_18, '  - <iframe src="https://evil.example/"></iframe>\n'),
                         (DESCRIPTION_LINE_19, "  - <style>body{display:none}</style>\n")))


@case("inj-comment-cdata")
def _():
    return record(mutate((DESCRIPTION_LINE_13, "  <!-- <script>alert(1)</script> -->\n"),
                         (DESCRIPTION_LINE_23, "  <![CDATA[<script>alert(1)</script>]]>\n")))


@case("inj-html-in-title")
def _():
    return record(mutate(("title: 车规级碳化硅功率模块关键技术及产业化\n", "title: 车规级<script>alert(1)</script>\n")))


@case("inj-handler-in-name")
def _():
    return record(mutate(("  - name: 林晓峰\n", "  - name: <b onmouseover=alert(1)>林晓峰</b>\n")))


@case("inj-html-in-folded-summary")
def _():
    return record(mutate(("  研制出 1200V/600A", "  研制出 <a href=javascript:alert(1)>1200V/600A</a>")))


@case("inj-html-in-quoted-description")
def _():  # the description as one double-quoted line with \n escapes: the script is on line 10 of the file
    old = BASE[BASE.index("description: |\n"):BASE.index("innovations:\n")]
    new = ('description: "## 研究背景\\n\\n<script>alert(1)</script>\\n\\n'
           '碳化硅（SiC）功率模块是新能源汽车电驱系统的核心器件，长期依赖进口，供货周期长、价格高。"\n')
    return record(mutate((old, new)))


@case("inj-markdown-backtracking")
def _():  # a 19,961-character description (limit 20,000): a script on line 11, then 50 "[" before "官网](" and
    # 19,880 spaces on line 12 — each "[" makes the inline-link pattern backtrack over the spaces quadratically
    old = BASE[BASE.index("description: |\n"):BASE.index("innovations:\n")]
    new = "description: |\n  <script>alert(1)</script>\n  " + "[" * 50 + "官网](" + " " * 19_880 + "\n"
    return record(mutate((old, new)))


@case("inj-javascript-link")
def _():
    return record(mutate(("(https://example.org/tech/sic-module)", "(javascript:alert(document.cookie))")))


@case("inj-vbscript-mixed-case")
def _():
    return record(mutate(("(https://example.org/tech/sic-module)", "(VbScRiPt:MsgBox(1))")))


@case("inj-data-url")
def _():
    return record(mutate(("(https://example.org/tech/sic-module)",
                          "(data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")))


@case("inj-obfuscated-schemes")
def _():
    return record(mutate((DESCRIPTION_LINE_13, "  [官网](&#x6A;&#x61;vascript:alert(1))\n"),
                         (DESCRIPTION_LINE_17, "  - [官网](java&#9;script:alert(1))\n"),
                         (DESCRIPTION_LINE_18, "  - [官网](%6Aavascript:alert(1))\n"),
                         (DESCRIPTION_LINE_19, "  - [官网](JaVa&#83;cript:alert(1))\n")))


@case("inj-autolink-and-reference")
def _():
    return record(mutate((DESCRIPTION_LINE_13, "  <javascript:alert(1)>\n"),
                         (DESCRIPTION_LINE_23, "  [官网]: javascript:alert(1)\n")))


@case("inj-protocol-relative-link")
def _():
    return record(mutate(("(https://example.org/tech/sic-module)", "(//evil.example/phish)")))


@case("inj-image-elsewhere")
def _():
    return record(mutate((DESCRIPTION_LINE_13, "  ![示意图](https://evil.example/pixel.png)\n"),
                         (DESCRIPTION_LINE_17, "  - ![示意图](//evil.example/x.png)\n"),
                         (DESCRIPTION_LINE_18, "  - ![示意图](../2025-0000000a/secret.png)\n"),
                         (DESCRIPTION_LINE_19, "  - ![示意图](/etc/passwd)\n")))


@case("inj-html-in-doi")
def _():
    papers = ("papers:\n  - title: Low-defect epitaxy of 8-inch SiC\n    journal: Nature Electronics\n"
              "    year: 2024\n    doi: 10.1038/<script>alert(1)</script>\n")
    return record(mutate(("category: 技术攻关成果\n", papers + "category: 技术攻关成果\n")))


@case("inj-market-url-javascript")
def _():
    return record(mutate((AFTER_TRANSFER, AFTER_TRANSFER + "  market_url: javascript:alert(1)//https://example.org\n")))


@case("inj-email-not-an-address")
def _():
    return record(mutate(("    email: tech@example.com\n", '    email: "javascript:alert(1)//@example.org"\n')))


@case("inj-media-path-traversal")
def _():
    return record(with_media("../../../etc/passwd.png"))


@case("inj-media-absolute-path")
def _():
    return record(with_media("/etc/ssl/private/key.png"))


@case("inj-svg-among-media")
def _():
    return {**record(BASE), f"results/{RID[:4]}/{RID}/logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n'}


@case("inj-html-among-media")
def _():
    return {**record(BASE), f"results/{RID[:4]}/{RID}/index.html": b"<!doctype html><script>alert(1)</script>\n"}


@case("inj-svg-listed-as-media")
def _():
    return {**record(with_media("logo.svg")),
            f"results/{RID[:4]}/{RID}/logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n'}


@case("inj-svg-renamed-png")
def _():
    return {**record(with_media("chart.png")),
            f"results/{RID[:4]}/{RID}/chart.png": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n'}


@case("inj-oversize-image")
def _():  # a PNG of 2 MiB + 1 byte: a real 1×1 PNG padded with zeros after IEND
    png = tiny_png()
    return {**record(with_media("photo.png")), f"results/{RID[:4]}/{RID}/photo.png": png + b"\x00" * (2 * MiB + 1 - len(png))}


@case("inj-symlinked-media")
def _():  # module.png itself is a symlink the test creates (see case.yaml)
    return record(with_media("module.png"))


@case("inj-symlinked-folder")
def _():  # only a valid record here; the symlinked folder next to it is made by the test
    return record(BASE)


# --- repository level (check-pr) ---------------------------------------------------------------------------

def edition_base() -> Files:
    return {f"base/results/{RID[:4]}/{RID}/{RID}.yaml": utf8(BASE),
            "base/site/monthly/2025-03.md": utf8(monthly([RID], published="2025-04-10"))}


@case("pr-record-deleted")
def _():  # the PR deletes results/<year>/<RID>/ (case.yaml: delete)
    return {f"base/results/{RID[:4]}/{RID}/{RID}.yaml": utf8(BASE)}


@case("pr-record-renamed")
def _():  # the PR moves the record to a new id: a deletion plus an addition
    moved = mutate(("id: 2025-3kq8m2va\n", f"id: {OTHER}\n"))
    return {f"base/results/{RID[:4]}/{RID}/{RID}.yaml": utf8(BASE), **record(moved, OTHER)}


@case("pr-id-changed")
def _():
    return {f"base/results/{RID[:4]}/{RID}/{RID}.yaml": utf8(BASE), **record(mutate(("id: 2025-3kq8m2va\n", f"id: {OTHER}\n")))}


@case("pr-entered-changed")
def _():
    return {f"base/results/{RID[:4]}/{RID}/{RID}.yaml": utf8(BASE),
            **record(mutate(('entered: "2025-03-05"\n', 'entered: "2025-03-06"\n')))}


@case("pr-withdrawal-undone")
def _():
    withdrawn = mutate(('entered: "2025-03-05"\n', 'entered: "2025-03-05"\nwithdrawn:\n  date: "2025-04-20"\n'
                        "  reason: 完成单位申请撤回，成果权属待核实。\n"))
    return {f"base/results/{RID[:4]}/{RID}/{RID}.yaml": utf8(withdrawn), **record(BASE)}


@case("pr-edition-edited-without-correction")
def _():
    return {**edition_base(),
            "site/monthly/2025-03.md": utf8(monthly([RID], published="2025-04-10",
                                                    note="本月完成中试验证，进展显著，已批量装车十二万台。"))}


@case("pr-edition-cites-rejected-record")
def _():  # a new record with an error, and a new report citing it (line 6)
    return {**record(mutate(("field: 先进半导体材料\n", "field: 人工智能\n"))),
            "site/monthly/2025-04.md": utf8(monthly([RID]))}


@case("pr-edition-deleted")
def _():  # the PR deletes site/monthly/2025-03.md (case.yaml: delete)
    return edition_base()


@case("pr-outside-record")
def _():  # a new record, and a "small fix" to the CI workflow in the same pull request
    return {"base/.github/workflows/validate.yml": b"name: validate\non: pull_request\njobs: {}\n",
            **record(mutate(("id: 2025-3kq8m2va\n", f"id: {OTHER}\n")), OTHER),
            ".github/workflows/validate.yml": b"name: validate\non: pull_request_target\njobs: {}\n"}


@case("pr-several-records")
def _():
    return {**record(BASE), **record(mutate(("id: 2025-3kq8m2va\n", f"id: {OTHER}\n")), OTHER)}


@case("pr-symlinked-folder")
def _():  # a new, valid record; the symlinked folder beside it is made by the test (case.yaml: symlinks)
    return record(BASE)


# --- writing and checking ----------------------------------------------------------------------------------

def generated() -> dict[str, Files]:
    return {name: build() for name, build in CASES.items()}


def input_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "case.yaml"}


def check() -> list[str]:
    problems = []
    for name, files in generated().items():
        folder = HERE / name
        on_disk = input_files(folder) if folder.is_dir() else {}
        if on_disk != files:
            problems.append(f"{name}: committed inputs differ from make_cases.py "
                            f"(missing {sorted(set(files) - set(on_disk))}, extra {sorted(set(on_disk) - set(files))})")
        if not (folder / "case.yaml").is_file():
            problems.append(f"{name}: no case.yaml")
    known = set(CASES)
    for folder in sorted(HERE.iterdir()):
        if folder.is_dir() and not folder.name.startswith(("_", ".")) and folder.name not in known:
            problems.append(f"{folder.name}: a case folder make_cases.py does not know")
    return problems


def write() -> None:
    for name, files in generated().items():
        folder = HERE / name
        for stale in set(input_files(folder)) - set(files) if folder.is_dir() else ():
            (folder / stale).unlink()
        for path, data in files.items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        found = check()
        print("\n".join(found) or f"{len(CASES)} cases: inputs match make_cases.py")
        sys.exit(1 if found else 0)
    write()
    print(f"wrote the inputs of {len(CASES)} cases under {HERE}")
