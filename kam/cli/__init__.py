"""One module per command of `python -m kam`."""
DEFAULT_DB = "data/kam.duckdb"
