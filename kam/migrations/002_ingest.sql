-- Import support: remembered column mappings, and the before-images that let a whole import be undone.

-- The mapping a user confirmed for a header row, keyed by the header's fingerprint (kam.ingest.mapping).
CREATE TABLE ingest_mappings (
    fingerprint   VARCHAR PRIMARY KEY,
    target_table  VARCHAR NOT NULL,
    mapping       JSON NOT NULL,          -- {"header": "column" | null}
    saved_by      VARCHAR,
    saved_at      TIMESTAMP DEFAULT current_timestamp
);

-- Per target table: for each import batch, the rows it touched. undo_action 'updated' rows hold the full row as it
-- was before the import (restored on undo); 'created' rows hold only the primary key (deleted on undo). Since the
-- import speed work, only follow-ups log 'created' keys: undo finds other created rows by their batch_id.
-- Same columns as the table (CREATE TABLE AS copies no constraints, so key-only rows fit).
CREATE TABLE ingest_undo_owners AS SELECT NULL::INTEGER AS undo_batch_id, NULL::VARCHAR AS undo_action, * FROM owners LIMIT 0;
CREATE TABLE ingest_undo_accounts AS SELECT NULL::INTEGER AS undo_batch_id, NULL::VARCHAR AS undo_action, * FROM accounts LIMIT 0;
CREATE TABLE ingest_undo_contacts AS SELECT NULL::INTEGER AS undo_batch_id, NULL::VARCHAR AS undo_action, * FROM contacts LIMIT 0;
CREATE TABLE ingest_undo_orders AS SELECT NULL::INTEGER AS undo_batch_id, NULL::VARCHAR AS undo_action, * FROM orders LIMIT 0;
CREATE TABLE ingest_undo_payments AS SELECT NULL::INTEGER AS undo_batch_id, NULL::VARCHAR AS undo_action, * FROM payments LIMIT 0;
CREATE TABLE ingest_undo_interactions AS SELECT NULL::INTEGER AS undo_batch_id, NULL::VARCHAR AS undo_action, * FROM interactions LIMIT 0;
CREATE TABLE ingest_undo_opportunities AS SELECT NULL::INTEGER AS undo_batch_id, NULL::VARCHAR AS undo_action, * FROM opportunities LIMIT 0;
CREATE TABLE ingest_undo_opportunity_stage_history AS SELECT NULL::INTEGER AS undo_batch_id, NULL::VARCHAR AS undo_action, * FROM opportunity_stage_history LIMIT 0;
CREATE TABLE ingest_undo_follow_ups AS SELECT NULL::INTEGER AS undo_batch_id, NULL::VARCHAR AS undo_action, * FROM follow_ups LIMIT 0;

-- follow_up_events rows an import appended (removed again on undo).
CREATE TABLE ingest_undo_events (
    batch_id  INTEGER NOT NULL,
    event_id  INTEGER NOT NULL
);
