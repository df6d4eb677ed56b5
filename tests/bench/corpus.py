"""A benchmark corpus: N valid, varied records and the editions over their period, in a throwaway git repository
whose history looks like the real one (one merge commit per record, later edits, withdrawals, editions).

    .venv/bin/python -m tests.bench.corpus 10000 /tmp/corpus-10k [--seed 20251120]

Deterministic for a given (N, seed): same repository, same commit ids. About 1,000 records enter per year, so
10,000 records span ten years ending on END (2026-06-30); the corpus is meant to be built "as of" BUILT_AT
(2026-07-01 12:00 Asia/Shanghai: `SOURCE_DATE_EPOCH=BUILT_AT_EPOCH`), when a few embargoed records (publish_at
in 2027) are still hidden. Every date in a record is on or before END, so validation also passes on today's clock.

What is generated, per record: units drawn from per-type pools that grow by a Simon process (about one distinct
completing unit per four records, Zipf-like reuse), people per unit likewise, valid GB 32100 credit codes,
patent numbers and ORCIDs, category evidence, ~25 % with one or two small PNG images, ~35 % with an
evaluation and ~20 % with progress at entry. No record has `entered`: entry dates come from git.

History, written by one `git fast-import` stream: the project's own schema, theme and hand-written pages in a
first commit; then, in time order, each record as a commit on a side branch merged into main by a merge commit
("Merge pull request #n …", committer date = entry); ~10 % of records edited later (a progress entry, an
evaluation or a revised summary) and ~1 % withdrawn, each by a later first-parent commit; a monthly report every
month (5 records entered before it), a quarterly release every quarter (6 records of one highland, presented by
one of their completers) and an annual list (20 records of the year) each January, each committed on its
publication date. Records later withdrawn or embargoed are never chosen for an edition.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import struct
import subprocess
import sys
import time
import zlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Iterator

import yaml

from pipeline.checkdigits import credit_code_check_char, orcid_check_char, patent_check_char
from pipeline.ids import new_id
from pipeline.model import SHANGHAI
from tests.bench.corpus_text import (JOURNALS, PATENT_TAILS, PROGRAMMES, PROJECT_TAILS, PROJECTS,
                                     WITHDRAWAL_REASONS, TextMaker)

PROJECT = Path(__file__).resolve().parents[2]
DEFAULT_SEED = 20251120
END = datetime(2026, 6, 30, 18, 0, tzinfo=SHANGHAI)
BUILT_AT = datetime(2026, 7, 1, 12, 0, tzinfo=SHANGHAI)
BUILT_AT_EPOCH = int(BUILT_AT.timestamp())
RECORDS_PER_YEAR = 1000
HEADER = ("# yaml-language-server: $schema=https://zlhcg.example.org/schema/result-1.0.0.json\n"
          "# 基准测试语料：本记录由 tests/bench/corpus.py 生成，单位、人员和数据均为虚构。\n")
COORDINATOR = "浙里好成果协调办 <coordinator@example.org>"
SIDE_REF = "refs/heads/pull-request"

# Project files copied into the first commit: everything the build needs except the library itself.
COPIED = ("schema", "mkdocs.yml", "overrides", ".gitignore")
EDITION_FOLDERS = ("site/monthly", "site/quarterly", "site/annual")

CITIES = {"杭州市": ("330100", 30, "0571"), "宁波市": ("330200", 15, "0574"), "温州市": ("330300", 8, "0577"),
          "嘉兴市": ("330400", 7, "0573"), "湖州市": ("330500", 5, "0572"), "绍兴市": ("330600", 7, "0575"),
          "金华市": ("330700", 6, "0579"), "衢州市": ("330800", 3, "0570"), "舟山市": ("330900", 3, "0580"),
          "台州市": ("331000", 6, "0576"), "丽水市": ("331100", 3, "0578")}
OUTSIDE_REGIONS = ("310104", "110108", "320102", "440305", "420111", "510107")
HIGHLAND_FIELDS = {
    "互联网+": ("云计算与未来网络", "人工智能", "大数据与区块链", "集成电路", "智能制造与机器人", "网络信息安全"),
    "生命健康": ("生物技术与创新药物", "高端医疗器械", "精准医学与数字健康", "现代农业与食品"),
    "新材料": ("先进高分子材料", "高端磁性材料", "先进半导体材料", "新能源材料", "先进金属与复合材料"),
}
BRANDS = ("之江 甬江 瓯江 钱塘 西湖 天目 雁荡 南湖 富春 新安 兰江 婺江 椒江 瓯越 东海 普陀 千岛 莫干 会稽 四明 括苍 仙都 "
          "浦阳 苕溪 运河 嘉禾 越州 明州 婺州 台岳 衢江 龙泉 安吉 桐乡 海宁 诸暨 永康 义乌 乐清 瑞安 慈溪 余姚 象山 天台 "
          "临海 玉环 缙云 青田 开化 江山 德清 长兴 平湖 嘉善 上虞 新昌 东阳 浦江 武义 磐安 岱山 三门 仙居 温岭 遂昌 松阳 "
          "云和 庆元 泰顺 文成 平阳 苍南 洞头 永嘉 建德 淳安 桐庐 临安 萧山 余杭 富阳 滨江 鉴湖 北仑 镇海").split()
INDUSTRIES = {  # what a company's name says it makes, by highland
    "互联网+": "半导体 电子 数字科技 信息技术 网络 软件 集成电路 传感 智能科技 通信 机器人 智能装备 精密机械 激光 光电".split(),
    "生命健康": "生物医药 医疗器械 药业 农业科技 食品 健康科技 生物技术 基因科技 茶业 种业".split(),
    "新材料": "新材料 化工 能源 储能 磁业 高分子 复合材料 新能源 半导体 环境科技 汽车零部件 光电 金属材料".split(),
}
DOMAINS = ("化工 材料 电子信息 机械 农业科学 海洋 医学科学 计量 信息技术 光电 生物 能源 环境科学 智能制造 集成电路 "
           "食品 纺织 冶金 林业 水产").split()
ORDINALS = "一二三四五六七八九"
SURNAMES = ("王王王陈陈陈张张李李吴吴周周徐徐金金沈沈朱胡俞楼钱应叶何郑方蒋孙杨黄林赵潘邵汪章毛邱严施翁范袁丁许韩"
            "冯曹彭曾肖田董蔡余杜程魏苏吕任姚卢钟姜崔谭陆贾夏付邹熊孟秦侯尹薛段雷龙史陶贺顾龚万钮柴斯童竺裘")
GIVEN = "伟芳敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红文辉建国志新宏晓峰海云波宁斌浩凯俊雪琳晨欣怡子涵宇轩博睿立春秋永康嘉佳"
COMPOUND_NAMES = ("阿不都·热合曼", "买买提·艾力", "古丽·努尔", "扎西·次仁", "艾尔肯·吐尔逊", "巴特尔·其其格")
TITLES = {"企业": "总工程师 高级工程师 工程师 技术总监 研发经理 董事长",
          "高等学校": "教授 教授 副教授 研究员 讲师 博士后",
          "科研院所": "研究员 副研究员 高级工程师 助理研究员",
          "医疗卫生机构": "主任医师 副主任医师 主治医师 研究员",
          "省实验室": "研究员 高级工程师 副研究员", "省技术创新中心": "高级工程师 研究员 工程师",
          "新型研发机构": "研究员 高级工程师 工程师", "其他": "高级工程师 工程师"}
# Unit types: (share of completing-unit slots, chance a slot brings a new unit, credit code prefix).
UNIT_TYPES = {"企业": (0.50, 0.24, "91"), "高等学校": (0.18, 0.02, "12"), "科研院所": (0.13, 0.06, "12"),
              "医疗卫生机构": (0.05, 0.05, "12"), "省实验室": (0.04, 0.006, "12"), "省技术创新中心": (0.03, 0.012, "12"),
              "新型研发机构": (0.05, 0.05, "52"), "其他": (0.02, 0.2, "51")}
FIRST_UNIT_TYPES = {"基础研究成果": {"高等学校": 5, "科研院所": 3, "省实验室": 1, "医疗卫生机构": 1},
                    "技术攻关成果": {"企业": 7, "科研院所": 1, "新型研发机构": 1, "省技术创新中心": 1},
                    "重大应用成果": {"企业": 5, "科研院所": 3, "高等学校": 2}}
LIFE_ONLY = {"医疗卫生机构"}
BY_HIGHLAND = {"企业", "新型研发机构", "省技术创新中心", "其他"}  # unit pools kept apart per highland
MONTHLY_BY = ("省科技评估和成果转化中心调研组", "省科技厅成果转化处", "省科技评估和成果转化中心调研组、{city}科学技术局")


# --- small deterministic helpers ----------------------------------------------------------------------------

def weighted(rng: random.Random, table: dict):
    keys = list(table)
    return rng.choices(keys, [table[k] if not isinstance(table[k], tuple) else table[k][1] for k in keys])[0]


def credit_code(rng: random.Random, prefix: str, region: str, taken: set[str]) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    while True:
        body = ("MA" + "".join(rng.choices(alphabet, k=7))) if prefix == "91" else "".join(rng.choices("0123456789", k=8)) + rng.choice(alphabet)
        first17 = prefix + region + body
        code = first17 + credit_code_check_char(first17)
        if code not in taken:
            taken.add(code)
            return code


def orcid(rng: random.Random) -> str:
    digits = "0000000" + str(rng.randint(1, 3)) + "".join(rng.choices("0123456789", k=7))
    full = digits + orcid_check_char(digits)
    return "-".join(full[i:i + 4] for i in range(0, 16, 4))


def patent_number(rng: random.Random, year: int) -> str:
    digits = f"{year}{rng.choice('11112')}{rng.randint(0, 9_999_999):07d}"
    return f"ZL{digits}.{patent_check_char(digits)}"


def tiny_png(rng: random.Random) -> bytes:
    """A valid 160×120 RGB PNG of about 1 KB: colour bands and a few blocks, different for every image."""
    width, height = 160, 120
    base = [rng.randrange(256) for _ in range(3)]
    blocks = [(rng.randrange(width), rng.randrange(height), rng.randrange(8, 40), [rng.randrange(256) for _ in range(3)])
              for _ in range(rng.randint(2, 5))]
    reds = bytes((base[0] + x // 8 * 12) % 256 for x in range(width))
    rows = []
    for y in range(height):
        row = bytearray(width * 3)
        row[0::3] = reds
        row[1::3] = bytes([(base[1] + y // 8 * 16) % 256]) * width
        row[2::3] = bytes([base[2]]) * width
        for bx, by, size, colour in blocks:
            if by <= y < by + size // 2:
                end = min(bx + size, width)
                row[bx * 3:end * 3] = bytes(colour) * (end - bx)
        rows.append(b"\0" + bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))


class _Dumper(yaml.CSafeDumper):
    pass


_NUMBER_LIKE = re.compile(r"[-+]?[0-9.]+([eE][-+]?[0-9]+)?")


def _str(dumper, value: str):
    """Multi-line text as a literal block; number-like codes always quoted (PyYAML writes YAML 1.1, where
    "52330203692765E16" is a string, but the library reads YAML 1.2, where it is a number)."""
    style = "|" if "\n" in value else '"' if _NUMBER_LIKE.fullmatch(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def record_yaml(data: dict) -> str:
    return HEADER + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000)


# --- units and people -----------------------------------------------------------------------------------

@dataclass
class Person:
    name: str
    title: str | None
    orcid: str | None


@dataclass
class Unit:
    name: str
    credit_code: str
    type: str
    city: str
    people: list[Person] = field(default_factory=list)
    uses: list[int] = field(default_factory=list)  # one entry per person slot, for preferential reuse


class Population:
    """Completing units and their people. A slot of a given type reuses an existing unit of that type in
    proportion to how often it was used (a Simon process: Zipf-like), or founds a new one."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.units: dict[tuple[str, str], list[Unit]] = {}  # (type, highland or "") → units
        self.slots: dict[tuple[str, str], list[int]] = {}  # index into units[key], once per use
        self.names: set[str] = set()
        self.codes: set[str] = set()

    def unit(self, kind: str, highland: str, outside_ok: bool) -> Unit:
        """A unit of `kind` for a record of `highland` (companies and the like make what their name says)."""
        key = (kind, highland if kind in BY_HIGHLAND else "")
        pool, slots = self.units.setdefault(key, []), self.slots.setdefault(key, [])
        if not pool or self.rng.random() < UNIT_TYPES[kind][1]:
            pool.append(self._found(kind, highland, outside_ok))
            index = len(pool) - 1
        else:
            index = self.rng.choice(slots)
        slots.append(index)
        return pool[index]

    def _found(self, kind: str, highland: str, outside_ok: bool) -> Unit:
        rng = self.rng
        outside = outside_ok and kind not in ("省实验室", "省技术创新中心") and rng.random() < 0.06
        city = "省外" if outside else weighted(rng, CITIES)
        region = rng.choice(OUTSIDE_REGIONS) if outside else CITIES[city][0][:4] + f"{rng.randint(0, 12):02d}"
        while True:
            name = self._name(kind, highland, "" if outside else city.removesuffix("市"))
            if name not in self.names:
                self.names.add(name)
                break
        return Unit(name, credit_code(rng, UNIT_TYPES[kind][2], region, self.codes), kind, city)

    def _name(self, kind: str, highland: str, place: str) -> str:
        r = self.rng
        brand, industry, domain = r.choice(BRANDS), r.choice(INDUSTRIES[highland]), r.choice(DOMAINS)
        place = place or r.choice(("上海", "北京", "南京", "深圳", "武汉", "成都"))
        return {
            "企业": f"{r.choice((place, ''))}{brand}{industry}{r.choice(('科技有限公司', '股份有限公司', '有限公司'))}",
            "高等学校": f"{brand}{r.choice(('大学', '理工大学', '科技大学', '工业大学', '农林大学', '医科大学', '学院'))}",
            "科研院所": r.choice((f"浙江省{domain}研究院", f"{brand}{domain}研究所", f"{place}{domain}研究院")),
            "医疗卫生机构": r.choice((f"{brand}大学医学院附属第{r.choice(ORDINALS[:4])}医院",
                                   f"{place}市第{r.choice(ORDINALS)}人民医院", f"{place}市中医院")),
            "省实验室": f"{brand}实验室",
            "省技术创新中心": f"浙江省{industry}技术创新中心",
            "新型研发机构": f"{place}{brand}{industry}研究院",
            "其他": f"{place}市{industry}产品质量检验中心",
        }[kind]

    def person(self, unit: Unit) -> Person:
        """Someone from `unit`: a colleague already named in an earlier record, or someone new."""
        r = self.rng
        if unit.people and r.random() > 0.35:
            index = r.choice(unit.uses)
        else:
            if r.random() < 0.01:
                name = r.choice(COMPOUND_NAMES)
            else:
                name = r.choice(SURNAMES) + "".join(r.choices(GIVEN, k=r.choice((1, 2, 2, 2))))
            academic = unit.type in ("高等学校", "科研院所", "省实验室")
            person = Person(name, r.choice(TITLES[unit.type].split()) if r.random() < 0.8 else None,
                            orcid(r) if academic and r.random() < 0.4 else None)
            unit.people.append(person)
            index = len(unit.people) - 1
        unit.uses.append(index)
        return unit.people[index]


