-- The tier measures (kam/tier_measures.py) read the order days: order_days carries the day's margins, and the
-- products an account bought are kept as runs of activity (order_product_runs) instead of one row per account,
-- product and day, so product breadth at any date counts a few runs instead of grouping every product day.
-- order_days is stored sorted by account and date and numbers its accounts (order_day_accounts), so a read of every
-- account's order days is a plain scan, already in order, without a join on the account id.
DROP TABLE order_product_days;
DROP TABLE order_days;
CREATE TABLE order_days (
    account_id      VARCHAR NOT NULL,
    account_no      INTEGER NOT NULL,  -- the account's number in order_day_accounts
    order_date      DATE NOT NULL,
    amount          DOUBLE NOT NULL,   -- sum of the day's order lines (returns negative)
    lines           BIGINT NOT NULL,   -- order lines that day
    gap             INTEGER,           -- days since the account's previous order day; NULL on its first
    margin          DOUBLE,            -- sum of the day's known gross margins; NULL when no line has one
    margined_amount DOUBLE             -- sum of the amounts of the day's lines with a known margin (NULL then)
);

-- The accounts with orders, numbered 0, 1, ... in account id order.
CREATE TABLE order_day_accounts (
    account_no INTEGER NOT NULL,
    account_id VARCHAR NOT NULL
);

-- A product counts in an account's breadth at a date when the account ordered it in the 12 months to that date:
-- exactly on the days active_from <= date < active_until of one of its runs (see kam/order_days.py).
CREATE TABLE order_product_runs (
    account_id   VARCHAR NOT NULL,
    product      VARCHAR NOT NULL,
    active_from  DATE NOT NULL,        -- the run's first order day of the product
    active_until DATE NOT NULL         -- the first day whose 12 months to date hold none of the run's order days
);

-- Both rebuilt on the next read.
DELETE FROM order_days_source;
