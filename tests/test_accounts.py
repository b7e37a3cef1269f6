"""kam.accounts: the list, the filter choices and the default as-of date, on tests/fixtures/tiny."""
import datetime as dt

from kam import accounts
from kam.scope import Scope

AS_OF = dt.date(2026, 6, 30)


def test_the_default_as_of_is_the_latest_activity_but_never_after_today(tiny):
    assert accounts.data_as_of(tiny, today=dt.date(2026, 11, 1)) == dt.date(2026, 6, 10)  # interaction I2
    assert accounts.data_as_of(tiny, today=dt.date(2026, 6, 1)) == dt.date(2026, 6, 1)


def test_filter_choices_are_distinct_and_sorted(tiny):
    options = accounts.filter_options(tiny)
    assert options["regions"] == ["华东", "华北"]
    assert options["owners"] == ["Amy Chen", "张伟"]
    assert len(options["industries"]) == 3


def test_the_list_ranks_by_twelve_month_revenue_net_of_returns(tiny):
    frame = accounts.account_list(tiny, Scope(), AS_OF)
    assert list(frame["account_id"]) == ["A001", "A002", "A003"]
    # A001: 100,000 (2025-07-15) + 150,000 + 200,000 - 20,000 return; A002: only 40,000 (80,000 is 14 months old)
    assert list(frame["revenue_12m"]) == [430_000, 40_000, 0]
    assert list(frame["open_pipeline"]) == [500_000, 0, 0]
    assert frame.loc[2, "last_order_date"] is None or str(frame.loc[2, "last_order_date"]) in ("NaT", "None")


def test_the_list_honours_scope_and_search(tiny):
    east = accounts.account_list(tiny, Scope(regions=("华东",)), AS_OF)
    assert sorted(east["account_id"]) == ["A001", "A003"]
    assert list(accounts.account_list(tiny, Scope(), AS_OF, search="acme")["account_id"]) == ["A002"]
    assert list(accounts.account_list(tiny, Scope(), AS_OF, search="美的")["account_id"]) == ["A003"]