# --- records --------------------------------------------------------------------------------------------

@dataclass
class Change:
    """A later first-parent commit to a record: an edit or a withdrawal."""
    when: datetime
    data: dict
    subject: str


@dataclass
class PlannedRecord:
    id: str
    branched: datetime
    entered: datetime
    data: dict
    images: dict[str, bytes]
    changes: list[Change] = field(default_factory=list)
    embargoed: bool = False
    withdrawn: bool = False

    @property
    def folder(self) -> str:
        return f"results/{self.id}"

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.id}.yaml"

    @property
    def title(self) -> str:
        return self.data["title"]

    def people(self) -> list[str]:
        return [p["name"] for p in self.data["people"]]


def _day(moment: datetime | date) -> str:
    return (moment.date() if isinstance(moment, datetime) else moment).isoformat()


def _submitter(rng: random.Random, first: Unit) -> dict:
    city = first.city
    kind = first.type
    if kind == "企业":
        if rng.random() < 0.6:
            return {"name": f"{city}科学技术局", "type": "设区市科技局", "city": city}
        return {"name": first.name, "type": "科技小巨人和科技领军企业", "city": city}
    if kind in ("高等学校", "科研院所"):
        if rng.random() < 0.8:
            return {"name": first.name, "type": "高校院所", "city": city}
        return {"name": "浙江省科学技术厅成果转化处", "type": "省科技厅相关处室", "city": "省级"}
    if kind == "医疗卫生机构":
        return {"name": "浙江省卫生健康委员会科教处", "type": "行业部门和行业协会", "city": "省级"}
    return {"name": first.name, "type": {"省实验室": "省实验室", "省技术创新中心": "省技术创新中心",
                                         "新型研发机构": "省新型研发机构"}.get(kind, "行业部门和行业协会"), "city": city}


