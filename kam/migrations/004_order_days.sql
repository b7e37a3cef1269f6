-- Order days: the orders summed per account and calendar day, with the gap since the account's previous order day.
-- Derived from orders (kam/order_days.py rebuilds it in every transaction that writes orders, see kam/derived.py);
-- health and early warnings read it instead of grouping a million order lines on every call.
CREATE TABLE order_days (
    account_id  VARCHAR NOT NULL,
    order_date  DATE NOT NULL,
    amount      DOUBLE NOT NULL,     -- sum of the day's order lines (returns negative)
    lines       BIGINT NOT NULL,     -- order lines that day
    gap         INTEGER,             -- days since the account's previous order day; NULL on its first
    PRIMARY KEY (account_id, order_date)
);

-- What order_days was built from: a reader uses order_days only while this still matches the orders table (an
-- existing database starts with no row here, so readers use the order lines until the next write of orders).
CREATE TABLE order_days_source (
    order_lines BIGINT NOT NULL      -- count(*) of orders when order_days was built
);

