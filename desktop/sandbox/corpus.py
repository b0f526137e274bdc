"""Word lists for the generated demo corp: names, departments, tags, channels, chat lines.

Everything here is static data; `generator.py` draws from it with a seeded RNG.
"""

from __future__ import annotations

from dataclasses import dataclass

CORP_SHORT_NAME = "星河云"
MAIL_DOMAIN = "xingheyun.cn"


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """ "王:wang 李:li" → (("王", "wang"), ("李", "li")): characters and their pinyin."""
    return tuple((chars, pinyin) for chars, pinyin in (w.split(":") for w in text.split()))


# (surname, pinyin): frequent Chinese surnames.
SURNAMES = _pairs(
    "王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou 徐:xu 孙:sun "
    "马:ma 朱:zhu 胡:hu 郭:guo 何:he 林:lin 高:gao 罗:luo 郑:zheng 梁:liang 谢:xie 宋:song "
    "唐:tang 韩:han 冯:feng 邓:deng 曹:cao 彭:peng 曾:zeng 萧:xiao 田:tian 董:dong 潘:pan "
    "袁:yuan 蔡:cai 蒋:jiang 余:yu 杜:du 叶:ye 程:cheng 魏:wei 苏:su 吕:lv 丁:ding 任:ren 沈:shen "
    "姚:yao 卢:lu "
)

# (character, pinyin) for given names.
GIVEN_CHARS = _pairs(
    "伟:wei 芳:fang 娜:na 敏:min 静:jing 丽:li 强:qiang 磊:lei 军:jun 洋:yang 勇:yong 艳:yan "
    "杰:jie 娟:juan 涛:tao 明:ming 超:chao 霞:xia 平:ping 刚:gang 英:ying 华:hua 玉:yu 兰:lan "
    "文:wen 辉:hui 鹏:peng 宇:yu 浩:hao 婷:ting 雪:xue 琳:lin 晨:chen 欣:xin 怡:yi 博:bo 子:zi "
    "涵:han 思:si 佳:jia 俊:jun 然:ran 悦:yue 嘉:jia 雨:yu 梓:zi 晓:xiao 建:jian 志:zhi 海:hai "
)

CUSTOMER_NICKNAMES = (
    "阳光",
    "小鱼儿",
    "Lily",
    "Tony",
    "安静的风",
    "木子",
    "Kevin",
    "晴天",
    "老陈",
    "A-建材王总",
    "花开富贵",
    "Grace",
    "一帆风顺",
    "🌸小美",
    "Jason",
    "知足常乐",
    "Amy_杨",
)

CUSTOMER_POSITIONS = ("采购经理", "总经理", "IT负责人", "行政主管", "校长", "财务总监", "运营总监")

COMPANY_REGIONS = ("深圳", "北京", "上海", "广州", "杭州", "成都", "武汉", "南京", "苏州", "天津")
COMPANY_CORES = (
    "星辰",
    "博雅",
    "华信",
    "启明",
    "天择",
    "恒远",
    "智联",
    "嘉禾",
    "远景",
    "新程",
    "卓越",
    "鼎盛",
    "瑞丰",
    "明德",
    "优学",
    "安康",
    "凯越",
    "宏图",
    "锦程",
    "同创",
)
COMPANY_TRADES = (
    ("教育", "教育科技有限公司"),
    ("科技", "信息技术有限公司"),
    ("金融", "金融服务有限公司"),
    ("医疗", "医疗器械有限公司"),
    ("制造", "精密制造有限公司"),
    ("商贸", "商贸有限公司"),
    ("物流", "供应链管理有限公司"),
    ("餐饮", "餐饮管理有限公司"),
)

REGION_WORDS = ("北京", "上海", "深圳", "广州", "杭州", "成都", "华东", "华北", "华南", "西南")
REMARK_TITLES = ("总", "经理", "老师", "姐", "哥", "主任", "校长", "老板")
DESCRIPTIONS = (
    "{region}采购负责人，对价格敏感",
    "{region}展会认识，关注企业版",
    "老客户介绍，{region}连锁门店",
    "决策人，预算下季度批",
    "{region}分公司IT，需要私有化部署",
    "对接培训业务，{region}",
    "回访时说在对比竞品",
    "{region}客户，合同年底到期",
)
PERSONAL_TAGS = ("爱喝茶", "有孩子", "周末联系", "宝妈", "老乡", "喜欢打球", "不要打电话", "决策人")
PERSONAL_TAG_GROUP = "我的标签"


