"""One benchmark record's content: units and people drawn from growing pools, identifiers with valid check
digits (GB 32100 credit codes, CNIPA patent numbers, ORCIDs), the evidence its category needs, small PNG
images, and the YAML text. Everything here is fictional and deterministic for a given random generator.
"""

from __future__ import annotations

import itertools
import random
import re
import struct
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import yaml

from pipeline.check.checkdigits import (credit_code_check_char, orcid_check_char, organisation_code_check_char,
                                        patent_check_char)
from pipeline.read.sources import record_folder
from tests.bench.corpus_text import JOURNALS, PATENT_TAILS, PROGRAMMES, PROJECT_TAILS, PROJECTS, TextMaker

HEADER = ("# yaml-language-server: $schema=https://zlhcg.example.org/schema/result-2.0.0.json\n"
          "# 基准测试语料：本记录由 tests/bench/corpus.py 生成，单位、人员和数据均为虚构。\n")
CITIES = {"杭州市": ("330100", 30, "0571"), "宁波市": ("330200", 15, "0574"), "温州市": ("330300", 8, "0577"),
          "嘉兴市": ("330400", 7, "0573"), "湖州市": ("330500", 5, "0572"), "绍兴市": ("330600", 7, "0575"),
          "金华市": ("330700", 6, "0579"), "衢州市": ("330800", 3, "0570"), "舟山市": ("330900", 3, "0580"),
          "台州市": ("331000", 6, "0576"), "丽水市": ("331100", 3, "0578")}
NAME_ATTEMPTS = 200  # before a unit name gets a number: far more than any library below 100,000 records needs
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
UNIT_ATTRACTIVENESS, PERSON_ATTRACTIVENESS = 20, 5  # see `reuse`: the largest university is in ~10 % of records
LIFE_ONLY = {"医疗卫生机构"}
BY_HIGHLAND = {"企业", "新型研发机构", "省技术创新中心", "其他"}  # unit pools kept apart per highland


# --- small deterministic helpers ----------------------------------------------------------------------------

def weighted(rng: random.Random, table: dict):
    keys = list(table)
    return rng.choices(keys, [table[k] if not isinstance(table[k], tuple) else table[k][1] for k in keys])[0]


def credit_code(rng: random.Random, prefix: str, region: str, taken: set[str]) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    while True:
        body = ("MA" + "".join(rng.choices(alphabet, k=6))) if prefix == "91" else "".join(rng.choices("0123456789", k=8))
        first17 = prefix + region + body + organisation_code_check_char(body)  # GB 11714 inside GB 32100
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


class YamlDumper(yaml.CSafeDumper):
    """Block scalars for multi-line text; number-like strings quoted (see `_str`)."""

    pass


_NUMBER_LIKE = re.compile(r"[-+]?[0-9.]+([eE][-+]?[0-9]+)?")


def _str(dumper, value: str):
    """Multi-line text as a literal block; number-like codes always quoted (PyYAML writes YAML 1.1, where
    "52330203692765E16" is a string, but the library reads YAML 1.2, where it is a number)."""
    style = "|" if "\n" in value else '"' if _NUMBER_LIKE.fullmatch(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


YamlDumper.add_representer(str, _str)


def record_yaml(data: dict) -> str:
    return HEADER + yaml.dump(data, Dumper=YamlDumper, allow_unicode=True, sort_keys=False, width=100_000)


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


def reuse(rng: random.Random, count: int, uses: list[int], attractiveness: int) -> int:
    """Index of an existing item: in proportion to its uses so far plus `attractiveness` (preferential
    attachment with a head start for newcomers: a Zipf-like tail without one item taking almost every use)."""
    if rng.random() < count * attractiveness / (count * attractiveness + len(uses)):
        return rng.randrange(count)
    return rng.choice(uses)


class Population:
    """Completing units and their people. A slot of a given type founds a new unit of that type with a fixed
    chance, or reuses one (see `reuse`); people within a unit likewise."""

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
            index = reuse(self.rng, len(pool), slots, UNIT_ATTRACTIVENESS)
        slots.append(index)
        return pool[index]

    def _found(self, kind: str, highland: str, outside_ok: bool) -> Unit:
        rng = self.rng
        outside = outside_ok and kind not in ("省实验室", "省技术创新中心") and rng.random() < 0.06
        city = "省外" if outside else weighted(rng, CITIES)
        region = rng.choice(OUTSIDE_REGIONS) if outside else CITIES[city][0][:4] + f"{rng.randint(0, 12):02d}"
        for attempt in itertools.count():
            name = self._name(kind, highland, "" if outside else city.removesuffix("市"))
            if attempt >= NAME_ATTEMPTS:  # the names of a kind run out in libraries of 100,000 records
                name += f"（{next(n for n in itertools.count(2) if f'{name}（{n}）' not in self.names)}）"
            if name not in self.names:
                self.names.add(name)
                break
        return Unit(name, credit_code(rng, UNIT_TYPES[kind][2], region, self.codes), kind, city)

    def _name(self, kind: str, highland: str, place: str) -> str:
        r = self.rng
        brand, industry, domain = r.choice(BRANDS), r.choice(INDUSTRIES[highland]), r.choice(DOMAINS)
        place = place or r.choice(("上海", "北京", "南京", "深圳", "武汉", "成都"))
        return {
            "企业": f"{r.choice((place, ''))}{brand}{industry}"
                  f"{r.choice(('股份有限公司', '有限公司') if industry.endswith('科技') else ('科技有限公司', '股份有限公司', '有限公司'))}",
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
            index = reuse(r, len(unit.people), unit.uses, PERSON_ATTRACTIVENESS)
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
        return record_folder(self.id)

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.id}.yaml"

    @property
    def title(self) -> str:
        return self.data["title"]

    def people(self) -> list[str]:
        return [p["name"] for p in self.data["people"]]


def day(moment: datetime | date) -> str:
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
        entry = {"name": person.name, "units": [unit.name], "role": text.role(i == 0)}
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

    data: dict = {"schema_version": "2.0", "id": record_id, "title": text.title(category)}
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
        data["benefits"] = [{"metric": m, "amount": round(rng.uniform(0.2, 60), 1), "unit": u,
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
        for patent in ip["patents"]:  # only a granted patent has a ZL number; the others give the application's
            if patent["status"] != "已授权":
                patent["number"] = patent["number"].removeprefix("ZL")
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


