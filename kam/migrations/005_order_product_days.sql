-- Order product days: the orders summed per account, product and calendar day (derived, like order_days, and
-- rebuilt with it by kam/order_days.py when first read after orders change). The tier measures (revenue, margin,
-- product breadth in 12-month windows) read it instead of every order line.
CREATE TABLE order_product_days (
    account_id      VARCHAR NOT NULL,
    product         VARCHAR,           -- NULL when the lines name none
    order_date      DATE NOT NULL,
    amount          DOUBLE NOT NULL,   -- sum of the lines (returns negative)
    margin          DOUBLE,            -- sum of the known gross margins; NULL when no line has one
    margined_amount DOUBLE             -- sum of the amounts of the lines with a known margin
);

-- order_days without its primary key: it is rebuilt whole by one INSERT ... GROUP BY (unique by construction), and
-- keeping the index cost more than the rebuild itself.
DROP TABLE order_days;
CREATE TABLE order_days (
    account_id  VARCHAR NOT NULL,
    order_date  DATE NOT NULL,
    amount      DOUBLE NOT NULL,     -- sum of the day's order lines (returns negative)
    lines       BIGINT NOT NULL,     -- order lines that day
    gap         INTEGER              -- days since the account's previous order day; NULL on its first
);

-- What both tables were built from (kam/order_days.py): the order line count, the newest import batch and the
-- number of undone batches. Starts empty: the next read rebuilds both.
DROP TABLE order_days_source;
CREATE TABLE order_days_source (
    order_lines BIGINT NOT NULL,
    last_batch  BIGINT NOT NULL,
    undone      BIGINT NOT NULL
);
