-- The directory's version moves with every profile change, so a server
-- notices changes made by another process (a CLI import) before it
-- searches. Profile history keeps each earlier version.

CREATE TABLE directory_state (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO directory_state (id, version) VALUES (1, 0);

CREATE TABLE expert_history (
    id TEXT PRIMARY KEY,
    expert_id TEXT NOT NULL REFERENCES experts(id),
    version BIGINT NOT NULL,
    changed_by TEXT,
    changed_at BIGINT NOT NULL,
    snapshot TEXT NOT NULL
);
CREATE INDEX expert_history_expert ON expert_history(expert_id, version);
