"""kam.account360 on tests/fixtures/tiny, as of 2026-06-30."""
import datetime as dt

from kam import account360

AS_OF = dt.date(2026, 6, 30)


def test_headline_cards(tiny):
    cards = account360.headline(tiny, "A001", AS_OF)
    assert cards["revenue_12m"] == 430_000
    assert str(cards["last_order_date"])[:10] == "2026-01-10"
    assert cards["overdue"] == 100_000          # INV-2: 180,000 invoiced, 80,000 paid, due 2026-02-09
    assert cards["open_pipeline"] == 500_000


def test_a_key_contact_who_left_recently_is_flagged(tiny):
    people = account360.contacts(tiny, "A001", AS_OF)
    left = people[people["name"] == "王芳"].iloc[0]
    assert left["status"] == "left" and left["changed_recently"]
    assert people.iloc[0]["name"] == "刘洋"    # the active key contact comes first


def test_monthly_revenue_has_every_month_and_nets_returns(tiny):
    months = account360.monthly_revenue(tiny, "A001", AS_OF, months=12)
    assert len(months) == 12
    assert months.set_index(months["month"].astype(str).str[:7])["revenue"].to_dict()["2026-01"] == 180_000
    assert months["revenue"].sum() == 430_000


def test_receivables_count_days_overdue_only_while_outstanding(tiny):
    bills = account360.receivables(tiny, "A001", AS_OF).set_index("invoice_id")
    assert bills.loc["INV-2", "outstanding"] == 100_000
    assert bills.loc["INV-2", "days_overdue"] == 141   # 2026-02-09 -> 2026-06-30
    assert bills.loc["INV-1", "days_overdue"] == 0


def test_interactions_stop_at_the_as_of_date(tiny):
    assert len(account360.interactions(tiny, "A001", dt.date(2026, 6, 1))) == 1
    assert list(account360.interactions(tiny, "A001", AS_OF)["channel"]) == ["complaint", "visit"]


def test_unknown_account_has_no_profile(tiny):
    assert account360.profile(tiny, "NOPE") is None
    assert account360.profile(tiny, "A001")["owner_team"] == "华东大客户部"
