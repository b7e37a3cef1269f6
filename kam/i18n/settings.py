"""UI strings: the scoring settings, one label and one help text per field. key -> (中文, English).

`setting.<section>.<field>` is the field's label, `setting.<section>.<field>.help` its help. The English help is
the field's own `help` metadata (kam.settings), written once; the Chinese sits here beside the labels. A test
holds every settings field to a label and a help in both languages.
"""
from __future__ import annotations

import dataclasses

# section -> field -> (中文标签, English label, 中文说明)
_FIELDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "tiers": {
        "method": ("分级方法", "Tiering method",
                   "weighted = 多因素加权得分分级；pareto = 按累计收入占比分级（80/20）"),
        "labels": ("等级名称", "Tier names", "从高到低的等级名称，3 或 4 个"),
        "weights": ("指标权重", "Measure weights", "各指标在分级得分中的权重，自动归一化为合计 1"),
        "score_cutoffs": ("得分分界线", "Score cut-offs", "达到该分数（0-100）即进入对应等级（最后一级除外）"),
        "pareto_cutoffs": ("累计收入占比分界线", "Pareto cut-offs", "累计收入占比不超过该值的客户进入对应等级（最后一级除外）"),
        "last_tier_revenue_at_most": ("最低等级收入上限", "Last tier: revenue at most",
                                      "近 12 个月收入不超过此值的客户始终在最低等级"),
        "key_tiers": ("计为重点客户的等级数", "Tiers counted as key accounts",
                      "KPI 中最高的几个等级算作重点客户（1 = 仅第一级）"),
        "kpi_period_months": ("KPI 周期（月）", "KPI period (months)", "KPI 卡片报告并与上一期比较的周期长度（3 = 一个季度）"),
        "kpi_periods": ("趋势线期数", "Periods per sparkline", "每个 KPI 趋势线显示的期数"),
    },
    "health": {
        "window_days": ("投诉与联系人回看天数", "Complaints and contacts look-back (days)",
                        "投诉和关键联系人变动两个指标回看的天数"),
        "trend_window_days": ("趋势比较天数", "Trend window (days)", "下单频次与收入趋势：近 N 天与一年前同期 N 天比较"),
        "interval_lookback_days": ("常规间隔回看天数", "Usual interval look-back (days)",
                                   "常规下单间隔 = 近 N 天内相邻下单日间隔的中位数"),
        "interval_min_orders": ("常规间隔所需下单日数", "Order dates for a usual interval",
                                "至少有这么多个不同下单日才计算常规间隔（否则下单间隔为未知）"),
        "engagement_channels": ("计为互动的渠道", "Channels that count as engagement", "互动指标计入的互动渠道"),
        "nps_lookback_days": ("NPS 有效天数", "NPS valid for (days)", "最近一次 NPS 评分在此天数内才计入"),
        "weights": ("指标权重", "Measure weights", "各指标权重；无数据的指标不计入，其余权重重新归一化"),
        "curves": ("评分曲线", "Scoring curves",
                   "指标 → (0 分值, 100 分值)，之间线性。下单间隔：距上次下单天数 ÷ 常规间隔；下单频次、收入趋势："
                   "与一年前相比的变化（-0.5 = -50%）；逾期应收：最早未付发票逾期天数；逾期金额：逾期金额 ÷ 近 12 个月收入"
                   "（逾期应收取两者较低分）；互动：距上次联系天数；投诉：窗口内次数；NPS：最近评分 0-10；"
                   "关键联系人：窗口内离任人数"),
        "compare_days": ("变化分解对比天数", "What changed: days back", "变化分解将当前健康度与这么多天前比较"),
        "history_months": ("健康度走势月数", "Health history (months)", "客户健康度走势显示的月末数"),
        "red_below": ("红色：低于", "Red below", "总分低于此值为红色"),
        "green_from": ("绿色：不低于", "Green from", "总分不低于此值为绿色"),
        "measure_bands": ("单项指标分档", "Bands per measure",
                          "指标 → (红色低于, 绿色不低于)，用于单项得分；未列出的指标沿用总分分档"),
    },
    "risk": {
        "overdue_interval_multiple": ("未下单：常规间隔倍数", "No order: multiple of usual interval",
                                      "距上次下单天数超过常规间隔的这一倍数时预警"),
        "comparison_window_days": ("同比比较天数", "Year-on-year window (days)",
                                   "收入下降与订单减少：近 N 天与一年前同期 N 天比较"),
        "revenue_drop_pct": ("收入下降阈值 %", "Revenue down at least (%)", "收入较去年同期下降至少此百分比时预警"),
        "order_count_drop_pct": ("订单减少阈值 %", "Orders down at least (%)", "订单数较去年同期减少至少此百分比时预警"),
        "complaints_window_days": ("投诉统计天数", "Complaints window (days)", "投诉增加：统计的天数"),
        "complaints_min": ("投诉次数下限", "Complaints at least", "窗口内投诉达到此次数时预警"),
        "nps_below": ("NPS 低于", "NPS below", "最近一次 NPS 评分（在健康度 NPS 有效期内）低于此值时预警"),
        "key_contact_left_days": ("关键联系人离任天数", "Key contact left within (days)", "关键联系人在此天数内离任时预警"),
        "contract_ending_days": ("合同到期提前天数", "Contract ends within (days)", "合同在此天数内到期时预警"),
        "receivable_overdue_days": ("应收逾期天数", "Invoice overdue (days)", "有未付发票逾期达到此天数时预警"),
        "receivable_overdue_amount": ("逾期金额", "Overdue amount", "逾期金额达到此值（本位币）时也预警；0 = 不启用"),
        "health_drop_points": ("健康度下降分数", "Health fell at least (points)", "健康度下降至少此分数时预警"),
        "health_drop_days": ("健康度对比天数", "Health drop: days back", "将当前健康度与这么多天前比较"),
        "severities": ("规则严重程度", "Severity per rule", "规则 → 严重程度（high, medium, low）；预警列表按此排序，其次按风险收入"),
        "disabled_rules": ("停用的规则", "Rules switched off", "不再预警的规则"),
        "since_step_days": ("追溯步长（天）", "Re-check step (days)",
                            "趋势类规则（收入下降、订单减少、健康度下降）每隔 N 天向前复查，以确定预警开始日期"),
        "since_max_steps": ("最多追溯次数", "Re-checks at most", "最多向前复查的次数；更早开始的预警显示最早复查的日期"),
    },
    "funnel": {
        "stages": ("销售阶段", "Stages", "按顺序的阶段：名称、默认赢单概率、open/won/lost、停滞天数"),
        "list_rows": ("列表最多行数", "Rows per deal list", "漏斗页商机列表（停滞、逾期、下钻）最多显示的行数，按金额从大到小；命令行列出全部停滞商机"),
    },
    "cadence": {
        "days_by_tier": ("各等级联系间隔（天）", "Days between contacts per tier",
                         "从最高等级起各等级的联系间隔天数（A：14，B：30，C：90）；超出列表或无等级的客户取最后一个值"),
        "contact_channels": ("计为联系的渠道", "Channels that count as contact",
                             "计为我方联系客户的互动渠道（投诉或调查是客户联系我们，不计入）"),
        "due_soon_days": ("“本周到期”天数", "Due soon within (days)", "自截至日起（含当天）在此天数内到期的跟进为“本周到期”"),
        "new_follow_up_days": ("新跟进期限（天）", "New follow-up due in (days)", "由预警创建的跟进，截止日为截至日后这么多天"),
    },
}


