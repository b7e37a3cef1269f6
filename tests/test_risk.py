"""Early warnings on tests/fixtures/scoring_health as of 30 Jun 2026 (hand-computed; see tests/test_health.py)."""
import dataclasses
import datetime as dt

import pytest

from tests.conftest import database_fixture
from kam import settings as kam_settings
from kam.risk import reason, warning_list
from kam.scope import Scope
from kam.settings.risk import RULES

AS_OF = dt.date(2026, 6, 30)
DEFAULTS = kam_settings.Settings()


con = database_fixture("scoring_health")


@pytest.fixture(scope="module")
def warnings(con):
    return warning_list(con, DEFAULTS, AS_OF)


def _one(warnings, account, rule):
    rows = warnings[(warnings["account_id"] == account) & (warnings["rule"] == rule)]
    assert len(rows) == 1, f"{account} {rule}: {len(rows)} rows"
    return rows.iloc[0]


# (account, rule, English reason, Chinese reason, active since)
FIRING = [
    ("H4", "no_order", "No order for 94 days, 3.1x its usual 30-day interval",
     "已 94 天未下单，为其常规间隔 30 天的 3.1 倍", dt.date(2026, 5, 28)),
    ("H4", "revenue_drop", "Revenue down 100% vs the same 90 days last year (¥0 vs ¥20.0K)",
     "近 90 天收入较去年同期下降 100%（¥0，去年同期 ¥2.00万）", dt.date(2026, 4, 28)),
    ("H4", "order_count_drop", "Order days down 100% vs the same 90 days last year (0 vs 2 days with orders)",
     "近 90 天下单天数较去年同期下降 100%（0 天，去年同期 2 天）", dt.date(2026, 4, 28)),
    ("H2", "complaints_up", "2 complaints in the last 90 days (0 in the 90 days before)",
     "近 90 天收到 2 次投诉（此前 90 天 0 次）", dt.date(2026, 6, 25)),
    ("H3", "nps_low", "Latest NPS answer is 5, below 7", "最近一次 NPS 评分为 5，低于 7", dt.date(2026, 6, 10)),
    ("H3", "key_contact_left", "Key contact 王磊 left 29 days ago", "关键联系人王磊已于 29 天前离任",
     dt.date(2026, 6, 1)),
    ("H1", "contract_ending", "Contract ends in 45 days (14 Aug 2026)", "合同将于 45 天后到期（2026年8月14日）",
     dt.date(2026, 6, 15)),
    ("H3", "receivables_overdue", "¥50.0K overdue, the oldest invoice 90 days past due",
     "逾期应收 ¥5.00万，最早一笔已逾期 90 天", dt.date(2026, 5, 31)),
    ("H2", "health_drop", "Health fell 39 points in 30 days (100 → 61)", "健康度 30 天内下降 39 分（100 → 61）",
     dt.date(2026, 6, 23)),
]


@pytest.mark.parametrize("account, rule, en, zh, since", FIRING, ids=[f[1] for f in FIRING])
def test_each_rule_fires_with_its_exact_reason_and_start_date(warnings, account, rule, en, zh, since):
    row = _one(warnings, account, rule)
    assert (reason(row, "en"), reason(row, "zh"), row["active_since"]) == (en, zh, since)


def test_every_rule_is_covered_by_a_firing_case():
    assert {f[1] for f in FIRING} == set(RULES)


def test_each_rule_stays_silent_where_its_condition_does_not_hold(warnings):
    fired = set(zip(warnings["account_id"], warnings["rule"]))
    assert fired == {(f[0], f[1]) for f in FIRING}  # nothing else: e.g. H1 orders on rhythm, H5 has no data