def _units(rng: random.Random, population: Population, category: str, highland: str) -> list[Unit]:
    firsts = {k: v for k, v in FIRST_UNIT_TYPES[category].items() if highland == "生命健康" or k not in LIFE_ONLY}
    chosen = [population.unit(weighted(rng, firsts), highland, outside_ok=False)]
    shares = {k: v[0] for k, v in UNIT_TYPES.items() if highland == "生命健康" or k not in LIFE_ONLY}
    for _ in range(rng.choices((0, 1, 2, 3), (35, 35, 20, 10))[0]):
        unit = population.unit(weighted(rng, shares), highland, outside_ok=True)
        if unit.name not in {u.name for u in chosen}:
            chosen.append(unit)
    return chosen


def _people(rng: random.Random, population: Population, units: list[Unit], text: TextMaker) -> list[dict]:
    count = rng.randint(max(2, len(units)), 7)
    people: list[dict] = []
    for i in range(count):
        unit = units[0] if i == 0 else (units[i] if i < len(units) else rng.choice(units))
        person = population.person(unit)
        if person.name in {p["name"] for p in people}:
            continue
        entry = {"name": person.name, "unit": unit.name, "role": text.role(i == 0)}
        if person.title:
            entry["title"] = person.title
        if person.orcid:
            entry["orcid"] = person.orcid
        people.append(entry)
    return people