@dataclass(frozen=True)
class DepartmentSpec:
    id: int
    name: str
    name_en: str
    parentid: int
    follow_customers: bool
    member_weight: int


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec(1, "总部", "Headquarters", 0, False, 1),
    DepartmentSpec(2, "市场部", "Marketing", 1, True, 2),
    DepartmentSpec(3, "运营部", "Operations", 1, True, 2),
    DepartmentSpec(4, "销售中心", "Sales Center", 1, True, 1),
    DepartmentSpec(5, "销售一部", "Sales I", 4, True, 5),
    DepartmentSpec(6, "销售二部", "Sales II", 4, True, 5),
    DepartmentSpec(7, "华北分公司", "North China Branch", 1, True, 3),
    DepartmentSpec(8, "华南分公司", "South China Branch", 1, True, 3),
    DepartmentSpec(9, "客服部", "Customer Service", 3, True, 2),
    DepartmentSpec(10, "技术部", "Technology", 1, False, 2),
    DepartmentSpec(11, "北京销售组", "Beijing Sales", 7, True, 3),
    DepartmentSpec(12, "广州销售组", "Guangzhou Sales", 8, True, 3),
)

# The order in which the first members are placed, so a small corp still has sales people,
# both branches and a head office.
DEPARTMENT_FILL_ORDER = (5, 6, 2, 3, 11, 12, 9, 1, 7, 8, 4, 10)

POSITIONS_BY_DEPARTMENT = {
    1: ("总经理", "副总经理", "总经理助理"),
    2: ("市场经理", "市场专员", "品牌专员"),
    3: ("运营经理", "运营专员", "数据分析师"),
    4: ("销售总监", "销售运营"),
    5: ("销售经理", "客户经理", "销售代表"),
    6: ("销售经理", "客户经理", "销售代表"),
    7: ("分公司总经理", "区域经理"),
    8: ("分公司总经理", "区域经理"),
    9: ("客服主管", "客服专员"),
    10: ("技术总监", "开发工程师", "测试工程师"),
    11: ("销售经理", "客户经理"),
    12: ("销售经理", "客户经理"),
}

# Relations per member, by department: sales people carry most customers.
CUSTOMER_LOAD_BY_DEPARTMENT = {2: 1, 3: 1, 4: 2, 5: 5, 6: 5, 7: 3, 8: 3, 9: 2, 11: 4, 12: 4}


@dataclass(frozen=True)
class TagGroupSpec:
    """One corp tag group. Tags are listed most popular first (usage is Zipf-like).

    `presence` is the share of relations carrying a tag of this group, `max_picks` how many
    of its tags one relation may carry; `app_owned` False = made in the admin console.
    """

    name: str
    tags: tuple[str, ...]
    presence: float
    max_picks: int = 1
    app_owned: bool = True


CORP_TAG_GROUPS: tuple[TagGroupSpec, ...] = (
    TagGroupSpec("客户等级", ("普通", "潜在", "重点客户", "VIP", "流失预警"), 0.93),
    TagGroupSpec("意向程度", ("中意向", "高意向", "低意向"), 0.85),
    TagGroupSpec("客户阶段", ("初次接触", "已报价", "已成交", "已发货", "已退款", "无效客户"), 0.8),
    TagGroupSpec(
        "行业类型",
        (
            "教育",
            "教育/K12",
            "互联网",
            "金融",
            "教育/职业培训",
            "金融/银行",
            "制造",
            "零售",
            "教育/K12/小学",
            "医疗",
            "金融/保险",
            "教育/K12/初中",
            "零售/连锁商超",
            "制造/汽车零部件",
            "金融/证券",
            "医疗/民营医院",
            "政府/事业单位",
        ),
        0.72,
        2,
    ),
    TagGroupSpec("复购", ("首次购买", "二次复购", "三次复购客户", "高频复购"), 0.5),
    TagGroupSpec(
        "产品兴趣",
        ("标准版", "专业版", "企业版", "年度维保", "培训服务", "API对接", "私有化部署", "硬件套装"),
        0.82,
        3,
    ),
    TagGroupSpec(
        "MKT-活动",
        ("2025秋季展会", "双11预热", "618大促", "直播专场", "线下沙龙", "新品发布会"),
        0.55,
        2,
    ),
    TagGroupSpec(
        "MKT-渠道",
        ("展会", "抖音", "公众号", "老客户转介绍", "百度推广", "官网咨询", "小红书"),
        0.7,
    ),
    TagGroupSpec(
        "OPS-售后", ("待回访", "已回访", "满意", "投诉处理中", "投诉已解决", "需上门"), 0.35
    ),
    TagGroupSpec("OPS-服务", ("续费提醒", "已开票", "合同到期"), 0.25),
    TagGroupSpec("客户来源", ("自然到店", "电话咨询", "朋友推荐", "地推"), 0.45, 1, False),
    TagGroupSpec(
        "地区",
        ("深圳", "广州", "北京", "上海", "杭州", "华东", "华北", "华南", "成都", "武汉"),
        0.85,
        1,
        False,
    ),
)


@dataclass(frozen=True)
class StrategySpec:
    """A rule group; `departments` is its range, `tag_groups` its own tag tree.

    `console_made`: made by hand in the admin console, so the app may read but not change it
    (its tags are generated on no relation, which keeps the rest of the corp as it was).
    """

    id: int
    parent_id: int
    name: str
    departments: tuple[int, ...]
    tag_groups: tuple[TagGroupSpec, ...]
    console_made: bool = False


