-- Retention: entries older than the retention period may be pruned. The
-- last pruned entry's position and hash stay here, so the chain that is
-- left still verifies from its first entry, and any other gap shows.
CREATE TABLE audit_base (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_base (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
