"""A generated library of any size for search tests and benchmarks: deterministic, built in memory.

Every record is the exemplar with its searchable text replaced by Chinese technical prose drawn from a fixed
word list with a Zipf-like frequency (a few words in most records, most words in few), unit and people names
made from fixed parts, and entry dates spread over three years. No disk, no validation: fast at 10,000.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from functools import lru_cache

from pipeline.model.library import load_rules
from pipeline.model.records import Achievement, Application, Breakthrough, Paper, Person, Submitter, Unit, start_of_day
from pipeline.model.publication import Publication
from pipeline.read.sources import Layout, record_file
from tests.factories import BUILT_AT, REPO, new_id, record_data

WORDS = """
芯片 石墨烯 智能电网 碳化硅 氮化镓 功率模块 新能源汽车 锂离子电池 固态电池 氢燃料电池 光伏组件 钙钛矿 储能系统
人工智能 大模型 机器学习 深度学习 计算机视觉 自然语言处理 知识图谱 工业互联网 物联网 边缘计算 云计算 区块链
集成电路 光刻胶 晶圆 封装测试 传感器 激光雷达 毫米波雷达 卫星导航 量子通信 量子计算 光纤通信 5G 6G 射频前端
生物医药 创新药 单克隆抗体 疫苗 基因编辑 细胞治疗 医疗器械 手术机器人 医学影像 体外诊断 中医药 脑机接口
高端装备 数控机床 工业机器人 智能制造 增材制造 精密减速器 伺服电机 液压系统 轴承 航空发动机 海洋装备 船舶
新材料 高分子材料 复合材料 碳纤维 稀土永磁 高温合金 特种钢 纳米材料 功能薄膜 陶瓷材料 生物基材料 涂层
现代农业 种业 水稻育种 茶叶 蚕桑 农业机械 智慧农业 土壤修复 水污染治理 大气污染 碳捕集 垃圾焚烧 节能环保
软件 操作系统 数据库 工业软件 网络安全 密码技术 数据安全 数字孪生 虚拟现实 智慧城市 城市大脑 交通大数据
关键技术 核心部件 产业化 国产化 进口替代 卡脖子 可靠性 稳定性 一致性 良品率 能量密度 转换效率 导热性能
研究 开发 设计 制备 工艺 方法 系统 平台 装置 模型 算法 标准 检测 评价 优化 控制 集成 示范 应用 推广
突破 实现 建立 提出 发明 研制 形成 提升 降低 解决 填补 打破 带动 服务 覆盖 支撑 保障 引领
国际先进水平 国内领先 自主可控 批量生产 规模化应用 产业链 供应链 高质量发展 共同富裕 数字经济 绿色低碳
浙江 杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 长三角 杭州湾 之江 甬江 瓯江
AI SiC GaN IGBT MEMS LED OLED CPU GPU FPGA 1200V 800V 8英寸 12英寸 28nm 100kW
""".split()

CONNECTORS = ["", "", "", "的", "和", "与", "及", "，", "中的", "方面的"]
TITLE_ENDS = ["关键技术及产业化", "研究与应用", "研制及产业化", "关键技术研究", "新方法", "系统研发与应用", "平台建设"]
ENGLISH = "key technology industrialisation of high performance intelligent system material device chip grid".split()
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红文辉建国志新宏晓峰海云波宁斌浩凯俊雪琳晨欣怡子涵宇轩博睿")
UNIT_STEMS = ["之江", "甬江", "西湖", "钱塘", "东海", "天目", "雁荡", "南湖", "瓯越", "兰江", "富春", "嘉禾", "新安", "仙居",
              "海宁", "婺州", "衢江", "桐乡", "象山", "天台", "龙泉", "安吉", "诸暨", "临安"]
UNIT_KINDS = ["半导体科技有限公司", "新材料股份有限公司", "智能装备有限公司", "大学", "研究院", "实验室", "生物医药有限公司",
              "电力科技有限公司", "数字科技有限公司", "农业科学研究院", "医院"]
CATEGORIES = ["技术攻关成果", "基础研究成果", "重大应用成果"]
AREAS = [("新材料", "先进半导体材料"), ("新一代信息技术", "集成电路"), ("生命健康", "创新药物"), ("高端装备", "智能制造"),
         ("新能源", "储能与氢能"), ("现代农业", "种业")]
JOURNALS = ["Nature", "Science", "Cell", "Nature Materials", "Advanced Materials", "中国科学"]

EXEMPLAR_SOURCE = record_file("2025-3kq8m2va")


class Writer:
    """Random text from the word list; Zipf-like weights after a fixed shuffle so frequent words vary."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        order = random.Random(7).sample(WORDS, len(WORDS))
        self.words = order
        self.weights = [1 / (rank + 1) ** 0.9 for rank in range(len(order))]

    def word(self) -> str:
        return self.rng.choices(self.words, self.weights)[0]

    def phrase(self, count: int) -> str:
        return "".join(self.word() + self.rng.choice(CONNECTORS) for _ in range(count)).rstrip("，")

    def sentence(self) -> str:
        return "，".join(self.phrase(self.rng.randint(2, 5)) for _ in range(self.rng.randint(1, 3))) + "。"

    def paragraph(self, sentences: int) -> str:
        return "".join(self.sentence() for _ in range(sentences))

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2, 2, 2))))

    def unit(self) -> str:
        return self.rng.choice(UNIT_STEMS) + self.rng.choice(UNIT_KINDS)

    def description(self) -> str:
        items = "\n".join(f"- {self.paragraph(1)}" for _ in range(self.rng.randint(2, 4)))
        return (f"## 研究背景\n\n{self.paragraph(3)}\n\n## 主要内容\n\n{items}\n\n"
                f"## 应用情况\n\n**{self.phrase(2)}**{self.paragraph(3)}\n")


