"""The words exports use for each model column and table, in Chinese and English.

In: nothing (a declaration). Out: `COLUMN_SYNONYMS[table][column]` and `TABLE_HINTS[table]` (words in a sheet or
file name). Matching happens on `vocab.normalise_label` forms (NFKC, lower case, letters and digits only), so
'客户 名称', 'Customer_Name' and 'CUSTOMER NAME' need no separate entries. The same word can mean different
columns in different tables (客户名称 is `name` in accounts but the account reference in orders); that is why
synonyms are per table.
"""
from __future__ import annotations

ACCOUNT_ID = ("account_id", "account id", "account no", "account number", "customer id", "customer no",
              "customer code", "client id", "sold to party", "sold to", "customer number", "客户编号", "客户编码",
              "客户代码", "客户id", "客户号", "客户代号")
ACCOUNT_NAME = ("account", "account name", "customer", "customer name", "client", "client name", "company",
                "company name", "bill to", "客户", "客户名称", "客户名", "公司名称", "公司", "单位名称",
                "购货单位", "购买方", "客户全称", "企业名称", "所属客户", "关联客户",
                "name 1")
OWNER = ("owner", "account owner", "sales rep", "salesperson", "sales person", "rep", "account manager", "am",
         "负责人", "销售", "销售员", "业务员", "销售代表", "客户经理", "跟进人", "归属销售", "所属销售")
# A city or province is a finer region, but where an export has only that, it is what region filters should use.
REGION = ("region", "area", "territory", "区域", "大区", "地区", "片区", "省份", "所在地区", "province", "city",
          "billing city", "城市", "所在城市", "省市")

