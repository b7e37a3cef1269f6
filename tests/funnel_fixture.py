"""Shared pieces of the funnel tests: the fixture connection and its as-of date (see tests/fixtures/funnel/README)."""
import datetime as dt

AS_OF = dt.date(2026, 6, 30)
