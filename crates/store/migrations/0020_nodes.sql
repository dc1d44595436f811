-- Several `serve` processes on one database: what each process used to
-- keep in its own memory now lives here, so no answer depends on which
-- node gives it.

-- Every profile change in order. A node's in-memory finder applies the
-- changes after the last one it has seen; `seq` is the directory version
-- the change produced (directory_state serialises writers, so a node that
-- sees a `seq` also sees every smaller one). A NULL expert_id stands for
-- many profiles at once: the node rebuilds.
CREATE TABLE directory_changes (
    seq BIGINT PRIMARY KEY,
    expert_id TEXT,
    changed_at BIGINT NOT NULL
);

-- Hits per key and minute for the limits that must hold across nodes
-- together (sign-in attempts, recorded refusals).
CREATE TABLE throttle (
    limit_key TEXT NOT NULL,
    minute BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (limit_key, minute)
);
CREATE INDEX throttle_minute ON throttle(minute);

-- Checked CSV uploads waiting for the uploader's confirmation, which may
-- reach another node than the upload did.
CREATE TABLE pending_imports (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    file_name TEXT NOT NULL,
    profiles TEXT NOT NULL,
    directory_version BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX pending_imports_owner ON pending_imports(owner);

-- The mail outbox: a node takes a notification to mail until this time,
-- under a token of its claim; if it dies before marking it mailed, another
-- node takes it after. The partial index finds what waits without a scan.
ALTER TABLE notifications ADD COLUMN mail_claimed_until BIGINT;
ALTER TABLE notifications ADD COLUMN mail_claimed_by TEXT;
CREATE INDEX notifications_unmailed ON notifications(created_at) WHERE emailed_at IS NULL;

-- OpenID Connect sign-ins between the redirect to the provider and its
-- callback, which may come back to another node. Keyed by a hash of the
-- flow's `state`; the row goes when the callback uses it.
CREATE TABLE oidc_flows (
    state_hash TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    next TEXT NOT NULL,
    started_at BIGINT NOT NULL
);
CREATE INDEX oidc_flows_started ON oidc_flows(started_at);