def _unit_entry(unit: Unit) -> dict:
    return {"name": unit.name, "credit_code": unit.credit_code, "type": unit.type, "city": unit.city}


def build_record(rng: random.Random, population: Population, record_id: str, entered: datetime) -> tuple[dict, dict[str, bytes]]:
    """One record as it enters the library (data and image files)."""
    year = entered.year
    highland = rng.choices(list(HIGHLAND_FIELDS), (40, 30, 30))[0]
    field_name = rng.choice(HIGHLAND_FIELDS[highland])
    category = rng.choices(("技术攻关成果", "基础研究成果", "重大应用成果"), (50, 25, 25))[0]
    text = TextMaker(rng, field_name)
    units = _units(rng, population, category, highland)
    journal = rng.choice(JOURNALS)
    project = rng.choice(PROJECTS)
    images = {f"photo-{i + 1}.png": tiny_png(rng) for i in range(rng.choice((1, 1, 2)))} if rng.random() < 0.25 else {}
    media = [{"file": name, "alt": f"{text.product}{'照片' if i == 0 else '结构示意图'}（生成图片）",
              "caption": f"{text.adjective}{text.product}"} for i, name in enumerate(images)]
    shown = (media[0]["file"], media[0]["alt"]) if media and rng.random() < 0.3 else None
    link = f"https://example.org/tech/{record_id}" if rng.random() < 0.2 else None

    data: dict = {"id": record_id, "title": text.title(category)}
    if rng.random() < 0.6:
        data["title_en"] = text.title_en()
    data["summary"] = text.summary(category, journal, project)
    data["description"] = text.description(category, shown, link)
    data["innovations"] = text.innovations()
    data["category"] = category
    if category == "基础研究成果" or rng.random() < 0.15:
        data["papers"] = [{"title": text.paper_title(), "journal": journal if i == 0 else rng.choice(JOURNALS),
                           "year": rng.randint(year - 3, year),
                           "doi": f"10.{rng.randint(1000, 99999)}/{rng.choice('sjnrx')}{rng.randint(year - 3, year)}.{rng.randint(100, 99999)}",
                           **({"authors": f"{rng.choice(SURNAMES)}某某（通讯作者）"} if rng.random() < 0.5 else {})}
                          for i in range(rng.randint(1, 3))]
    if category == "技术攻关成果":
        data["breakthrough"] = {"bottleneck": text.bottleneck(), "replaces": text.replaces(), "industrialization": {
            "products": [text.model_name() for _ in range(rng.randint(1, 3))],
            "users": [f"{rng.choice(list(CITIES)).removesuffix('市')}某{rng.choice(INDUSTRIES[highland])}有限公司" for _ in range(rng.randint(1, 3))],
            "output": text.output(year - 1)}}
    if category == "重大应用成果":
        data["application"] = {"project": project, "usage": text.usage(project)}
    data["level"] = rng.choices(("国际领先", "国际先进", "国内领先"), (15, 45, 40))[0]
    if rng.random() < 0.7:
        data["significance"] = rng.sample(("打破垄断封锁", "填补空白", "进口替代"), rng.randint(1, 2))
    data["highland"] = highland
    data["field"] = field_name
    data["submitter"] = _submitter(rng, units[0])
    data["units"] = [_unit_entry(u) for u in units]
    data["people"] = _people(rng, population, units, text)
    if rng.random() < 0.4:
        data["platform"] = f"{rng.choice(BRANDS)}实验室" if rng.random() < 0.5 else f"浙江省{rng.choice(INDUSTRIES[highland])}技术创新中心"
    if rng.random() < 0.7:
        data["projects"] = [_project(rng, text, year) for _ in range(rng.randint(1, 3))]
    ip = _ip(rng, text, year, field_name)
    if ip:
        data["ip"] = ip
    confirmed = entered.date() - timedelta(days=rng.randint(5, 40))
    data["ip_statement"] = {"confirmed": True, "confirmed_by": f"{data['submitter']['name']} {rng.choice(SURNAMES)}某某",
                            "confirmed_on": confirmed.isoformat()}
    if rng.random() < 0.5:
        data["benefits"] = [{"metric": m, "value": round(rng.uniform(0.2, 60), 1), "unit": u,
                             "period": f"{year - 2}—{year - 1}年"}
                            for m, u in rng.sample((("新增销售收入", "亿元"), ("新增利润", "亿元"), ("节约成本", "亿元"),
                                                    ("减少碳排放", "万吨"), ("带动就业", "千人")), rng.randint(1, 2))]
    if rng.random() < 0.7:
        data["transfer"] = _transfer(rng, units[0], link)
    if media:
        data["media"] = media
    if rng.random() < 0.2:
        data["progress"] = [{"date": (confirmed - timedelta(days=rng.randint(30, 300))).isoformat(), "text": text.progress()}]
    if rng.random() < 0.35:
        data["evaluations"] = [{"date": (confirmed - timedelta(days=rng.randint(10, 200))).isoformat(),
                                "type": rng.choice(("同行评价", "市场评价", "第三方评价")),
                                "evaluator": text.evaluator(units[0].city), "conclusion": text.conclusion(data["level"], units[0].city)}]
    data["tags"] = text.tags()
    data["demo"] = True
    return data, images


