"""Word pools for the demo company: company and person names, products, texts.

Pure data, no logic: kam/demo_*.py draw from these pools with a seeded generator, so the demo stays deterministic.
The seller is an industrial automation supplier selling to Chinese and international manufacturers.
"""
from __future__ import annotations

# (name, manager, team, region, email): 8 salespeople in 5 regions, two managers.
OWNERS: tuple[tuple[str, str, str, str, str], ...] = (
    ("张伟", "李强", "华东大客户部", "华东", "zhang.wei@example.com"),
    ("王静", "李强", "华东大客户部", "华东", "wang.jing@example.com"),
    ("刘洋", "李强", "华北销售部", "华北", "liu.yang@example.com"),
    ("陈磊", "李强", "华北销售部", "华北", "chen.lei@example.com"),
    ("黄敏", "赵丽", "华南销售部", "华南", "huang.min@example.com"),
    ("周杰", "赵丽", "西南销售部", "西南", "zhou.jie@example.com"),
    ("Amy Chen", "赵丽", "International", "Overseas", "amy.chen@example.com"),
    ("David Miller", "赵丽", "International", "Overseas", "david.miller@example.com"),
)

INDUSTRIES: tuple[str, ...] = ("机械制造", "汽车零部件", "电子电器", "化工材料", "医药健康", "物流运输", "食品消费",
                               "新能源", "建筑建材")

# Per industry: the word a Chinese name uses, and the word an English name uses.
INDUSTRY_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "机械制造": (("精密机械", "重工", "机床", "装备制造"), ("Precision", "Machinery", "Engineering")),
    "汽车零部件": (("汽车部件", "汽配", "传动系统"), ("Automotive", "Motors", "Drivetrain")),
    "电子电器": (("电子科技", "光电", "电器", "半导体"), ("Electronics", "Semiconductor", "Devices")),
    "化工材料": (("化工", "新材料", "高分子"), ("Chemicals", "Materials", "Polymers")),
    "医药健康": (("医药", "生物科技", "医疗器械"), ("Pharma", "Biotech", "Medical")),
    "物流运输": (("物流", "供应链", "运输"), ("Logistics", "Freight", "Supply Chain")),
    "食品消费": (("食品", "饮料", "日化"), ("Foods", "Beverages", "Consumer Goods")),
    "新能源": (("新能源", "光伏", "储能科技"), ("Energy", "Solar", "Power Systems")),
    "建筑建材": (("建材", "建设工程", "钢构"), ("Construction", "Building Materials", "Steel")),
}

CITIES: dict[str, tuple[str, ...]] = {
    "华东": ("上海", "苏州", "杭州", "宁波", "南京", "无锡", "常州", "合肥"),
    "华北": ("北京", "天津", "青岛", "济南", "石家庄", "唐山"),
    "华南": ("深圳", "广州", "东莞", "佛山", "厦门", "珠海"),
    "西南": ("成都", "重庆", "昆明", "贵阳", "绵阳"),
    "Overseas": ("", ),
}

BRANDS_ZH: tuple[str, ...] = ("恒通", "华瑞", "鑫达", "博远", "中科", "金桥", "瑞丰", "宏图", "联创", "天成", "安捷",
                              "卓越", "远航", "永泰", "新锐", "海容", "立信", "德润", "盛邦", "智达", "长隆", "嘉禾",
                              "凯瑞", "鼎盛", "同舟", "汇丰源", "百川", "光启")
SUFFIXES_ZH: tuple[str, ...] = ("有限公司", "股份有限公司", "集团有限公司")

BRANDS_EN: tuple[str, ...] = ("Northwind", "Contoso", "Fabrikam", "Summit", "Bluewater", "Redwood", "Ironbridge",
                              "Silverline", "Harbor", "Pioneer", "Atlas", "Apex", "Meridian", "Evergreen", "Granite",
                              "Crescent", "Orion", "Falcon", "Sterling", "Vanguard", "Keystone", "Lakeside",
                              "Westfield", "Brightstone")
SUFFIXES_EN: tuple[str, ...] = ("Ltd", "Inc.", "GmbH", "Pte Ltd", "LLC", "S.A.", "Co., Ltd.")

SURNAMES_ZH: tuple[str, ...] = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
                                "林", "何", "郭", "马", "罗")
GIVEN_ZH: tuple[str, ...] = ("芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
                             "秀英", "建国", "志强", "海燕", "晓东", "文博", "思远", "雨萱", "子涵")
FIRST_EN: tuple[str, ...] = ("John", "Sarah", "Michael", "Emma", "James", "Olivia", "Robert", "Sophie", "Daniel",
                             "Laura", "Thomas", "Anna", "Peter", "Maria", "Lukas", "Chloe")
LAST_EN: tuple[str, ...] = ("Smith", "Johnson", "Brown", "Taylor", "Wilson", "Müller", "Schmidt", "Martin", "Garcia",
                            "Rossi", "Tan", "Lee", "Walker", "Wright", "Novak", "Dubois")