STRATEGIES: tuple[StrategySpec, ...] = (
    StrategySpec(
        1,
        0,
        "华北区域",
        (7,),
        (TagGroupSpec("华北-跟进阶段", ("初访", "需求确认", "方案演示", "商务谈判"), 0.6),),
    ),
    StrategySpec(
        2,
        0,
        "华南区域",
        (8,),
        (TagGroupSpec("华南-客户分级", ("B类", "A类", "C类"), 0.6),),
    ),
    StrategySpec(3, 1, "华北大客户组", (11,), ()),
    StrategySpec(
        4,
        0,
        "客服部规则组",
        (9,),
        (TagGroupSpec("客服-工单类型", ("咨询", "报修", "投诉"), 0.0, 1, False),),
        console_made=True,
    ),
)

STRATEGY_PRIVILEGES = {
    "view_customer_list": True,
    "view_customer_data": True,
    "view_room_list": True,
    "contact_me": True,
    "join_room": True,
    "share_customer": False,
    "oper_resign_customer": True,
    "oper_resign_group": True,
    "send_customer_msg": True,
    "edit_welcome_msg": True,
    "view_behavior_data": True,
    "view_room_data": True,
    "send_group_msg": True,
    "room_deduplication": True,
    "rapid_reply": True,
    "onjob_customer_transfer": True,
    "edit_anti_spam_rule": True,
    "export_customer_list": True,
    "export_customer_data": True,
    "export_customer_group_list": True,
    "manage_customer_tag": True,
}


@dataclass(frozen=True)
class ContactWaySpec:
    state: str
    remark: str
    departments: tuple[int, ...]
    single: bool


CONTACT_WAYS: tuple[ContactWaySpec, ...] = (
    ContactWaySpec("expo2025", "展会A", (4,), False),
    ContactWaySpec("douyin_ad", "抖音投放", (5, 6), False),
    ContactWaySpec("wx_article_03", "公众号文章", (2,), False),
    ContactWaySpec("baidu_sem", "百度推广", (11, 12), False),
    ContactWaySpec("store_qr_sh", "上海门店", (9,), True),
    ContactWaySpec("referral_2025", "老客户转介绍", (5,), True),
)

# add_way codes with their shares (see wecom-api.md §5.3).
ADD_WAYS: tuple[tuple[int, float], ...] = (
    (1, 0.36),
    (2, 0.14),
    (3, 0.14),
    (4, 0.08),
    (5, 0.05),
    (6, 0.06),
    (201, 0.1),
    (202, 0.07),
)

CHAT_CUSTOMER_LINES: dict[str, tuple[str, ...]] = {
    "price": (
        "太贵了",
        "这个价格太贵了吧",
        "超出预算了",
        "超出我们的预算了，再便宜点？",
        "不值这个价",
        "感觉不值这个价啊",
        "太桂了",
        "有点贵，能打折吗",
        "预算不够",
    ),
    "not_price": ("价格不贵", "不贵，可以接受", "这个价格还行，不算贵", "也不贵，就是要走流程"),
    "intent": (
        "帮我出个报价单",
        "什么时候能发货？",
        "什麽时候发货",
        "我们打算下个月采购",
        "可以先试用吗",
        "合同发我看看",
        "想了解一下企业版",
        "能安排个演示吗",
        "要开专票",
    ),
    "after_sales": (
        "系统登录不上了",
        "上次的问题还没解决",
        "麻烦安排人上门看看",
        "服务挺好的，谢谢",
    ),
    "chit_chat": ("好的", "收到", "嗯嗯", "晚点回复你", "在开会，稍后聊", "👍", "谢谢"),
}

CHAT_MEMBER_LINES: tuple[str, ...] = (
    "您好，我是{corp}的{name}，很高兴为您服务",
    "好的，我马上给您发报价",
    "这个价格已经是最低折扣了",
    "可以给您申请试用账号",
    "合同我整理好发您邮箱",
    "明天上午给您回电话",
    "本月签约可以送一年维保",
    "收到，我跟技术同事确认一下",
)


# The tag health report's findings, seeded into every generated corp (generator.py).
HYGIENE_GROUP_AGE_DAYS = 400
HYGIENE_STAGE_GROUP = "客户阶段"
HYGIENE_EXCLUSIVE_PAIR = ("已成交", "无效客户")
# (tag, share of relations carrying it, only relations older than N days or None)
HYGIENE_USAGE: tuple[tuple[str, float, int | None], ...] = (
    ("高意向客户", 0.08, None),
    ("官网资询", 0.02, None),
    ("電話諮詢", 0.02, None),
    (" 老带新 ", 0.02, 200),
    ("区域/华东/江苏/苏州/工业园区", 0.01, None),
)


HYGIENE_TAG_GROUPS: tuple[TagGroupSpec, ...] = (
    TagGroupSpec(
        "历史标签",
        ("高意向客户", "官网资询", "電話諮詢", " 老带新 ", "区域/华东/江苏/苏州/工业园区",
         "2023老客户回馈#专场活动邀约名单"),
        0.0,
    ),
    TagGroupSpec("2023春节活动", ("春节礼盒", "春节拜年"), 0.0),
)