def _project(rng: random.Random, text: TextMaker, year: int) -> dict:
    programme = rng.choice(PROGRAMMES)
    start = rng.randint(year - 5, year - 1)
    if programme.startswith("国家重点研发"):
        number = f"{start}YF{rng.choice('ABCD')}{rng.randint(1000000, 9999999)}"
    elif programme.startswith("国家自然科学基金"):
        number = f"{rng.choice('3568')}{rng.randint(1000000, 9999999)}"
    else:
        number = f"{start}C0{rng.randint(1000, 4999)}"
    return {"name": f"{text.term()}{rng.choice(PROJECT_TAILS)}", "number": number, "programme": programme}


def _ip(rng: random.Random, text: TextMaker, year: int, field_name: str) -> dict:
    ip: dict = {}
    if rng.random() < 0.6:
        ip["patents"] = [{"number": patent_number(rng, rng.randint(year - 6, year - 1)),
                          "title": f"一种{text.term()}{rng.choice(PATENT_TAILS)}",
                          "status": rng.choices(("已授权", "实审中", "已公开", "已受理"), (6, 2, 1, 1))[0]}
                         for _ in range(rng.randint(1, 4))]
    if field_name in HIGHLAND_FIELDS["互联网+"] and rng.random() < 0.4:
        ip["software"] = [{"number": f"{rng.randint(year - 4, year - 1)}SR{rng.randint(100000, 1999999)}",
                           "title": f"{text.product.removesuffix('软件')}软件V{rng.randint(1, 5)}.0"}]
    if rng.random() < 0.2:
        ip["standards"] = [{"number": rng.choice((f"GB/T {rng.randint(30000, 45000)}-{year - 1}",
                                                  f"T/ZJAS {rng.randint(1, 300):03d}-{year - 1}")),
                            "title": f"{text.product}技术规范"}]
    return ip


def _transfer(rng: random.Random, unit: Unit, link: str | None) -> dict:
    transfer: dict = {"status": rng.choices(("已转化", "转化中", "寻求合作", "暂不转化"), (5, 3, 3, 1))[0]}
    if transfer["status"] != "暂不转化":
        transfer["modes"] = rng.sample(("转让", "许可", "作价入股", "合作开发", "自行实施", "技术服务"), rng.randint(1, 3))
    area = CITIES.get(unit.city, ("", 0, "0571"))[2]
    transfer["contact"] = {"office": f"{unit.name}{rng.choice(('技术转移中心', '科技合作部', '成果转化办公室'))}",
                           "phone": f"{area}-8{rng.randint(1000000, 9999999)}",
                           "email": f"ttc{rng.randint(1, 99999)}@example.org"}
    if link:
        transfer["market_url"] = link
    return transfer


# --- the period's timeline ---------------------------------------------------------------------------------

def years_for(count: int) -> int:
    return max(1, round(count / RECORDS_PER_YEAR))


def period_start(count: int) -> datetime:
    return datetime(END.year - years_for(count), END.month, END.day, tzinfo=SHANGHAI) + timedelta(days=1)


def _working_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    span = (end - start).total_seconds()
    while True:
        moment = start + timedelta(seconds=rng.random() * span)
        if moment.weekday() < 5 or rng.random() < 0.15:
            break
    moment = moment.replace(hour=rng.randint(9, 18), minute=rng.randrange(60), second=rng.randrange(60))
    return min(max(moment, start), end)


