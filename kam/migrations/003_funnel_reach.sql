-- The funnel's per-deal summary of the stage history (kam.funnel_reach), kept beside the deals so that the funnel
-- bars at a million deals read one more column instead of grouping the whole history by deal.
--   funnel_reach         furthest open stage position above the first open stage that the deal's history shows
--                        (NULL: none), under the stage list fingerprinted in funnel_reach_state
--   funnel_history_last  date of the deal's last stage-history entry (NULL: no history); an as_of before it
--                        needs the history itself for that deal
-- Written only by kam.funnel_reach.refresh, which every writer calls in its transaction (kam.derived). The stage
-- labels map through Python (kam.vocab), so this migration cannot fill them: until the next write the state row is
-- missing and readers compute from the history, as they do whenever the summary is not current.
ALTER TABLE opportunities ADD COLUMN funnel_reach INTEGER;
ALTER TABLE opportunities ADD COLUMN funnel_history_last DATE;
-- the import undo log keeps whole before-images of opportunities (migration 002): same columns
ALTER TABLE ingest_undo_opportunities ADD COLUMN funnel_reach INTEGER;
ALTER TABLE ingest_undo_opportunities ADD COLUMN funnel_history_last DATE;

-- What the stored summary was computed from (one row, or none): a reader uses it only while all of these match.
CREATE TABLE funnel_reach_state (
    fingerprint    VARCHAR NOT NULL,   -- the stage list (names, kinds, order) and mapping version, as JSON
    deals          BIGINT NOT NULL,    -- count of opportunities
    history_rows   BIGINT NOT NULL,    -- count of opportunity_stage_history
    history_first  DATE,               -- min / max entered_date of the history
    history_last   DATE,
    refreshed_at   TIMESTAMP DEFAULT current_timestamp
);
