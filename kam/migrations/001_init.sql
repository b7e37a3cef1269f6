-- The canonical model. Money is in base currency units (yuan, dollars: never 万元), dates are DATE.
-- Every imported row carries batch_id: the import_batches row it came from (NULL for rows the app wrote itself).

CREATE SEQUENCE IF NOT EXISTS seq_import_batch START 1;
CREATE TABLE import_batches (
    batch_id      INTEGER PRIMARY KEY DEFAULT nextval('seq_import_batch'),
    source_file   VARCHAR NOT NULL,          -- file name as uploaded (never used as a path)
    source_sheet  VARCHAR,                   -- sheet or table inside the file
    target_table  VARCHAR,                   -- accounts, orders, ...
    imported_by   VARCHAR,
    imported_at   TIMESTAMP DEFAULT current_timestamp,
    counts        JSON,                      -- {"read": n, "created": n, "updated": n, ...}
    status        VARCHAR DEFAULT 'committed'  -- committed | undone
);

CREATE TABLE owners (
    name        VARCHAR PRIMARY KEY,   -- the salesperson as exports name them
    manager     VARCHAR,
    team        VARCHAR,
    region      VARCHAR,
    email       VARCHAR,
    active      BOOLEAN DEFAULT TRUE,
    batch_id    INTEGER
);

CREATE TABLE accounts (
    account_id         VARCHAR PRIMARY KEY,
    name               VARCHAR NOT NULL,
    industry           VARCHAR,
    region             VARCHAR,
    owner              VARCHAR,        -- owners.name
    created_date       DATE,           -- became a customer (or first order when unknown)
    contract_end_date  DATE,
    strategic          BOOLEAN DEFAULT FALSE,  -- 标杆/战略客户 flag set by the business
    extra              JSON,           -- any further attributes an export had
    batch_id           INTEGER
);

CREATE TABLE contacts (
    contact_id   VARCHAR PRIMARY KEY,
    account_id   VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    role         VARCHAR,
    phone        VARCHAR,
    email        VARCHAR,
    is_key       BOOLEAN DEFAULT FALSE,   -- decision maker / key relationship
    active_from  DATE,
    active_to    DATE,                    -- set when the person left the role: a key-contact change
    batch_id     INTEGER
);

CREATE TABLE orders (
    order_id      VARCHAR NOT NULL,
    line_no       INTEGER NOT NULL DEFAULT 1,
    account_id    VARCHAR NOT NULL,
    order_date    DATE NOT NULL,
    amount        DOUBLE NOT NULL,        -- net of tax as exported; returns are negative
    gross_margin  DOUBLE,                 -- margin amount in currency units, NULL when unknown
    product       VARCHAR,
    quantity      DOUBLE,
    unit_price    DOUBLE,
    batch_id      INTEGER,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE payments (
    invoice_id    VARCHAR PRIMARY KEY,
    account_id    VARCHAR NOT NULL,
    invoice_date  DATE,
    due_date      DATE,
    amount        DOUBLE NOT NULL,        -- invoiced
    amount_paid   DOUBLE DEFAULT 0,
    paid_date     DATE,                   -- date it was fully paid, NULL while open
    batch_id      INTEGER
);

CREATE TABLE interactions (
    interaction_id    VARCHAR PRIMARY KEY,
    account_id        VARCHAR NOT NULL,
    interaction_date  DATE NOT NULL,
    channel           VARCHAR NOT NULL,   -- visit | call | email | meeting | wechat | complaint | survey | other
    owner             VARCHAR,
    summary           VARCHAR,
    satisfaction      DOUBLE,             -- 1-5 when the source rates the contact
    nps               INTEGER,            -- 0-10 answer to "would you recommend", surveys only
    batch_id          INTEGER
);

CREATE TABLE opportunities (
    opportunity_id       VARCHAR PRIMARY KEY,
    account_id           VARCHAR,          -- may be unknown in a raw CRM export
    name                 VARCHAR,
    owner                VARCHAR,
    stage                VARCHAR NOT NULL, -- a configured stage name (settings.funnel)
    amount               DOUBLE,
    probability          DOUBLE,           -- 0-1; NULL means "use the stage default"
    created_date         DATE,
    expected_close_date  DATE,
    closed_date          DATE,
    status               VARCHAR NOT NULL DEFAULT 'open',  -- open | won | lost
    loss_reason          VARCHAR,
    batch_id             INTEGER
);

CREATE TABLE opportunity_stage_history (
    opportunity_id  VARCHAR NOT NULL,
    stage           VARCHAR NOT NULL,
    entered_date    DATE NOT NULL,
    batch_id        INTEGER,
    PRIMARY KEY (opportunity_id, stage, entered_date)
);

CREATE SEQUENCE IF NOT EXISTS seq_follow_up START 1;
CREATE TABLE follow_ups (
    follow_up_id    INTEGER PRIMARY KEY DEFAULT nextval('seq_follow_up'),
    account_id      VARCHAR NOT NULL,
    owner           VARCHAR,
    due_date        DATE,
    channel         VARCHAR,
    action          VARCHAR,            -- what will be done
    status          VARCHAR NOT NULL DEFAULT 'open',   -- open | in_progress | done | cancelled
    outcome         VARCHAR,            -- what happened
    next_step       VARCHAR,
    next_step_date  DATE,
    warning_rule    VARCHAR,            -- the early-warning rule it answers, if created from a risk
    created_by      VARCHAR,
    created_at      TIMESTAMP DEFAULT current_timestamp,
    updated_by      VARCHAR,
    updated_at      TIMESTAMP DEFAULT current_timestamp,
    version         INTEGER NOT NULL DEFAULT 1,        -- optimistic lock: every update bumps it
    batch_id        INTEGER
);

CREATE SEQUENCE IF NOT EXISTS seq_follow_up_event START 1;
CREATE TABLE follow_up_events (   -- append-only audit trail; replaying it rebuilds follow_ups
    event_id      INTEGER PRIMARY KEY DEFAULT nextval('seq_follow_up_event'),
    follow_up_id  INTEGER NOT NULL,
    event_type    VARCHAR NOT NULL,  -- created | updated
    version       INTEGER NOT NULL,  -- the version the row has after this event
    changed_by    VARCHAR,
    changed_at    TIMESTAMP DEFAULT current_timestamp,
    old_values    JSON,
    new_values    JSON
);

CREATE TABLE settings_versions (
    version   INTEGER PRIMARY KEY,
    saved_at  TIMESTAMP DEFAULT current_timestamp,
    saved_by  VARCHAR,
    note      VARCHAR,
    body      JSON NOT NULL
);