def test_the_list_sorts_by_severity_then_revenue_at_risk(warnings):
    assert list(warnings["severity_rank"]) == sorted(warnings["severity_rank"])
    high = warnings[warnings["severity"] == "high"]
    assert list(zip(high["account_id"], high["revenue_at_risk"])) == [("H4", 30000.0), ("H4", 30000.0), ("H2", 0.0)]
    # a contract ending is medium by default (a renewal date, not evidence of churn): after the churn signals
    medium = warnings[warnings["severity"] == "medium"]
    assert list(zip(medium["account_id"], medium["rule"])) == [
        ("H1", "contract_ending"), ("H3", "key_contact_left"), ("H3", "receivables_overdue"), ("H2", "complaints_up")]


def test_revenue_at_risk_is_the_trailing_twelve_month_revenue(warnings):
    assert _one(warnings, "H3", "nps_low")["revenue_at_risk"] == 50000.0


def test_thresholds_come_from_settings(con):
    risk = dataclasses.replace(DEFAULTS.risk, overdue_interval_multiple=3.5, contract_ending_days=44,
                               receivable_overdue_days=91, receivable_overdue_amount=50000.0, complaints_min=3)
    fired = set(zip(*warning_list(con, dataclasses.replace(DEFAULTS, risk=risk), AS_OF)[["account_id", "rule"]]
                    .T.to_numpy()))
    assert ("H4", "no_order") not in fired and ("H1", "contract_ending") not in fired
    assert ("H2", "complaints_up") not in fired
    assert ("H3", "receivables_overdue") in fired  # 50k reaches the amount threshold though 90 < 91 days


def test_disabled_rules_and_severities_follow_settings(con):
    risk = dataclasses.replace(DEFAULTS.risk, disabled_rules=("no_order",), severities=(("nps_low", "high"),))
    w = warning_list(con, dataclasses.replace(DEFAULTS, risk=risk), AS_OF)
    assert "no_order" not in set(w["rule"])
    assert w.iloc[0]["rule"] == "nps_low"  # high now and H3 has the most revenue among the high ones


def test_the_scope_limits_warnings_to_its_accounts(con):
    w = warning_list(con, DEFAULTS, AS_OF, Scope(owners=("张伟",)))
    assert set(w["account_id"]) == {"H1", "H4"}


def test_an_empty_list_keeps_its_columns(con):
    w = warning_list(con, DEFAULTS, dt.date(2020, 1, 1))
    assert w.empty and list(w.columns)[:5] == ["account_id", "name", "owner", "rule", "severity"]


def test_counting_without_tracing_gives_the_same_warnings_without_trend_start_dates(con, warnings):
    quick = warning_list(con, DEFAULTS, AS_OF, trace_since=False)
    assert list(zip(quick["account_id"], quick["rule"])) == list(zip(warnings["account_id"], warnings["rule"]))
    assert quick.loc[quick["rule"] == "revenue_drop", "active_since"].isna().all()
    assert _one(quick, "H4", "no_order")["active_since"] == dt.date(2026, 5, 28)


def test_warnings_at_several_dates_match_the_list_at_each_date(con, warnings):
    from kam.risk import warnings_at
    earlier = dt.date(2026, 3, 31)
    both = warnings_at(con, DEFAULTS, [earlier, AS_OF])
    now = both[both["as_of"] == AS_OF]
    assert set(zip(now["account_id"], now["rule"])) == set(zip(warnings["account_id"], warnings["rule"]))
    then = both[both["as_of"] == earlier]
    assert set(zip(then["account_id"], then["rule"])) == set(zip(*warning_list(con, DEFAULTS, earlier)[
        ["account_id", "rule"]].T.to_numpy()))


def test_trend_start_dates_are_the_same_when_only_comparison_rules_are_traced(con):
    # without health_drop, the re-checks read kam.order_facts instead of every fact: same dates as FIRING
    risk = dataclasses.replace(DEFAULTS.risk, disabled_rules=("health_drop",))
    w = warning_list(con, dataclasses.replace(DEFAULTS, risk=risk), AS_OF)
    assert _one(w, "H4", "revenue_drop")["active_since"] == dt.date(2026, 4, 28)
    assert _one(w, "H4", "order_count_drop")["active_since"] == dt.date(2026, 4, 28)
