"""A cheap fingerprint of the data: row counts and the newest import batch of every table a score reads.

In: a connection. Out: a tuple that changes whenever an import, an undo or an edit changes what scores read, so
the app can keep computed scores while it stays the same (counts come from table metadata: no scan).
"""
from __future__ import annotations

import duckdb

from kam import db

TABLES = ("accounts", "orders", "payments", "interactions", "contacts", "opportunities", "settings_versions",
          "import_batches", "follow_ups")


def stamp(con: duckdb.DuckDBPyConnection) -> tuple:
    """(row count per table, last import batch id and status count): equal stamps mean equal inputs."""
    counts = " , ".join(f"(SELECT count(*) FROM {db.quote_ident(t)})" for t in TABLES)
    row = db.execute(con, f"SELECT {counts}, (SELECT max(batch_id) FROM import_batches), "
                          "(SELECT count(*) FROM import_batches WHERE status = 'undone'), "
                          "(SELECT sum(version) FROM follow_ups)").fetchone()
    return tuple(row)