COLUMN_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "owners": {
        "name": ("name", "owner", "sales rep", "salesperson", "employee", "姓名", "销售", "销售员", "业务员",
                 "负责人", "员工", "人员"),
        "manager": ("manager", "supervisor", "reports to", "经理", "主管", "上级", "直属上级"),
        "team": ("team", "department", "dept", "团队", "部门", "小组"),
        "region": REGION, "email": ("email", "e-mail", "邮箱", "电子邮件"),
        "active": ("active", "in service", "在职", "是否在职", "状态"),
    },
    "accounts": {
        "account_id": ACCOUNT_ID, "name": ACCOUNT_NAME,
        "industry": ("industry", "sector", "vertical", "行业", "所属行业", "行业类别"),
        "region": REGION, "owner": OWNER,
        "created_date": ("created date", "customer since", "since", "start date", "created", "建档日期", "合作开始日期",
                         "首次合作日期", "开户日期", "创建日期", "成为客户日期",
                         "创建时间"),
        "contract_end_date": ("contract end", "contract end date", "renewal date", "expiry date", "合同到期日",
                              "合同截止日期", "合同到期", "到期日", "续约日期"),
        "strategic": ("strategic", "key account", "标杆客户", "战略客户", "是否战略客户", "重点客户", "是否标杆"),
    },
    "contacts": {
        "contact_id": ("contact id", "contact no", "联系人编号", "联系人id", "record id"), "account_id": ACCOUNT_ID,
        "_account_name": ACCOUNT_NAME,
        "name": ("contact", "contact name", "name", "full name", "联系人", "联系人姓名", "姓名"),
        # a name in two columns (HubSpot, Salesforce contacts; 姓 | 名): joined into `name`
        "_first_name": ("first name", "given name", "名"), "_last_name": ("last name", "surname", "family name", "姓"),
        "role": ("role", "title", "job title", "position", "职位", "职务", "岗位", "角色"),
        "phone": ("phone", "mobile", "tel", "telephone", "电话", "手机", "手机号", "联系电话"),
        "email": ("email", "e-mail", "邮箱", "电子邮件"),
        "is_key": ("key contact", "decision maker", "is key", "关键联系人", "决策人", "是否关键", "是否决策人"),
        "active_from": ("active from", "start date", "since", "任职开始", "开始日期", "入职日期"),
        "active_to": ("active to", "end date", "left", "任职结束", "结束日期", "离职日期"),
    },
    "orders": {
        "order_id": ("order id", "order no", "order number", "so", "so no", "sales order", "invoice no", "document no",
                     "sales document", "订单号", "订单编号", "单号", "销售单号", "单据编号", "发货单号"),
        "line_no": ("line", "line no", "line number", "item no", "行号", "序号", "明细行号"),
        "account_id": ACCOUNT_ID, "_account_name": ACCOUNT_NAME,
        "order_date": ("order date", "date", "document date", "posting date", "订单日期", "下单日期", "日期",
                       "单据日期", "销售日期", "业务日期", "下单时间", "订单时间", "交易日期", "交易时间",
                       "开单日期", "出库日期", "发货日期", "month", "月份", "年月", "会计期间"),
        "amount": ("amount", "net amount", "sales amount", "revenue", "total", "line total", "value", "金额",
                   "销售金额", "订单金额", "含税金额", "不含税金额", "价税合计", "销售额", "收入", "gross amount",
                   "amount incl tax", "total incl tax", "无税金额", "未税金额", "net value", "net sales",
                   "实付金额"),
        # a margin as a share of the amount (毛利率 25%): stored as that share of the line's amount
        "_margin_rate": ("毛利率", "毛利润率", "margin pct", "gross margin pct", "gm pct", "margin rate",
                         "gross margin rate", "毛利pct"),
        "gross_margin": ("gross margin", "margin", "gross profit", "gp", "毛利", "毛利额", "毛利润"),
        "product": ("product", "item", "product name", "sku", "material", "产品", "产品名称", "商品", "商品名称",
                    "物料", "物料名称", "品名", "存货名称"),
        "quantity": ("quantity", "qty", "units", "数量", "销售数量", "件数"),
        "unit_price": ("unit price", "price", "单价", "含税单价", "销售单价", "无税单价", "不含税单价"),
        "_cancelled": ("cancelled", "status", "document status", "void", "单据状态", "状态", "是否作废", "作废",
                       "红冲", "退货标记"),
    },
    "payments": {
        "invoice_id": ("invoice id", "invoice no", "invoice number", "invoice", "发票号", "发票号码", "发票编号",
                       "单据编号", "应收单号"),
        "account_id": ACCOUNT_ID, "_account_name": ACCOUNT_NAME,
        "invoice_date": ("invoice date", "开票日期", "发票日期", "应收日期", "单据日期", "业务日期"),
        "due_date": ("due date", "payment due", "到期日", "应收到期日", "付款期限", "账期到期日"),
        "amount": ("amount", "invoice amount", "invoiced", "开票金额", "发票金额", "应收金额", "金额", "价税合计"),
        "amount_paid": ("amount paid", "paid", "received", "paid amount", "已回款", "回款金额", "已收金额", "实收金额",
                        "已核销金额", "核销金额", "已收款金额"),
        "paid_date": ("paid date", "payment date", "回款日期", "收款日期", "到账日期"),
    },
    "interactions": {
        "interaction_id": ("interaction id", "activity id", "记录编号", "拜访编号"),
        "account_id": ACCOUNT_ID, "_account_name": ACCOUNT_NAME,
        "interaction_date": ("date", "activity date", "visit date", "contact date", "日期", "拜访日期", "沟通日期",
                             "联系日期", "跟进日期", "跟进时间", "拜访时间", "沟通时间", "联系时间",
                             "活动时间", "活动日期", "开始时间", "投诉日期", "投诉时间", "调研日期", "survey date",
                             "start time"),
        "channel": ("channel", "type", "activity type", "method", "方式", "渠道", "类型", "拜访方式", "沟通方式",
                    "跟进方式"),
        "owner": OWNER,
        "summary": ("summary", "notes", "subject", "description", "content", "内容", "摘要", "沟通内容", "拜访内容",
                    "备注", "跟进内容"),
        "satisfaction": ("satisfaction", "csat", "rating", "满意度", "评分"),
        "nps": ("nps", "nps score", "recommend", "推荐度", "净推荐值", "nps评分", "nps得分", "nps分数", "推荐意愿",
                "推荐分"),
    },
    "opportunities": {
        "opportunity_id": ("opportunity id", "deal id", "opp id", "商机编号", "机会编号", "项目编号", "商机id",
                           "record id"),
        "account_id": ACCOUNT_ID, "_account_name": ACCOUNT_NAME,
        "name": ("opportunity", "opportunity name", "deal", "deal name", "project", "商机", "商机名称", "项目名称",
                 "机会名称", "项目"),
        "owner": OWNER, "stage": ("stage", "sales stage", "deal stage", "阶段", "销售阶段", "商机阶段", "项目阶段"),
        "amount": ("amount", "deal amount", "value", "expected revenue", "金额", "预计金额", "商机金额", "项目金额"),
        "probability": ("probability", "win probability", "win rate", "赢率", "成交概率", "赢单率", "可能性"),
        "created_date": ("created date", "created", "create date", "创建日期", "立项日期", "创建时间"),
        "expected_close_date": ("close date", "expected close", "expected close date", "预计成交日期",
                                "预计签约日期", "预计结单日期"),
        "closed_date": ("closed date", "actual close date", "成交日期", "结单日期", "关闭日期", "签约日期"),
        "loss_reason": ("loss reason", "lost reason", "reason lost", "输单原因", "丢单原因", "失败原因"),
        "_stage_date": ("stage date", "stage changed", "stage change date", "stage entered", "阶段日期",
                        "阶段变更日期", "进入阶段日期", "阶段更新日期"),
    },
    "opportunity_stage_history": {
        "opportunity_id": ("opportunity id", "deal id", "opp id", "商机编号", "机会编号", "项目编号"),
        "stage": ("stage", "to stage", "new stage", "阶段", "进入阶段", "销售阶段"),
        "entered_date": ("date", "entered", "entered date", "changed date", "进入日期", "变更日期", "日期"),
    },
    "follow_ups": {
        "follow_up_id": ("follow up id", "task id", "跟进编号", "任务编号"),
        "account_id": ACCOUNT_ID, "_account_name": ACCOUNT_NAME, "owner": OWNER,
        "due_date": ("due date", "due", "deadline", "截止日期", "计划日期", "到期日", "计划完成日期"),
        "channel": ("channel", "method", "方式", "跟进方式", "渠道"),
        "action": ("action", "task", "todo", "plan", "跟进事项", "行动", "待办事项", "计划事项", "任务"),
        "status": ("status", "state", "状态", "完成状态", "跟进状态"),
        "outcome": ("outcome", "result", "结果", "跟进结果", "处理结果"),
        "next_step": ("next step", "next action", "下一步", "下一步计划", "后续行动"),
        "next_step_date": ("next step date", "next date", "下次跟进日期", "下一步日期"),
        "warning_rule": ("warning", "warning rule", "risk", "预警", "预警规则", "风险"),
    },
}