@lru_cache(maxsize=1)
def exemplar() -> Achievement:
    return Achievement.from_data(record_data(), EXEMPLAR_SOURCE)


def generate_records(count: int, seed: int = 20251120) -> tuple[Achievement, ...]:
    writer, base = Writer(seed), exemplar()
    rng = writer.rng
    first_day = date(2023, 1, 1)
    records = []
    for n in range(count):
        record_id = new_id(n + 1)
        units = tuple(Unit(writer.unit(), "91330200MA28111108", "企业", "杭州市") for _ in range(rng.randint(1, 3)))
        people = tuple(Person(writer.person(), units[0].name, "完成人") for _ in range(rng.randint(2, 6)))
        highland, field = rng.choice(AREAS)
        category = rng.choice(CATEGORIES)
        records.append(dataclasses.replace(
            base, id=record_id, source=record_file(record_id),
            title=writer.phrase(rng.randint(1, 3)) + rng.choice(TITLE_ENDS),
            title_en=" ".join(rng.choices(ENGLISH, k=6)).capitalize(),
            summary=writer.paragraph(3), description=writer.description(),
            innovations=tuple(writer.paragraph(1) for _ in range(rng.randint(2, 4))),
            category=category, highland=highland, field=field,
            submitter=Submitter(rng.choice(UNIT_STEMS) + "市科学技术局", "设区市科技局", "杭州市"),
            units=units, people=people, platform=rng.choice(["", writer.unit()]),
            tags=tuple(dict.fromkeys(writer.word() for _ in range(rng.randint(1, 4)))),
            breakthrough=Breakthrough(writer.sentence(), writer.sentence(), (writer.phrase(2),), (writer.unit(),),
                                      writer.sentence()) if category == "技术攻关成果" else None,
            application=Application(writer.phrase(3), writer.sentence()) if category == "重大应用成果" else None,
            papers=(Paper(writer.phrase(3), rng.choice(JOURNALS), 2024, "10.1038/s41586-024-00001-x"),)
            if category == "基础研究成果" else (),
            entered=start_of_day(first_day + timedelta(days=rng.randrange(1000))),
        ))
    return tuple(records)


@lru_cache(maxsize=1)
def _rules():
    return load_rules(Layout(REPO), BUILT_AT.date())


def publication_with(records: tuple[Achievement, ...]) -> Publication:
    """A publication of these records (all public), in the order `publish` gives: newest entry first."""
    rules = _rules()
    ordered = tuple(sorted(records, key=lambda r: (r.entered, r.id), reverse=True))
    return Publication(BUILT_AT, "https://zlhcg.example.org/", "浙里好成果", rules.vocab, rules.schemas,
                       ordered, (), {})


def generated_publication(count: int, seed: int = 20251120) -> Publication:
    return publication_with(generate_records(count, seed))