def plan_records(count: int, rng: random.Random, progress=lambda message: None) -> list[PlannedRecord]:
    start = period_start(count)
    entries = sorted(_working_moment(rng, start, END) for _ in range(count))
    population = Population(rng)
    ids: set[str] = set()
    records = []
    for entered in entries:
        branched = entered - timedelta(days=rng.randint(1, 20), minutes=rng.randrange(600))
        while (record_id := new_id(branched.date(), rng.getrandbits(40))) in ids:
            pass
        ids.add(record_id)
        data, images = build_record(rng, population, record_id, entered)
        records.append(PlannedRecord(record_id, branched, entered, data, images))
        if len(records) % max(1, count // 10) == 0 or len(records) == count:
            progress(f"已生成 {len(records)}/{count} 条成果…")
    _mark_special(records, rng)
    return records


def _mark_special(records: list[PlannedRecord], rng: random.Random) -> None:
    """Embargoes (~0.3 %), withdrawals (~1 %) and later edits (~10 %), on distinct records; at least one
    embargo and one withdrawal however small the corpus."""
    count = len(records)
    late_enough = [r for r in records if (END - r.entered).days >= 20]
    chosen = rng.sample(late_enough, min(len(late_enough), max(1, round(count * 0.003)) + max(1, round(count * 0.01))
                                         + round(count * 0.10)))
    embargoes = max(1, round(count * 0.003))
    withdrawals = max(1, round(count * 0.01))
    for record in chosen[:embargoes]:
        record.embargoed = True
        month = rng.randint(1, 9)
        record.data["publish_at"] = f"2027-{month:02d}-01T09:00:00+08:00"
    for record in chosen[embargoes:embargoes + withdrawals]:
        record.withdrawn = True
        when = _working_moment(rng, record.entered + timedelta(days=10), END)
        data = dict(record.data)
        data["withdrawn"] = {"date": _day(when), "reason": rng.choice(WITHDRAWAL_REASONS)}
        record.changes.append(Change(when, data, f"撤回成果：{record.title}"))
    for record in chosen[embargoes + withdrawals:]:
        _add_edits(record, rng)


def _add_edits(record: PlannedRecord, rng: random.Random) -> None:
    data = record.data
    text = TextMaker(rng, data["field"])
    moment = record.entered
    for _ in range(rng.choices((1, 2), (8, 2))[0]):
        if (END - moment).days < 10:
            break
        moment = _working_moment(rng, moment + timedelta(days=7), END)
        data = {k: (list(v) if isinstance(v, list) else v) for k, v in data.items()}
        kind = rng.choices(("progress", "evaluation", "summary"), (5, 3, 2))[0]
        if kind == "progress":
            data["progress"] = [*data.get("progress", []), {"date": _day(moment), "text": text.progress()}]
            subject = f"更新成果进展：{data['title']}"
        elif kind == "evaluation":
            city = data["units"][0]["city"]
            data["evaluations"] = [*data.get("evaluations", []), {
                "date": _day(moment), "type": rng.choice(("同行评价", "市场评价", "第三方评价")),
                "evaluator": text.evaluator(city), "conclusion": text.conclusion(data["level"], city)}]
            subject = f"补充跟踪评价：{data['title']}"
        else:
            data["summary"] = data["summary"].replace("已在", "目前已在", 1) if "已在" in data["summary"] else data["summary"] + "（修订）"
            subject = f"修订成果简介：{data['title']}"
        record.changes.append(Change(moment, data, subject))


# --- editions --------------------------------------------------------------------------------------------

@dataclass
class PlannedEdition:
    when: datetime
    path: str
    text: str
    subject: str


def _front(data: dict, body: str) -> str:
    return "---\n" + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000) + "---\n" + body


class _Eligible:
    """Records an edition may cite: public for good (never withdrawn or embargoed), in entry order."""

    def __init__(self, records: list[PlannedRecord]):
        self.records = [r for r in records if not r.withdrawn and not r.embargoed]
        self.entries = [r.entered for r in self.records]

    def entered_between(self, start: datetime, end: datetime) -> list[PlannedRecord]:
        return self.records[bisect_left(self.entries, start):bisect_right(self.entries, end)]


def _month_starts(start: datetime) -> Iterator[date]:
    month = date(start.year, start.month, 1)
    while month <= END.date():
        yield month
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


def plan_editions(records: list[PlannedRecord], rng: random.Random) -> list[PlannedEdition]:
    eligible = _Eligible(records)
    start = records[0].entered if records else END
    return [*_monthly(eligible, rng, start), *_quarterly(eligible, rng, start), *_annual(eligible, rng, start)]


def _publication(rng: random.Random, day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, rng.randrange(60), tzinfo=SHANGHAI)


def _monthly(eligible: _Eligible, rng: random.Random, start: datetime) -> Iterator[PlannedEdition]:
    serial, issues = 0, {}
    for month in _month_starts(start):
        published = _publication(rng, month.replace(day=rng.randint(20, 28)))
        if published > END:
            continue
        pool = eligible.entered_between(published - timedelta(days=365), published - timedelta(days=10))
        if not pool:
            continue
        featured = rng.sample(pool[-200:], min(5, len(pool[-200:])))
        serial += 1
        issues[month.year] = issues.get(month.year, 0) + 1
        items = []
        for record in featured:
            survey = record.entered.date() + timedelta(days=rng.randint(1, (published.date() - record.entered.date()).days - 1))
            items.append({"result": record.id, "note": TextMaker(rng, record.data["field"]).monthly_note(record.title),
                          "survey": {"date": survey.isoformat(),
                                     "by": rng.choice(MONTHLY_BY).format(city=record.data["units"][0]["city"])}})
        front = {"issue": issues[month.year], "serial": serial, "published": _day(published),
                 "title": "聚焦{}与{}前沿进展".format(*rng.sample(list(HIGHLAND_FIELDS), 2)),
                 "featured": items,
                 "distribution": {"to": ["省委", "省政府"], "cc": ["省委科技强省建设领导小组成员单位", "各设区市党委、政府"]}}
        body = (f"本期月报从成果库中遴选 {len(items)} 项取得最新进展的成果，经现场调研评估确认后编辑形成。\n\n"
                "入选成果覆盖多个战略领域，体现了我省科技创新从实验室走向产业化的最新态势。\n")
        yield PlannedEdition(published, f"site/monthly/{month:%Y-%m}.md", _front(front, body),
                             f"发布成果月报：{month.year}年第{issues[month.year]}期")


