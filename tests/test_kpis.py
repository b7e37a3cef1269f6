"""KPI cards on tests/fixtures/scoring_tiers as of 2026-06-30 (quarters: the period is 2026-04-01..2026-06-30).

Revenue over 12 months at 2026-03-31: T1 800, T2 300, T3 300; at 2026-06-30: T1 800, T2 600, T3 600, T4 100.
"""
import dataclasses
import datetime as dt
import importlib.util

import numpy as np
import pytest

from kam import kpi_card, kpi_survey, kpis
from kam.dated_rows import day_numbers
from kam.scope import Scope
from kam.settings import Settings
from kam.settings.tiers import TierSettings
from tests.conftest import database_fixture

AS_OF = dt.date(2026, 6, 30)


con = database_fixture("scoring_tiers")


@pytest.fixture(scope="module")
def cards(con):
    return {(k.key, k.label): k for k in kpis.kpi_cards(con, Settings(), AS_OF)}


def test_period_ends_step_back_by_whole_quarters_from_a_month_end():
    short = dataclasses.replace(Settings(), tiers=TierSettings(kpi_periods=3))
    assert kpi_card.period_ends(AS_OF, short) == [dt.date(2025, 12, 31), dt.date(2026, 3, 31), AS_OF]
    assert kpi_card.period_ends(dt.date(2026, 6, 15), short, extra=1)[0] == dt.date(2025, 9, 15)


def test_key_account_revenue_is_the_first_tiers_revenue_with_its_share(cards):
    revenue, share = cards[("key_revenue", "")], cards[("key_share", "")]
    assert (revenue.value, revenue.previous, revenue.delta) == (800.0, 800.0, 0.0)
    assert share.value == pytest.approx(800 / 2100)
    assert share.previous == pytest.approx(800 / 1400)
    assert len(revenue.series) == 8 and revenue.series[-1] == revenue.value


def test_accounts_per_tier_have_one_card_per_label(cards):
    counts = {label: (k.value, k.previous) for (key, label), k in cards.items() if key == "tier_accounts"}
    # 2026-03-31: T1 85 (A), T2 40 and T3 45 (B), T5 and T6 (C); T4 was not a customer yet
    assert counts == {"A": (1, 1), "B": (2, 2), "C": (3, 2)}


def test_retention_compares_accounts_active_at_the_previous_period_end(cards):
    # 2025-09-30 -> 2025-12-31: T6's only order (Dec 2024) leaves the 12-month window: 3 of 4 kept
    retention, churn = cards[("retention", "")], cards[("churn", "")]
    assert retention.series[5] == pytest.approx(0.75) and churn.series[5] == pytest.approx(0.25)
    assert cards[("revenue_churn", "")].series[5] == pytest.approx(1000 / 3000)
    assert churn.higher_is_better is False


def test_net_revenue_retention_follows_the_accounts_active_at_the_start(cards):
    assert cards[("nrr", "")].value == pytest.approx(2000 / 1400)  # T4 is new, so not counted


def test_nps_counts_promoters_minus_detractors_in_the_period(cards):
    nps = cards[("nps", "")]
    assert nps.value == pytest.approx(100 * (2 - 1) / 3)  # answers 10, 9, 6
    assert nps.previous == 0.0  # one answer of 8: a passive


def test_contracts_expiring_within_the_risk_horizon(cards):
    card = cards[("contracts_expiring", "60")]
    assert card.value == 2  # T1 on 15 Aug and T6 on 31 Jul
    # only current contract ends are known, so no earlier value to compare with (it would miss renewals)
    assert (card.previous, card.series, card.delta) == (None, (2.0,), None)
    assert card.period_ends == (AS_OF,)


def test_a_scope_restricts_every_card(con):
    north = {(k.key, k.label): k for k in kpis.kpi_cards(con, Settings(), AS_OF, Scope(regions=("North",)))}
    assert north[("key_revenue", "")].value == 0.0  # T1, the only A, is in the East
    assert north[("contracts_expiring", "60")].value == 1
    assert north[("nps", "")].value == pytest.approx(-100.0)


@pytest.mark.skipif(importlib.util.find_spec("kam.health") is None, reason="kam.health not built yet")
def test_average_health_reconciles_with_the_health_table(con, cards):
    from kam import health
    assert cards[("avg_health", "")].value == pytest.approx(health.health_table(con, Settings(), AS_OF)["score"].mean())


@pytest.mark.skipif(importlib.util.find_spec("kam.risk") is None, reason="kam.risk not built yet")
def test_revenue_at_risk_counts_each_account_once(con, cards):
    from kam import risk
    warnings = risk.warning_list(con, Settings(), AS_OF)
    # the list now: T1 contract_ending (800), T6 contract_ending (0), T2 nps_low (600)
    assert sorted(zip(warnings["account_id"], warnings["rule"])) == [
        ("T1", "contract_ending"), ("T2", "nps_low"), ("T6", "contract_ending")]
    # the cards leave out the contract endings (only current contract ends are known: no history to compare)
    assert (cards[("accounts_at_risk", "")].value, cards[("revenue_at_risk", "")].value) == (1, 600.0)
    kept = warnings[~warnings["rule"].isin(kpis.CURRENT_ONLY_RULES)]
    assert cards[("accounts_at_risk", "")].value == kept["account_id"].nunique()
    assert cards[("revenue_at_risk", "")].value == pytest.approx(
        kept.groupby("account_id")["revenue_at_risk"].max().sum())


def test_nps_counts_an_answer_in_the_period_that_ends_on_its_day():
    day = day_numbers([dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 1), dt.date(2026, 6, 30)])
    nps = [10.0, 6.0, 9.0, 8.0]
    ends = [dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30)]
    starts = [dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 6, 30)]
    values = kpi_survey._nps_per_period(day, np.array(nps), ends, starts)
    # 1 Jan is the first period's start, so outside it: only 31 Mar (a detractor); then 9 and 8; then no answer
    assert values[:2] == [-100.0, 50.0] and np.isnan(values[2])
