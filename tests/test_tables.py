"""ui.tables: every table's money, shares and dates written one way, in the page's language."""
import datetime as dt
import math

import pandas as pd
from streamlit.testing.v1 import AppTest


def _table_app(lang: str) -> AppTest:
    def script():
        import datetime as dt

        import pandas as pd
        import streamlit as st

        from ui import tables
        st.session_state["lang"] = st.session_state.get("lang_for_test", "zh")
        frame = pd.DataFrame({
            "day": [dt.date(2026, 3, 1), None, None], "stamp": pd.to_datetime(["2026-03-01 14:05", None, None]),
            "share": [0.125, None, -0.00001], "note": ["a", "b", "c"]})
        tables.dataframe(frame, key="t", column_config={"day": "Day", "share": tables.percent_column("Share")})
    at = AppTest.from_function(script)
    at.session_state["lang_for_test"] = lang
    return at.run()


def test_unconfigured_dates_and_times_are_written_in_the_pages_language():
    import json
    at = _table_app("zh")
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["day"]["label"] == "Day" and columns["day"]["type_config"]["format"] == "YYYY年M月D日"
    assert columns["stamp"]["type_config"]["format"] == "YYYY年M月D日 HH:mm"
    assert "type_config" not in columns.get("note", {})
    english = json.loads(_table_app("en").dataframe[0].proto.columns)
    assert english["day"]["type_config"]["format"] == "D MMM YYYY"


def test_shares_are_shown_as_percentages_with_missing_ones_left_missing():
    at = _table_app("en")
    shown = at.dataframe[0].value
    assert shown["share"].tolist()[0] == 12.5 and pd.isna(shown["share"].tolist()[1])
    # a fall of 0.001% shows as 0.0%, not "-0.0%": rounded to the decimal shown, without a negative zero
    assert math.copysign(1.0, shown["share"].tolist()[2]) == 1.0 and shown["share"].tolist()[2] == 0.0
    assert shown["day"].tolist()[0] == dt.date(2026, 3, 1)