ROLES_ZH: tuple[str, ...] = ("采购总监", "总经理", "技术总监", "设备部经理", "采购经理", "财务经理", "生产经理")
ROLES_EN: tuple[str, ...] = ("Procurement Director", "General Manager", "CTO", "Plant Manager", "Buyer",
                             "Finance Manager", "Operations Manager")

# (product, list unit price, gross margin share): what the seller sells.
PRODUCTS: tuple[tuple[str, float, float], ...] = (
    ("伺服电机 SM-200", 3_200.0, 0.32), ("变频器 VF-3", 5_800.0, 0.28), ("PLC 控制器 C500", 12_500.0, 0.35),
    ("工业传感器 S10", 680.0, 0.45), ("减速机 R80", 4_300.0, 0.25), ("气缸组件 PN-40", 420.0, 0.38),
    ("工业网关 G2", 2_600.0, 0.41), ("视觉检测模块 V7", 28_000.0, 0.36), ("人机界面 HMI-10", 3_900.0, 0.30),
    ("备件包 SP-1", 1_150.0, 0.52), ("MES 软件许可", 86_000.0, 0.70), ("年度维保服务", 45_000.0, 0.60),
    ("安装调试服务", 15_000.0, 0.48), ("机器人工作站 RW-6", 185_000.0, 0.22),
)

LOSS_REASONS: tuple[str, ...] = ("价格过高", "选择竞争对手", "需求取消", "预算不足", "交期无法满足", "技术方案不匹配",
                                 "客户内部决策延期")

DEAL_TOPICS_ZH: tuple[str, ...] = ("产线自动化改造", "设备升级", "年度框架采购", "新工厂项目", "维保续约", "MES 系统上线",
                                   "视觉检测导入", "备件年度合同", "机器人工作站扩容")
DEAL_TOPICS_EN: tuple[str, ...] = ("Line automation retrofit", "Equipment upgrade", "Annual frame agreement",
                                   "New plant project", "Service renewal", "MES roll-out", "Vision inspection pilot",
                                   "Spare parts contract", "Robot cell expansion")

# channel -> (Chinese summaries, English summaries)
SUMMARIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "visit": (("季度回访，讨论新项目", "现场拜访，了解产线需求", "拜访采购部，沟通年度计划"),
              ("Quarterly visit, new project discussed", "On-site visit to the plant",
               "Met procurement on annual plan")),
    "call": (("电话沟通交期", "电话确认报价", "电话跟进付款"),
             ("Call about delivery dates", "Call to confirm the quote", "Payment follow-up call")),
    "email": (("邮件发送技术资料", "邮件确认订单", "邮件回复询价"),
              ("Sent technical datasheets", "Order confirmation by email", "Replied to a request for quote")),
    "meeting": (("方案评审会议", "高层会晤", "线上技术交流会"),
                ("Solution review meeting", "Executive meeting", "Online technical workshop")),
    "wechat": (("微信沟通发货安排", "微信答复技术问题", "微信确认到货"),
               ("WeChat about shipment", "WeChat technical question", "WeChat delivery confirmation")),
    "complaint": (("交付延迟投诉", "产品质量问题投诉", "售后响应慢投诉", "发票错误投诉"),
                  ("Complaint: late delivery", "Complaint: product defect", "Complaint: slow service response",
                   "Complaint: wrong invoice")),
    "survey": (("年度满意度调查", "NPS 问卷"), ("Annual satisfaction survey", "NPS survey")),
}

# warning rule (as named in kam/risk_rules.py) -> (action zh, action en): what a follow-up answering it will do.
FOLLOW_UP_ACTIONS: dict[str, tuple[str, str]] = {
    "no_order": ("拜访客户了解停单原因", "Visit to find out why orders stopped"),
    "contract_ending": ("准备续约方案并约谈采购", "Prepare the renewal offer and meet procurement"),
    "key_contact_left": ("结识新任采购负责人", "Meet the new head of procurement"),
    "complaints_up": ("召开质量问题复盘会", "Hold a quality review on the complaints"),
    "receivables_overdue": ("催收逾期款项", "Chase the overdue invoice"),
    "revenue_drop": ("分析销售下滑原因并制定挽回计划", "Analyse the revenue drop and plan a recovery"),
    "": ("季度业务回顾", "Quarterly business review"),
}
OUTCOMES: tuple[tuple[str, str], ...] = (
    ("客户确认下季度订单", "Customer confirmed next quarter's order"), ("问题已解决，客户满意", "Issue solved, customer satisfied"),
    ("已收回部分款项", "Part of the overdue amount collected"), ("客户暂无新需求", "No new demand for now"),
    ("已提交续约报价", "Renewal quote sent"))
NEXT_STEPS: tuple[tuple[str, str], ...] = (
    ("两周后电话回访", "Call back in two weeks"), ("发送正式报价", "Send the formal quote"),
    ("安排技术交流", "Arrange a technical workshop"))
