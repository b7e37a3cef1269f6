"""Plan: create / update / unchanged by key, comparing only the columns the file provides."""
import pandas as pd

from kam.ingest import plan


def test_rows_are_classified_against_the_stored_rows_by_key(tiny):
    frame = pd.DataFrame({"invoice_id": ["INV-1", "INV-2", "INV-9"], "account_id": ["A001", "A001", "A002"],
                          "invoice_date": pd.to_datetime(["2025-07-15", "2026-01-10", "2026-01-10"]),
                          "amount": [100000.0, 180001.0, 5.0]})
    assert plan.classify(tiny, "payments", frame, ("invoice_id",)).tolist() == ["unchanged", "update", "create"]


def test_columns_the_file_does_not_have_are_not_compared(tiny):
    frame = pd.DataFrame({"account_id": ["A001"], "name": ["华为技术有限公司"]})
    assert plan.classify(tiny, "accounts", frame, ("account_id",)).tolist() == ["unchanged"]


def test_helper_columns_never_reach_the_table():
    frame = pd.DataFrame(columns=["order_id", "_row", "_file", "amount", "_action"])
    assert plan.model_columns(frame) == ["order_id", "amount"]
