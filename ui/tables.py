"""Tables as the app shows them: st.dataframe with a dash for a missing value, not the word "None"."""
from __future__ import annotations

import streamlit as st

MISSING = "—"


def dataframe(data, **options):
    """st.dataframe(data, **options) with missing values shown as a dash: on a meeting-room screen "None" reads as
    a fault, a dash as "no data"."""
    options.setdefault("placeholder", MISSING)
    return st.dataframe(data, **options)
