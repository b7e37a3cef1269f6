"""Health by tier, band counts and history on tests/fixtures/scoring_health (see tests/test_health.py)."""
import datetime as dt

import pytest

from tests.conftest import database_fixture
from kam import settings as kam_settings
from kam.health_views import accounts_in, band_counts, health_by_tier, health_history, history_dates

AS_OF = dt.date(2026, 6, 30)


con = database_fixture("scoring_health")


def test_band_counts_cover_every_account_once_and_list_empty_bands(con):
    counts = band_counts(health_by_tier(con, kam_settings.Settings(), AS_OF))
    assert counts["accounts"].sum() == 5
    by_band = counts.groupby("band")["accounts"].sum().to_dict()
    assert by_band == {"green": 1, "yellow": 2, "red": 1, "unknown": 1}
    assert len(counts) == 4 * counts["tier_rank"].nunique()


def test_accounts_in_a_band_are_listed_for_drilling_down(con):
    table = health_by_tier(con, kam_settings.Settings(), AS_OF)
    assert set(accounts_in(table, band_name="yellow")["account_id"]) == {"H2", "H4"}


def test_history_dates_are_month_ends_then_the_as_of_date():
    assert history_dates(dt.date(2026, 6, 15), 3) == [dt.date(2026, 4, 30), dt.date(2026, 5, 31), dt.date(2026, 6, 15)]
    assert len(history_dates(AS_OF, 12)) == 12 and history_dates(AS_OF, 12)[-2] == dt.date(2026, 5, 31)


def test_health_history_follows_the_lapsed_account_down(con):
    history = health_history(con, kam_settings.Settings(), AS_OF, "H4").set_index("date")
    assert history.loc[dt.date(2026, 3, 31), "score"] == pytest.approx(100)
    assert history.loc[dt.date(2026, 5, 31), "score"] == pytest.approx((0.25 * (3 - 64 / 30) / 2 * 100 + 55) / 0.95)
    assert history.loc[AS_OF, "band"] == "yellow"

