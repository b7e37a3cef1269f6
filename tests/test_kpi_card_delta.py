"""The delta line of a KPI card (ui.insights): its sign and whether it is drawn as a change at all."""
import datetime as dt

import pytest

from kam.kpi_card import Kpi
from ui.insights import _flat, delta_text

ENDS = (dt.date(2026, 8, 19), dt.date(2026, 11, 19))


@pytest.mark.parametrize("kind, value, previous, lang, text, flat", [
    ("pct", 0.0010, 0.0014, "en", "+0.0 pp", True),      # -0.04 points: shows as no change, not "-0.0 pp"
    ("pct", 0.980, 0.992, "en", "-1.2 pp", False),
    ("pct", 0.0, 0.0, "en", "+0.0 pp", True),
    ("money", 48_770_000, 48_594_000, "zh", "+¥17.6万", False),
    ("money", 1_000.2, 1_000.4, "en", "+¥0", True),       # 0.2 yuan less: below the card's precision
    ("money", 1e6, 2e6, "en", "-¥1.00M", False),
    ("count", 5, 5, "en", "+0", True),
    ("score", 89.2, 89.5, "zh", "-0.3", False),
])
def test_a_delta_too_small_to_show_reads_as_no_change(kind, value, previous, lang, text, flat):
    kpi = Kpi("x", kind, value, previous, (previous, value), ENDS)
    assert delta_text(kpi, lang) == text
    assert _flat(kpi, lang) is flat


def test_no_previous_value_means_no_delta():
    kpi = Kpi("x", "count", 5, None, (5,), ENDS[1:])
    assert delta_text(kpi, "en") is None and _flat(kpi, "en")


def test_the_at_risk_and_contract_cards_say_what_they_leave_out():
    from kam.i18n import t
    from ui.insights import _OWN_HELP
    assert "left out" in t(_OWN_HELP["accounts_at_risk"], "en", end="2026-06-30", previous="2026-03-31", n=8)
    assert "不含合同到期预警" in t(_OWN_HELP["revenue_at_risk"], "zh", end="2026-06-30", previous="2026-03-31", n=8)
    assert "no earlier value" in t(_OWN_HELP["contracts_expiring"], "en", end="2026-06-30", previous="—", n=1)