def _quarterly(eligible: _Eligible, rng: random.Random, start: datetime) -> Iterator[PlannedEdition]:
    for month in _month_starts(start):
        if month.month % 3:
            continue
        quarter = month.month // 3
        published = _publication(rng, month.replace(day=rng.randint(10, 25)))
        if published > END:
            continue
        highland = rng.choice(list(HIGHLAND_FIELDS))
        pool = [r for r in eligible.entered_between(published - timedelta(days=400), published - timedelta(days=3))
                if r.data["highland"] == highland]
        if not pool:
            continue
        released = rng.sample(pool, min(6, len(pool)))
        city = rng.choice(list(CITIES))
        front = {"published": _day(published),
                 "title": f"{month.year}年第{'一二三四'[quarter - 1]}季度“浙里好成果”发布会（{highland}专场）",
                 "event": {"time": rng.choice(("09:30", "14:00", "14:30")), "venue": f"{city.removesuffix('市')}科创会客厅",
                           "city": city, "organiser": "浙江省科学技术厅", "co_hosts": [f"{city}人民政府"],
                           "activities": rng.sample(("成果转化", "项目路演", "科技招商", "成果展示", "签约仪式"), 3)},
                 "released": [{"result": r.id, "presenter": rng.choice(r.people())} for r in released]}
        body = (f"本次发布会聚焦{highland}科创高地，由 {len(released)} 位成果完成人现场发布重大科技成果。\n\n"
                "发布会同期举办成果转化路演和签约仪式。\n")
        yield PlannedEdition(published, f"site/quarterly/{month.year}-Q{quarter}.md", _front(front, body),
                             f"发布季度成果：{month.year}年第{quarter}季度")


def _annual(eligible: _Eligible, rng: random.Random, start: datetime) -> Iterator[PlannedEdition]:
    for year in range(start.year, END.year):
        published = _publication(rng, date(year + 1, 1, rng.randint(10, 20)))
        pool = eligible.entered_between(datetime(year, 1, 1, tzinfo=SHANGHAI), datetime(year, 12, 31, 23, tzinfo=SHANGHAI))
        if not pool:
            continue
        ranked = sorted(pool, key=lambda r: ({"国际领先": 0, "国际先进": 1}.get(r.data["level"], 2), r.id))
        entries = [{"result": r.id, "citation": TextMaker(rng, r.data["field"]).citation(r.title)} for r in ranked[:20]]
        front = {"published": _day(published), "title": f"{year}年度浙里好成果榜单", "entries": entries}
        body = f"{year} 年度“浙里好成果”榜单从全省重大科技成果库中评选产生 {len(entries)} 项重大标志性成果。\n"
        yield PlannedEdition(published, f"site/annual/{year}.md", _front(front, body), f"发布年度榜单：{year}年度")


# --- the git history --------------------------------------------------------------------------------------

class FastImport:
    """Writes a `git fast-import` stream: blobs by mark, commits with explicit parents."""

    def __init__(self, out):
        self.out = out
        self.mark = 0

    def _next(self) -> int:
        self.mark += 1
        return self.mark

    def _data(self, content: bytes) -> None:
        self.out.write(b"data %d\n" % len(content))
        self.out.write(content)
        self.out.write(b"\n")

    def blob(self, content: bytes) -> int:
        mark = self._next()
        self.out.write(b"blob\nmark :%d\n" % mark)
        self._data(content)
        return mark

    def commit(self, ref: str, who: str, when: datetime, message: str, files: dict[str, int],
               parent: int | None = None, merge: int | None = None, author_when: datetime | None = None) -> int:
        mark = self._next()
        stamp = lambda moment: f"{int(moment.timestamp())} +0800"  # noqa: E731
        head = f"commit {ref}\nmark :{mark}\nauthor {who} {stamp(author_when or when)}\ncommitter {who} {stamp(when)}\n"
        self.out.write(head.encode())
        self._data(message.encode())
        if parent is not None:
            self.out.write(b"from :%d\n" % parent)
        if merge is not None:
            self.out.write(b"merge :%d\n" % merge)
        for path, blob in files.items():
            self.out.write(f"M 100644 :{blob} {path}\n".encode())
        self.out.write(b"\n")
        return mark


def _project_files() -> dict[str, bytes]:
    """The project's files every corpus starts from: schema, config, theme, hand-written pages and assets."""
    files: dict[str, bytes] = {}
    for name in COPIED:
        source = PROJECT / name
        paths = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        for path in paths:
            files[path.relative_to(PROJECT).as_posix()] = path.read_bytes()
    for path in sorted((PROJECT / "site").rglob("*")):
        relative = path.relative_to(PROJECT).as_posix()
        if path.is_file() and not relative.startswith(tuple(f + "/" for f in EDITION_FOLDERS)):
            files[relative] = path.read_bytes()
    return files


