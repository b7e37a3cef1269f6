"""kam.ingest.units: the money unit a header or unit line declares -> the factor into base currency units."""
import pytest

from kam.ingest import units


@pytest.mark.parametrize(("header", "factor"), [
    ("金额（万元）", 1e4), ("单位：亿元", 1e8), ("金额(千元)", 1e3), ("(百万元)", 1e6), ("(亿元)", 1e8),
    ("金额(万美元)", 1e4), ("(千美元)", 1e3), ("单位：千美元", 1e3), ("(单位:万元)", 1e4),
    ("Amount (in thousands)", 1e3), ("Revenue ('000)", 1e3), ("Revenue ($000s)", 1e3), ("(RMB'000)", 1e3),
    ("(in thousands of USD)", 1e3), ("(thousands)", 1e3), ("Unit: thousands", 1e3), ("(ten thousand yuan)", 1e4),
    ("Revenue (k USD)", 1e3), ("($K)", 1e3), ("(EUR k)", 1e3), ("(k)", 1e3),
    ("($M)", 1e6), ("(USD m)", 1e6), ("(millions)", 1e6), ("(mn)", 1e6), ("(USD mn)", 1e6),
])
def test_a_declared_magnitude_becomes_its_factor(header, factor):
    assert units.unit_factor(header) == factor


@pytest.mark.parametrize("header", ["(USD)", "(RMB)", "金额（元）", "(EUR)"])
def test_a_currency_alone_declares_factor_one(header):
    assert units.unit_factor(header) == 1.0


@pytest.mark.parametrize("header", ["Weight (kg)", "Distance (km)", "Margin (%)", "Length (m)", "(千克)",
                                    "Top 1000 customers", "Code (21000)", "Community notes", "2025年销售订单明细"])
def test_units_of_other_things_and_numbers_in_titles_declare_nothing(header):
    assert units.unit_factor(header) is None


def test_a_header_loses_its_bracketed_unit():
    assert units.strip_units("金额（万元）") == "金额"
    assert units.strip_units("Revenue ($000s)") == "Revenue"
