"""Canonical values of coded columns (stage, channel, status) and the words exports use for them.

Imports map free-text labels onto these values; pages translate them back for display. Matching is done on a
normalised form (NFKC, lower case, no spaces or punctuation), so '方案/报价', 'Proposal ' and 'PROPOSAL' agree.
"""
from __future__ import annotations

import re
import unicodedata

# Default sales stages (settings.funnel names them; these are the synonyms imports recognise for each).
STAGE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "lead": ("lead", "leads", "prospect", "prospecting", "new", "线索", "潜在客户", "初步接触", "商机线索"),
    "qualified": ("qualified", "qualification", "engaging", "discovery", "needs analysis", "id. decision makers",
                  "id decision makers", "identify decision makers", "需求确认", "需求分析",
                  "已确认", "确认需求", "立项"),
    "proposal": ("proposal", "quote", "quotation", "proposal/price quote", "solution",
                 "value proposition", "perception analysis", "方案报价", "方案", "报价",
                 "方案/报价", "投标"),
    "negotiation": ("negotiation", "negotiation/review", "commit", "contract", "商务谈判", "谈判", "合同谈判", "签约中"),
    "won": ("won", "closed won", "closedwon", "win", "赢单", "成交", "已成交", "签约", "赢"),
    "lost": ("lost", "closed lost", "closedlost", "loss", "输单", "丢单", "失败", "已流失", "输"),
}

CHANNEL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "visit": ("visit", "onsite", "on-site visit", "拜访", "上门拜访", "面访", "走访"),
    "call": ("call", "phone", "phone call", "telephone", "电话", "电话沟通", "来电"),
    "email": ("email", "e-mail", "mail", "邮件", "电子邮件"),
    "meeting": ("meeting", "video call", "online meeting", "会议", "视频会议", "线上会议", "会面"),
    "wechat": ("wechat", "weixin", "wecom", "微信", "企业微信", "企微"),
    "complaint": ("complaint", "issue", "escalation", "投诉", "客诉", "投诉建议"),
    "survey": ("survey", "nps", "nps survey", "satisfaction survey", "问卷", "满意度调查", "调研"),
    "other": ("other", "others", "其他", "其它"),
}

FOLLOW_UP_STATUS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "open": ("open", "todo", "to do", "new", "pending", "未开始", "待办", "待跟进", "未处理"),
    "in_progress": ("in progress", "in_progress", "doing", "ongoing", "进行中", "跟进中", "处理中"),
    "done": ("done", "closed", "complete", "completed", "finished", "已完成", "完成", "已关闭", "已处理"),
    "cancelled": ("cancelled", "canceled", "dropped", "已取消", "取消", "作废"),
}


def normalise_label(text: object) -> str:
    """NFKC, lower case, and only letters and digits: the form labels are compared in."""
    folded = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"[\W_]+", "", folded)


def _index(synonyms: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_label(word): value for value, words in synonyms.items() for word in (value, *words)}


_STAGES, _CHANNELS, _STATUSES = _index(STAGE_SYNONYMS), _index(CHANNEL_SYNONYMS), _index(FOLLOW_UP_STATUS_SYNONYMS)


def canonical_stage(label: object, configured: tuple[str, ...] = ()) -> str | None:
    """The stage a label means: a configured stage name matched exactly (normalised), else a default stage by
    synonym; None when unknown (the caller reports it, never drops the row silently)."""
    key = normalise_label(label)
    for stage in configured:
        if normalise_label(stage) == key:
            return stage
    found = _STAGES.get(key)
    return found if not configured or found in configured else None


def canonical_channel(label: object) -> str | None:
    return _CHANNELS.get(normalise_label(label))


def canonical_follow_up_status(label: object) -> str | None:
    return _STATUSES.get(normalise_label(label))