# Marks of an amount or price including tax (normalised forms): such a header feeds its column only when no other
# header does (the model keeps amounts net of tax, so 不含税金额, 金额（不含税） or 金额 beside 价税合计 feeds
# `amount`, whatever the column order). A mark right after 不/未/无 (不含税) means net.
TAX_INCLUSIVE = ("含税", "价税", "incltax", "inclvat", "includingtax", "includingvat", "taxincluded", "gross")
NET_OF_TAX = ("不含税", "无税", "未税", "excltax", "exclvat", "excludingtax", "excludingvat", "net")

# Interactions without a channel column whose headers say what every row is: a complaints log, an NPS survey.
IMPLIED_CHANNELS = (("complaint", ("投诉", "客诉", "complaint")), ("survey", ("nps", "调研", "问卷", "survey")))

# Sheet names of a workbook's summary of its own detail (normalised forms): see kam.ingest.pipeline.
SUMMARY_SHEETS = ("汇总", "统计", "合计", "透视", "summary", "pivot", "overview", "totals")

TABLE_HINTS: dict[str, tuple[str, ...]] = {
    "owners": ("owner", "owners", "sales team", "salespeople", "销售人员", "人员", "员工", "负责人"),
    "accounts": ("account", "accounts", "customer", "customers", "client", "客户", "客户档案", "客户清单", "客户列表"),
    "contacts": ("contact", "contacts", "联系人", "通讯录"),
    "orders": ("order", "orders", "sales", "sales orders", "订单", "销售", "销售明细", "订单明细", "出库"),
    "payments": ("payment", "payments", "invoice", "invoices", "receivable", "ar", "回款", "收款", "发票", "应收"),
    "interactions": ("interaction", "interactions", "activity", "activities", "visit", "visits", "拜访", "拜访记录",
                     "沟通记录", "跟进记录"),
    "opportunities": ("opportunity", "opportunities", "deal", "deals", "pipeline", "商机", "机会", "项目"),
    "opportunity_stage_history": ("stage history", "阶段历史", "阶段变更"),
    "follow_ups": ("follow up", "follow ups", "followups", "task", "tasks", "todo", "待办", "跟进计划", "跟进任务"),
}
