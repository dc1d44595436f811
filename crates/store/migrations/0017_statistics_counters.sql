-- Pre-aggregated statistics. Every write that changes what the statistics
-- count updates these counters in its own transaction, so dashboards sum a
-- few thousand counters instead of reading every case. Centre and month
-- are key columns of every counter; `dim_a`/`dim_b` name up to two further
-- dimensions ('' for none) and `val_a`/`val_b` their values. `total` is a
-- sum beside the count (the change of an outcome instrument).
CREATE TABLE statistics_cells (
    kind TEXT NOT NULL,
    dim_a TEXT NOT NULL,
    dim_b TEXT NOT NULL,
    month TEXT NOT NULL,
    centre TEXT NOT NULL,
    val_a TEXT NOT NULL,
    val_b TEXT NOT NULL,
    n BIGINT NOT NULL,
    total DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, dim_a, dim_b, month, centre, val_a, val_b)
);

-- The fact each sent case was last counted with, so that its old
-- contribution can be taken away exactly when the case changes. No free
-- text: the same columns the statistics read.
CREATE TABLE statistics_cases (
    consultation_id TEXT PRIMARY KEY,
    centre TEXT NOT NULL,
    county TEXT NOT NULL,
    topics TEXT NOT NULL,
    urgency TEXT NOT NULL,
    format TEXT NOT NULL,
    month TEXT NOT NULL,
    status TEXT NOT NULL,
    sent_on TEXT,
    due_on TEXT,
    answered_on TEXT,
    usefulness BIGINT,
    referral_avoided BOOLEAN,
    referral TEXT,
    outcomes TEXT NOT NULL DEFAULT ''
);