def _events(records: list[PlannedRecord], editions: list[PlannedEdition]) -> list[tuple[datetime, int, str, object]]:
    events: list[tuple[datetime, int, str, object]] = []
    for record in records:
        events.append((record.entered, len(events), "record", record))
        for change in record.changes:
            events.append((change.when, len(events), "change", (record, change)))
    for edition in editions:
        events.append((edition.when, len(events), "edition", edition))
    events.sort(key=lambda e: (e[0], e[1]))
    return events


def write_history(stream, records: list[PlannedRecord], editions: list[PlannedEdition], start: datetime) -> int:
    """The whole history as one fast-import stream; returns the number of commits."""
    fi = FastImport(stream)
    files = {path: fi.blob(content) for path, content in _project_files().items()}
    main = fi.commit("refs/heads/main", COORDINATOR, start - timedelta(days=30), "建立浙里好成果成果库\n", files)
    commits, pr = 1, 0
    for when, _, kind, item in _events(records, editions):
        pr += 1
        if kind == "record":
            record: PlannedRecord = item
            blobs = {record.path: fi.blob(record_yaml(record.data).encode())}
            blobs.update({f"{record.folder}/{name}": fi.blob(png) for name, png in record.images.items()})
            who = f"{record.data['submitter']['name']}报送员 <submit{pr % 97}@example.org>"
            side = fi.commit(SIDE_REF, who, record.branched, f"成果入库：{record.title}\n", blobs, parent=main)
            message = f"Merge pull request #{pr} from zj-submit/{record.id}\n\n成果入库：{record.title}\n"
            main = fi.commit("refs/heads/main", COORDINATOR, when, message, blobs, parent=main, merge=side,
                             author_when=when)
            commits += 2
        elif kind == "change":
            record, change = item
            blob = fi.blob(record_yaml(change.data).encode())
            main = fi.commit("refs/heads/main", COORDINATOR, when, f"{change.subject} (#{pr})\n", {record.path: blob},
                             parent=main)
            commits += 1
        else:
            edition: PlannedEdition = item
            blob = fi.blob(edition.text.encode())
            main = fi.commit("refs/heads/main", COORDINATOR, when, f"{edition.subject} (#{pr})\n", {edition.path: blob},
                             parent=main)
            commits += 1
    stream.write(b"done\n")
    return commits


def _git(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, **kwargs)


@dataclass(frozen=True)
class Corpus:
    root: Path
    count: int
    seed: int
    records: int
    editions: int
    commits: int
    embargoed: tuple[str, ...]
    withdrawn: tuple[str, ...]
    edited: tuple[str, ...]


def generate(count: int, root: Path, seed: int = DEFAULT_SEED, progress=lambda message: None) -> Corpus:
    """Writes the corpus repository at `root` (which must not exist or be empty) and checks out main."""
    root = Path(root)
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} 已存在且不为空")
    rng = random.Random(seed)
    records = plan_records(count, rng, progress)
    editions = plan_editions(records, rng)
    progress(f"已生成发布 {len(editions)} 期（月报、季度发布、年度榜单），正在写入 git 历史…")
    root.mkdir(parents=True, exist_ok=True)
    _git(root, "init", "-q", "-b", "main")
    for key, value in (("user.name", "基准测试"), ("user.email", "bench@example.org"), ("commit.gpgsign", "false"),
                       ("core.autocrlf", "false"), ("gc.auto", "0")):
        _git(root, "config", key, value)
    importer = subprocess.Popen(["git", "-C", str(root), "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE)
    commits = write_history(importer.stdin, records, editions, period_start(count))
    importer.stdin.close()
    if importer.wait() != 0:
        raise RuntimeError("git fast-import failed")
    _git(root, "update-ref", "-d", SIDE_REF)
    _git(root, "checkout", "-q", "-f", "main")
    progress(f"已写入 {commits} 个提交，工作区已检出 main：{root}")
    return Corpus(root, count, seed, len(records), len(editions), commits,
                  tuple(r.id for r in records if r.embargoed), tuple(r.id for r in records if r.withdrawn),
                  tuple(r.id for r in records if r.changes and not r.withdrawn))


def standalone_record(seed: int, entered: datetime) -> tuple[str, str, dict[str, bytes]]:
    """A fresh record not in any corpus (for a pull request adding one): id, YAML text, image files."""
    rng = random.Random(seed)
    record_id = new_id(entered.date(), rng.getrandbits(40))
    data, images = build_record(rng, Population(rng), record_id, entered)
    return record_id, record_yaml(data), images


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.corpus",
                                     description="生成基准测试用的成果库（含 git 历史），写入一个新的目录。")
    parser.add_argument("count", type=int, help="成果数量，例如 10000")
    parser.add_argument("dir", help="输出目录（不存在或为空）")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）")
    parser.add_argument("--force", action="store_true", help="输出目录已存在时先删除")
    args = parser.parse_args(argv)
    root = Path(args.dir)
    if args.force and root.exists():
        shutil.rmtree(root)
    started = time.perf_counter()
    try:
        corpus = generate(args.count, root, args.seed, progress=lambda m: print(m, file=sys.stderr))
    except FileExistsError as exc:
        print(f"{exc}。请换一个目录，或加 --force 覆盖。", file=sys.stderr)
        return 2
    print(f"完成：{corpus.records} 条成果（撤回 {len(corpus.withdrawn)}，保密期 {len(corpus.embargoed)}，"
          f"后续修改 {len(corpus.edited)}），发布 {corpus.editions} 期，{corpus.commits} 个提交，"
          f"用时 {time.perf_counter() - started:.1f} 秒。")
    print(f"构建：SOURCE_DATE_EPOCH={BUILT_AT_EPOCH} zlhcg --root {root} build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
