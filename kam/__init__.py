"""kam: key-account management on the exports companies already have.

The package is the domain: storage (db), ingest, scoring, funnel, follow-ups, settings, i18n and charts.
It never imports streamlit; the Streamlit shell lives in app.py, pages/ and ui/.
"""
