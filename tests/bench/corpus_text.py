"""Chinese text for the benchmark corpus: word lists per strategic field and the sentences made from them.

Each record draws one topic (a field's terms, products, scenes and metrics) and every text of the record is
composed from it and from shared phrase lists, so a record repeats its own key terms the way real write-ups
do, and search sees many field-specific bigrams with a heavy-tailed frequency instead of a handful of words.
All names, numbers and organisations produced here are fictional.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldWords:
    terms: tuple[str, ...]
    products: tuple[str, ...]
    scenes: tuple[str, ...]
    metrics: tuple[str, ...]  # "+name": higher is better, "-name": lower is better
    basics: tuple[str, ...]  # scientific questions, for basic research
    english: tuple[str, ...]


def _field(terms: str, products: str, scenes: str, metrics: str, basics: str, english: str) -> FieldWords:
    return FieldWords(*(tuple(s.split()) for s in (terms, products, scenes, metrics, basics)),
                      tuple(e.strip() for e in english.split(";")))


FIELDS: dict[str, FieldWords] = {
    "云计算与未来网络": _field(
        "云原生 容器编排 分布式存储 算力调度 算力网络 边缘计算 软件定义网络 确定性网络 光传送网 全光交换 数据中心网络 "
        "无损以太网 卫星互联网 低轨星座 毫米波通信 太赫兹通信 智能网卡 网络切片 服务网格 异构计算 存算一体 虚拟化 高性能计算",
        "分布式云操作系统 算力调度平台 智能网卡 全光交换机 边缘计算网关 云原生数据库 高性能计算集群 广域网加速设备 卫星通信终端 超融合一体机",
        "东数西算工程 金融核心系统 政务云 智慧城市 工业互联网 电商大促 视频直播 运营商骨干网",
        "+资源利用率 -端到端时延 +系统吞吐量 +服务可用性 +能效比 +带宽利用率",
        "网络拥塞控制 分布式一致性 信道容量极限 大规模网络测量",
        "cloud-native computing; computing power scheduling; all-optical switching; edge computing"),
    "人工智能": _field(
        "大模型 多模态大模型 深度学习 强化学习 知识图谱 计算机视觉 自然语言处理 语音识别 图神经网络 联邦学习 小样本学习 "
        "具身智能 智能体 视觉语言模型 目标检测 语义分割 三维重建 模型压缩 推理加速 生成式人工智能 机器翻译 类脑计算",
        "行业大模型 智能客服系统 视觉检测平台 语音交互芯片 自动驾驶感知系统 智能决策平台 训练推理框架 多模态检索引擎 智能质检装备 数字人平台",
        "智慧医疗 智能制造 金融风控 自动驾驶 城市治理 电商服务 智慧教育 智慧司法",
        "+识别准确率 +推理速度 -训练成本 +召回率 -算力消耗 -误检率",
        "深度网络泛化 表示学习 模型可解释性 因果推断",
        "large language models; multimodal perception; reinforcement learning; embodied intelligence"),
    "大数据与区块链": _field(
        "区块链 联盟链 隐私计算 多方安全计算 数据要素 数据确权 分布式账本 智能合约 零知识证明 数据湖 实时数仓 流式计算 "
        "时空大数据 图数据库 数据治理 可信执行环境 数字身份 跨链互操作 数据脱敏 公共数据开放",
        "联盟链平台 隐私计算一体机 实时数据仓库 数据交易平台 政务数据中台 供应链金融平台 时空数据引擎 图计算引擎 数据安全网关 电子证照系统",
        "跨境贸易 供应链金融 政务服务 司法存证 医保结算 碳排放核算 城市大脑 普惠金融",
        "+交易吞吐量 -查询时延 +数据处理规模 -交易确认时间 -存储成本 +合规率",
        "共识算法 密码学证明 数据流算法 分布式事务",
        "permissioned blockchains; privacy-preserving computation; real-time data warehouses; graph computing"),
    "集成电路": _field(
        "集成电路 芯片设计 EDA工具 先进封装 晶圆制造 光刻 刻蚀 薄膜沉积 化学机械抛光 射频前端 模拟芯片 存储芯片 "
        "RISC-V处理器 FPGA 功率器件 MEMS传感器 硅光芯片 Chiplet 三维集成 低功耗设计 可测性设计 工艺设计套件",
        "RISC-V处理器芯片 射频前端模组 电源管理芯片 MEMS麦克风 图像传感器芯片 FPGA芯片 先进封装产线 EDA软件 存储控制芯片 车规级MCU",
        "智能手机 新能源汽车 工业控制 数据中心 物联网终端 通信基站 消费电子 卫星通信",
        "-芯片功耗 +工作主频 +晶圆良率 +集成度 -噪声系数 +封装密度",
        "器件物理 量子输运 新型存储机理 低维电子学",
        "RISC-V processors; RF front-end modules; advanced packaging; silicon photonics"),
    "智能制造与机器人": _field(
        "工业机器人 协作机器人 数控机床 精密减速器 伺服电机 机器视觉 数字孪生 柔性制造 智能工厂 增材制造 激光加工 工业软件 "
        "运动控制 力控技术 智能物流 预测性维护 人形机器人 灵巧手 高速主轴 精密轴承 液压系统 工业互联网平台",
        "六轴工业机器人 协作机器人 五轴联动数控机床 RV减速器 谐波减速器 伺服驱动系统 激光焊接装备 智能仓储系统 金属3D打印装备 人形机器人样机",
        "汽车制造 电子装配 纺织服装 五金加工 光伏组件生产 锂电池生产 航空航天制造 仓储物流",
        "+重复定位精度 +加工效率 +传动精度 -生产节拍 -故障率 -单位能耗",
        "机构学 多体动力学 人机协作 柔顺控制",
        "industrial robots; precision reducers; five-axis machining; digital twins"),
    "网络信息安全": _field(
        "网络安全 密码技术 后量子密码 零信任架构 态势感知 威胁情报 漏洞挖掘 入侵检测 数据安全 工控安全 安全芯片 可信计算 "
        "身份认证 恶意代码检测 攻击溯源 安全多方计算 商用密码 内生安全 软件供应链安全 拟态防御",
        "网络安全态势感知平台 高速密码机 安全网关 工控防火墙 零信任访问系统 漏洞扫描系统 安全芯片 数据防泄漏系统 统一身份认证平台 威胁检测引擎",
        "关键信息基础设施 电力调度 金融交易 政务网络 工业控制系统 智能网联汽车 医疗信息系统 运营商网络",
        "+威胁检测率 -误报率 +加解密速率 -响应时间 +漏洞发现数 +防护覆盖率",
        "格密码 可证明安全 形式化验证 侧信道分析",
        "post-quantum cryptography; zero-trust architecture; threat detection; industrial control security"),
    "生物技术与创新药物": _field(
        "创新药 单克隆抗体 双特异性抗体 抗体偶联药物 小分子靶向药 细胞治疗 CAR-T 基因治疗 mRNA疫苗 多肽药物 合成生物学 "
        "酶催化 连续流合成 原料药 中药现代化 药物递送 靶点发现 临床前研究 生物反应器 蛋白质工程 核酸药物 重组蛋白",
        "一类创新药 生物类似药 重组疫苗 原料药生产线 细胞治疗产品 多肽原料药 中药配方颗粒 工业酶制剂 诊断试剂 抗体药物",
        "肿瘤治疗 糖尿病治疗 心血管疾病 自身免疫病 罕见病 传染病防控 抗感染治疗 神经退行性疾病",
        "+客观缓解率 +总收率 +产品纯度 -生产成本 +生物利用度 -不良反应率",
        "肿瘤免疫 蛋白质结构 信号通路 表观遗传调控",
        "antibody-drug conjugates; cell therapy; continuous-flow synthesis; synthetic biology"),
    "高端医疗器械": _field(
        "医学影像 PET/CT 磁共振成像 超声诊断 手术机器人 介入器械 植入器械 体外诊断 电子内窥镜 呼吸机 人工心脏 血管支架 "
        "康复机器人 可穿戴监护 生物材料 眼科设备 齿科种植体 放射治疗 分子诊断 医用传感器",
        "全数字PET/CT 腹腔镜手术机器人 高端彩超 超导磁共振设备 人工晶状体 冠脉支架 化学发光分析仪 电子内窥镜 体外膜肺氧合系统 骨科植入物",
        "三甲医院 县级医院 基层医疗 急诊急救 肿瘤诊疗 心血管介入 眼科手术 家庭健康",
        "+图像分辨率 +检测灵敏度 -检测时间 +国产化率 +手术精度 -整机价格",
        "生物力学 医学成像原理 组织工程 生物相容性",
        "digital PET/CT; surgical robots; interventional devices; in vitro diagnostics"),
    "精准医学与数字健康": _field(
        "精准医学 单细胞测序 多组学 液体活检 肿瘤早筛 基因检测 生物样本库 队列研究 医学人工智能 辅助诊断 互联网医院 远程医疗 "
        "健康大数据 数字疗法 慢病管理 影像组学 病理诊断 药物基因组学 临床决策支持 电子病历",
        "肿瘤早筛试剂盒 辅助诊断软件 健康管理平台 基因测序仪 数字病理系统 远程会诊平台 慢病管理系统 数字疗法产品 生物样本库 影像组学平台",
        "胃癌筛查 肝癌早诊 心脑血管疾病 糖尿病管理 出生缺陷防控 县域医共体 老年健康 公共卫生",
        "+诊断准确率 +检测敏感性 +检测特异性 +早诊率 +随访覆盖率 -诊断时间",
        "肿瘤演化 疾病分子分型 遗传易感性 肠道微生物组",
        "single-cell multi-omics; liquid biopsy; early cancer screening; clinical decision support"),
    "现代农业与食品": _field(
        "种业 水稻育种 分子育种 基因编辑育种 种质资源 茶叶加工 蚕桑 食用菌 畜禽养殖 水产养殖 智慧农业 农业机器人 植物保护 "
        "土壤改良 食品安全检测 功能食品 冷链物流 农产品加工 设施农业 生物农药",
        "水稻新品种 茶叶加工生产线 食用菌菌种 植保无人机 水产饲料 快速检测试剂盒 植保机械 功能性食品 智能温室 生物农药",
        "粮食生产 茶产业 山区农业 海洋渔业 乡村振兴 农产品出口 家庭农场 菜篮子工程",
        "+亩产 +结实率 +优质品率 -农药用量 -加工损耗 +农民收入",
        "作物耐逆 光合作用 植物免疫 品质形成",
        "rice breeding; tea processing; plant immunity; food safety testing"),
    "先进高分子材料": _field(
        "聚碳酸酯 聚酰亚胺 工程塑料 特种纤维 芳纶 超高分子量聚乙烯 生物基材料 可降解塑料 聚乳酸 氟材料 有机硅 光学薄膜 "
        "高性能树脂 特种橡胶 分离膜 电子化学品 光刻胶 功能涂料 胶黏剂 高分子合成",
        "光学级聚碳酸酯 聚酰亚胺薄膜 芳纶纤维 可降解包装材料 水处理膜 光学薄膜 特种橡胶 电子级树脂 生物基尼龙 高性能涂料",
        "新能源汽车 柔性显示 航空航天 电子封装 水处理 绿色包装 纺织服装 医用材料",
        "+拉伸强度 +耐温等级 +透光率 +降解率 +批次稳定性 -生产能耗",
        "高分子结晶 链结构调控 分子自组装 界面相互作用",
        "polyimide films; bio-based polymers; optical polycarbonate; separation membranes"),
    "高端磁性材料": _field(
        "稀土永磁 钕铁硼 钐钴磁体 软磁材料 非晶合金 纳米晶 铁氧体 晶界扩散 重稀土减量 磁性器件 电机磁钢 磁屏蔽 磁致伸缩 "
        "高频软磁 磁粉芯 稀土回收 热压磁体 辐射环 粘结磁体 磁性测量",
        "高性能钕铁硼磁体 非晶带材 纳米晶磁芯 铁氧体磁芯 电机转子组件 金属磁粉芯 钐钴磁体 磁性传感器 高速电机磁钢 无线充电磁片",
        "新能源汽车驱动电机 风力发电 工业电机 消费电子 轨道交通 变频空调 光伏逆变器 机器人关节",
        "+矫顽力 +最大磁能积 -铁损 +饱和磁感应强度 +温度稳定性 -重稀土用量",
        "磁畴演化 交换耦合 自旋输运 磁各向异性",
        "rare-earth permanent magnets; grain boundary diffusion; amorphous alloys; soft magnetic composites"),
    "先进半导体材料": _field(
        "碳化硅 氮化镓 氧化镓 金刚石 单晶生长 外延生长 衬底 二维材料 大尺寸硅片 电子特气 溅射靶材 量子点 钙钛矿 宽禁带半导体 "
        "缺陷控制 晶圆键合 湿电子化学品 抛光液 功率模块 银烧结",
        "碳化硅衬底 碳化硅外延片 氮化镓功率器件 大尺寸硅片 溅射靶材 电子特气 碳化硅功率模块 氮化镓射频器件 量子点膜 高纯石英材料",
        "新能源汽车主驱 光伏逆变器 移动通信基站 快充电源 轨道交通 智能电网 数据中心电源 显示面板",
        "-位错密度 -导通损耗 +击穿电压 +晶圆良率 +材料纯度 +热导率",
        "缺陷物理 外延生长动力学 能带工程 界面态",
        "silicon carbide epitaxy; gallium nitride devices; two-dimensional semiconductors; wide-bandgap power modules"),
    "新能源材料": _field(
        "锂离子电池 固态电池 钠离子电池 正极材料 负极材料 电解液 隔膜 三元前驱体 磷酸铁锂 硅碳负极 氢燃料电池 质子交换膜 "
        "电解水制氢 光伏电池 钙钛矿电池 储能系统 液流电池 电催化剂 电池回收 电池热管理",
        "高镍三元正极材料 磷酸铁锂材料 固态电解质 钠离子电池 燃料电池电堆 质子交换膜 光伏组件 储能电池系统 碱性电解槽 硅碳负极材料",
        "新能源汽车 电化学储能电站 氢能交通 分布式光伏 两轮电动车 通信基站备电 海上风电 工商业储能",
        "+能量密度 +循环寿命 +转换效率 +充电倍率 +安全性 -度电成本",
        "电化学界面 离子输运 催化机理 锂枝晶生长",
        "solid-state batteries; high-nickel cathodes; proton exchange membranes; perovskite solar cells"),
    "先进金属与复合材料": _field(
        "钛合金 高温合金 铝合金 镁合金 高熵合金 特种钢 碳纤维复合材料 陶瓷基复合材料 金属基复合材料 粉末冶金 精密铸造 "
        "金属增材制造 热处理 轻量化 焊接工艺 表面工程 热障涂层 铜合金 难熔金属 自动铺丝",
        "超厚钛合金板材 高温合金叶片 碳纤维复合材料构件 铝合金车身部件 特种不锈钢管 自动铺丝装备 精密铸件 热障涂层 铜合金带材 粉末冶金齿轮",
        "大型客机 航空发动机 深海装备 高速列车 新能源汽车轻量化 核电装备 海洋工程 液氢储运",
        "+屈服强度 +疲劳寿命 +耐温能力 +成材率 +减重比例 +耐腐蚀性",
        "变形机制 相变动力学 晶界工程 强韧化机理",
        "titanium alloy plates; superalloy blades; carbon-fibre composites; high-entropy alloys"),
}

ADJECTIVES = ("高性能 高可靠 低功耗 大尺寸 超高纯 高精度 智能化 新型 绿色低碳 低成本 长寿命 高效 柔性 超薄 宽温域 高通量 "
              "全自主 大规模 轻量化 高安全 高一致性 多场景 全流程 自主可控 高端 车规级 工业级 超大规模 高密度").split()
TECH_ENDS = ("关键技术及产业化 关键技术研究与产业化 研制及产业化 研发与产业化应用 关键技术突破与应用 国产化研制与应用 "
             "成套技术及装备 核心技术攻关及产业化 制备技术及规模化应用 自主研发与产业化").split()
BASIC_ENDS = "的形成机制 调控新机制 新原理与新方法 的发现与作用机制 基础理论与关键方法 的结构与功能解析 演化规律研究 新效应的发现".split()
APP_ENDS = "研制及工程应用 关键技术与工程应用 系统研制与重大工程应用 研制及在重大工程中的应用".split()
PROJECTS = ("某型大型客机 国家某大型数据中心集群 某型深海载人潜水器 某型运载火箭 国家某重大科技基础设施 某特高压直流输电工程 "
            "某大型跨流域调水工程 某型高速磁浮列车 中国空间站某舱段 某型核电机组 国家某卫星导航系统 某大型海上风电场 "
            "某国家级算力枢纽 某型极地科考船 某跨海大桥工程 某国家医学中心 某国际综合性运动会场馆 某国家储备粮库 "
            "某型远洋渔业船 某大科学装置").split()
VERBS = "建立 开发 提出 发明 构建 研制 设计 优化 突破 攻克 创建 形成".split()
OBJECTS = "工艺 方法 模型 平台 体系 结构 装置 算法 评价方法 测试系统 控制策略 工艺路线".split()
GOALS = "稳定量产 批量应用 高一致性制备 全流程自主可控 规模化生产 低成本制造 长期可靠运行 精准调控".split()
PROBLEMS = "可靠性不足 一致性差 成本过高 寿命短 效率偏低 依赖进口 良率低 稳定性差".split()
BASELINES = "进口同类产品 国外同规格产品 传统工艺 现有技术 行业平均水平 上一代产品".split()
CERTS = "第三方检测 行业权威认证 型式试验 用户现场验证 国家级质检中心检测 可靠性考核".split()
USER_KINDS = "龙头企业 整车企业 医院 电网企业 通信运营商 制造企业 科研院所 农业合作社 地方政府部门 金融机构".split()
JOURNALS = ("Nature|Science|Cell|Nature Materials|Nature Energy|Nature Electronics|Nature Communications|"
            "Advanced Materials|Journal of the American Chemical Society|The Lancet|Nature Medicine|Nature Biotechnology|"
            "Cancer Cell|Nature Genetics|Nature Plants|Physical Review Letters|Science Advances|中国科学").split("|")
EN_OPENINGS = ("Key technologies and industrialisation of|Mechanism and application of|Development and application of|"
               "Design and engineering of|Large-scale manufacturing of|Fundamental principles of").split("|")
EN_PAPER = ("{a} enables {b}|Mechanism of {a} revealed by in situ characterisation|Unravelling {a} for {b}|"
            "Scalable {a} with record performance|A general strategy for {a}").split("|")
PROGRAMMES = ("国家重点研发计划|国家自然科学基金重点项目|浙江省“尖兵”“领雁”研发攻关计划|浙江省重点研发计划|"
              "国家科技重大专项|浙江省自然科学基金重大项目|浙江省重大科技专项").split("|")
PROJECT_TAILS = "关键技术研究 研发及产业化 基础研究 示范应用 重大专项 技术攻关".split()
PATENT_TAILS = "的制备方法 及其制备方法 的控制方法 检测装置及方法 系统及方法 结构及其应用".split()
WITHDRAWAL_REASONS = (
    "完成单位申请撤回：成果知识产权权属存在争议，待核实后重新报送。",
    "经核查，成果材料中部分性能数据引用有误，报送单位申请撤回。",
    "完成人署名存在争议，经协调办核实后撤回。",
    "成果涉及的产品已停止生产，报送单位申请撤回。",
)
EVALUATORS = ("浙江省科技评估和成果转化中心 {field}同行专家组 省级行业协会专家组 第三方检测评价机构 "
              "中国科学技术信息研究所 {city}科技评估中心").split()
CONCLUSIONS = (
    "成果总体达到{level}水平，{metric}指标优于国内外同类产品。",
    "该成果在{term}方面取得原创性突破，具有重要的科学价值和应用前景。",
    "产品性能稳定可靠，用户反馈良好，国内市场份额持续提升。",
    "成果已实现规模化应用，经济社会效益显著，建议持续跟踪支持。",
)


class TextMaker:
    """Sentences for one record, from its topic: `pick` draws from the record's own few terms most of the time."""

    def __init__(self, rng: random.Random, field: str):
        self.rng = rng
        self.words = FIELDS[field]
        self.field = field
        pick = rng.sample
        self.terms = pick(self.words.terms, 4)
        self.product = rng.choice(self.words.products)
        self.scene = rng.choice(self.words.scenes)
        self.metric = rng.choice(self.words.metrics)
        self.adjective = rng.choice(ADJECTIVES)

    def term(self) -> str:
        """One of the record's own terms, now and then any term of the field."""
        source = self.terms if self.rng.random() < 0.8 else self.words.terms
        return self.rng.choice(source)

    def metric_change(self, metric: str | None = None) -> str:
        metric = metric or self.rng.choice(self.words.metrics)
        direction = "提高" if metric[0] == "+" else "降低"
        return f"{metric[1:]}{direction} {self.rng.randint(8, 65)}%"

    def title(self, category: str) -> str:
        t1, t2 = self.terms[0], self.terms[1]
        if category == "基础研究成果":
            return f"{t1}{self.rng.choice(BASIC_ENDS)}"
        if category == "重大应用成果":
            return f"{self.adjective}{self.product}{self.rng.choice(APP_ENDS)}"
        return f"{self.adjective}{t1}{t2 if len(t1 + t2) < 14 and self.rng.random() < 0.5 else ''}{self.rng.choice(TECH_ENDS)}"

    def title_en(self) -> str:
        return f"{self.rng.choice(EN_OPENINGS)} {self.rng.choice(self.words.english)}"

    def summary(self, category: str, journal: str, project: str) -> str:
        r, t = self.rng, self.terms
        if category == "基础研究成果":
            basic = r.choice(self.words.basics)
            return (f"围绕{basic}这一关键科学问题，综合运用{t[0]}、{t[1]}等研究手段，首次揭示{t[2]}的{basic}新机制，"
                    f"建立{t[3]}{r.choice(OBJECTS)}，{self.metric_change()}，相关成果发表于 {journal}，"
                    f"为{self.scene}领域的技术创新提供了新的理论基础。")
        if category == "重大应用成果":
            return (f"面向{project}对{self.adjective}{self.product}的重大需求，攻克{t[0]}、{t[1]}等技术难题，"
                    f"研制出{self.product}，{self.metric_change(self.metric)}，已成功应用于{project}，"
                    f"保障了工程的安全可靠运行，{r.choice(('填补了国内空白', '实现了关键装备自主可控', '达到国际先进水平'))}。")
        return (f"面向{self.scene}对{self.product}的迫切需求，突破{t[0]}、{t[1]}和{t[2]}等关键技术，"
                f"研制出{self.adjective}{self.product}，{self.metric_change(self.metric)}（较{r.choice(BASELINES)}），"
                f"已在 {r.randint(2, 40)} 家{r.choice(USER_KINDS)}批量应用，"
                f"{r.choice(('打破了国外厂商的长期垄断', '实现了进口替代', '填补了国内空白', '有力保障了产业链供应链安全'))}。")

    def _background(self) -> str:
        r, t = self.rng, self.terms
        options = [
            f"{t[0]}是{self.scene}领域的核心环节，长期依赖进口，供货周期长、价格高。",
            f"随着{self.scene}快速发展，市场对{self.adjective}{self.product}的需求持续增长，"
            f"但国内产品在{self.metric[1:]}方面与国际先进水平仍有明显差距。",
            f"{t[1]}技术门槛高、工艺窗口窄，国内企业长期难以实现{r.choice(GOALS)}。",
            f"{self.term()}和{self.term()}的协同优化是业内公认的难题，涉及材料、工艺、装备和评价等多个环节。",
        ]
        return "".join(r.sample(options, r.randint(2, 3)))

    def _item(self) -> str:
        r = self.rng
        return (f"- **{self.term()}{r.choice(OBJECTS)}**：{r.choice(VERBS)}{self.term()}{r.choice(OBJECTS)}，"
                f"{self.metric_change()}；")

    def _application(self) -> str:
        r = self.rng
        verb, unit = r.choice((("出货", "万件"), ("装机", "台套"), ("服务", "万人次"), ("推广", "家单位")))
        return (f"{self.product}已通过{r.choice(CERTS)}，在 {r.randint(2, 30)} 家{r.choice(USER_KINDS)}实现应用，"
                f"累计{verb} {r.randint(2, 900)} {unit}。"
                f"下一步将围绕{self.term()}持续迭代，拓展{r.choice(self.words.scenes)}等新场景。")

    def description(self, category: str, image: tuple[str, str] | None, link: str | None) -> str:
        r = self.rng
        heads = (("科学问题", "主要发现", "学术影响") if category == "基础研究成果"
                 else ("研究背景", "主要内容", "应用情况"))
        items = "\n".join(self._item() for _ in range(r.randint(3, 5)))
        parts = [f"## {heads[0]}\n\n{self._background()}\n", f"## {heads[1]}\n\n{items}\n",
                 f"## {heads[2]}\n\n{self._application()}\n"]
        if image:
            parts.append(f"![{image[1]}]({image[0]})\n")
        if link:
            parts.append(f"详细介绍见[网上技术市场展示页]({link})。\n")
        return "\n".join(parts)

    def innovations(self) -> list[str]:
        r = self.rng
        forms = [
            lambda: f"提出{self.term()}{r.choice(OBJECTS)}，实现{self.adjective}{self.term()}的{r.choice(GOALS)}。",
            lambda: f"发明{self.product}新结构，解决{self.scene}中{r.choice(PROBLEMS)}的问题。",
            lambda: f"建立{self.term()}全链条评价方法，形成{r.choice(('企业标准', '团体标准', '行业标准'))} {r.randint(1, 5)} 项。",
            lambda: f"{r.choice(VERBS)}{self.term()}与{self.term()}协同{r.choice(OBJECTS)}，{self.metric_change()}。",
        ]
        return [form() for form in r.sample(forms, r.randint(2, len(forms)))]

    def bottleneck(self) -> str:
        t = self.terms
        return f"{t[0]}是{self.scene}产业链上长期受制于人的关键环节，{t[1]}和{t[2]}技术此前主要掌握在国外少数企业手中。"

    def replaces(self) -> str:
        return f"替代{self.rng.choice(('欧美', '日本', '国外', '欧洲'))}龙头企业的同类{self.product}，实现进口替代。"

    def model_name(self) -> str:
        r = self.rng
        code = "".join(r.choices("ABCDEFGHJKLMNPRSTXYZ", k=2))
        return f"{code}-{r.randint(100, 9900)}{r.choice('ABCDEX')} {self.product}"

    def output(self, year: int) -> str:
        r = self.rng
        return (f"{year} 年实现销售收入 {r.randint(2, 900) / 10:.1f} 亿元，"
                f"国内{self.product}市场占有率约 {r.randint(2, 45)}%。")

    def usage(self, project: str) -> str:
        r = self.rng
        return (f"成果{self.product}用于{project}的{r.choice(('核心系统', '主承力结构', '关键部件', '控制系统', '监测系统'))}，"
                f"承担{self.term()}等关键功能，{self.metric_change(self.metric)}，已随工程稳定运行 {r.randint(1, 6)} 年。")

    def paper_title(self) -> str:
        a, b = self.rng.sample(self.words.english, 2)
        return self.rng.choice(EN_PAPER).format(a=a, b=b)

    def role(self, first: bool) -> str:
        r = self.rng
        if first:
            return f"项目负责人，提出总体技术路线并主持{self.product}研制"
        return f"{r.choice(('负责', '参与', '主持', '完成'))}{self.term()}{r.choice(('研究', '工艺开发', '测试验证', '工程化', '算法设计', '应用推广'))}"

    def progress(self) -> str:
        r = self.rng
        return (f"{r.choice(('新一代', '第二代', '升级版'))}{self.product}完成{r.choice(CERTS)}，"
                f"{self.metric_change()}，新增 {r.randint(2, 20)} 家用户。")

    def conclusion(self, level: str, city: str) -> str:
        return self.rng.choice(CONCLUSIONS).format(level=level, metric=self.metric[1:], term=self.term(), city=city)

    def evaluator(self, city: str) -> str:
        return self.rng.choice(EVALUATORS).format(field=self.field, city=city.removesuffix("市"))

    def tags(self) -> list[str]:
        found = dict.fromkeys([*self.terms[: self.rng.randint(1, 4)], self.product])
        return [t for t in found if len(t) <= 20]

    def monthly_note(self, title: str) -> str:
        r = self.rng
        return (f"“{title}”{r.choice(('近期取得新进展', '持续拓展应用', '产业化步伐加快'))}：{self.progress()}"
                f"{r.choice(('这一成果值得持续关注。', '体现了我省在该领域的创新实力。', '示范带动作用明显。'))}")

    def citation(self, title: str) -> str:
        t = self.terms
        return (f"“{title}”突破{t[0]}、{t[1]}等关键技术，{self.metric_change(self.metric)}，"
                f"在{self.scene}中发挥了重要作用，是我省{self.field}领域的标志性成果。")
