-- Orders without the (order_id, line_no) PRIMARY KEY index. Keeping that index cost about 1 s of every 1M-line
-- import (DuckDB builds and checks an ART index over every key), more than reading and cleaning the file. The key
-- stays unique without it: an import classifies every row against the stored keys inside its own transaction (a
-- key already stored is an update, never a second row), drops repeated keys within the file first, and holds the
-- import lock below, so two imports never insert the same new key side by side. Undo restores exact before-images.
CREATE TABLE orders_unindexed (
    order_id      VARCHAR NOT NULL,
    line_no       INTEGER NOT NULL DEFAULT 1,
    account_id    VARCHAR NOT NULL,
    order_date    DATE NOT NULL,
    amount        DOUBLE NOT NULL,        -- net of tax as exported; returns are negative
    gross_margin  DOUBLE,                 -- margin amount in currency units, NULL when unknown
    product       VARCHAR,
    quantity      DOUBLE,
    unit_price    DOUBLE,
    batch_id      INTEGER
);
INSERT INTO orders_unindexed SELECT order_id, line_no, account_id, order_date, amount, gross_margin, product, quantity,
                                    unit_price, batch_id FROM orders;
DROP TABLE orders;
ALTER TABLE orders_unindexed RENAME TO orders;

-- One row every import and undo updates first, inside its transaction: DuckDB refuses a second transaction's update
-- of a row another open transaction has updated ("Conflict on update"), so imports and undos run one at a time.
CREATE TABLE import_lock (
    lock_id    INTEGER PRIMARY KEY,
    held_by    VARCHAR,                   -- who last imported or undid
    held_at    TIMESTAMP
);
INSERT INTO import_lock VALUES (1, NULL, NULL);