def _english_help() -> dict[tuple[str, str], str]:
    from kam.settings import Settings   # here, not at import: kam.settings is loaded by then, and no cycle forms
    defaults = Settings()
    return {(section.name, field.name): field.metadata.get("help", "")
            for section in dataclasses.fields(defaults)
            for field in dataclasses.fields(getattr(defaults, section.name))}


def _strings() -> dict[str, tuple[str, str]]:
    english = _english_help()
    strings: dict[str, tuple[str, str]] = {}
    for section, fields in _FIELDS.items():
        for name, (zh_label, en_label, zh_help) in fields.items():
            strings[f"setting.{section}.{name}"] = (zh_label, en_label)
            strings[f"setting.{section}.{name}.help"] = (zh_help, english.get((section, name), ""))
    return strings


# The column headers of the fields edited as tables (comma-separated, one per value of a row).
_COLUMNS: dict[str, tuple[str, str]] = {
    "setting.tiers.weights.columns": ("指标,权重", "Measure,Weight"),
    "setting.health.weights.columns": ("指标,权重", "Measure,Weight"),
    "setting.health.curves.columns": ("指标,0 分对应值,100 分对应值", "Measure,Scores 0 at,Scores 100 at"),
    "setting.health.measure_bands.columns": ("指标,红色低于,绿色不低于", "Measure,Red below,Green from"),
    "setting.risk.severities.columns": ("规则,严重程度", "Rule,Severity"),
    "setting.funnel.stages.columns": ("阶段,默认赢单概率,状态,停滞天数", "Stage,Default win probability,Status,Days to stall"),
}

STRINGS: dict[str, tuple[str, str]] = _strings() | _COLUMNS
