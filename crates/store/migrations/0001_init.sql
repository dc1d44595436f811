-- Reference data, accounts, sessions, tokens, the audit chain and the
-- expert directory. Timestamps are Unix seconds (BIGINT) so the same SQL
-- runs on SQLite and PostgreSQL and their distributed successors.

CREATE TABLE centres (
    code TEXT PRIMARY KEY,
    name_fi TEXT NOT NULL,
    name_sv TEXT NOT NULL,
    name_en TEXT NOT NULL,
    host TEXT NOT NULL
);

CREATE TABLE counties (
    code TEXT PRIMARY KEY,
    name_fi TEXT NOT NULL,
    name_sv TEXT NOT NULL,
    centre TEXT NOT NULL REFERENCES centres(code)
);

CREATE TABLE taxonomy (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('topic', 'method', 'sector')),
    label_fi TEXT NOT NULL,
    label_sv TEXT NOT NULL,
    label_en TEXT NOT NULL,
    synonyms_fi TEXT NOT NULL DEFAULT '',
    synonyms_sv TEXT NOT NULL DEFAULT '',
    synonyms_en TEXT NOT NULL DEFAULT ''
);

CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    sector TEXT NOT NULL REFERENCES taxonomy(code),
    county TEXT NOT NULL REFERENCES counties(code)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    centre TEXT REFERENCES centres(code),
    organization_id TEXT REFERENCES organizations(id),
    language TEXT NOT NULL DEFAULT 'fi',
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('requester', 'expert', 'coordinator', 'researcher', 'experience_expert', 'admin')),
    PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE experts (
    id TEXT PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,
    user_id TEXT UNIQUE REFERENCES users(id) ON DELETE SET NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    organization TEXT NOT NULL DEFAULT '',
    sector TEXT NOT NULL REFERENCES taxonomy(code),
    county TEXT NOT NULL REFERENCES counties(code),
    centre TEXT NOT NULL REFERENCES centres(code),
    languages TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '',
    methods TEXT NOT NULL DEFAULT '',
    remote BOOLEAN NOT NULL DEFAULT TRUE,
    accepts_consultations BOOLEAN NOT NULL DEFAULT TRUE,
    capacity BIGINT NOT NULL DEFAULT 3,
    bio TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL
);
CREATE INDEX experts_centre ON experts(centre);
CREATE INDEX experts_county ON experts(county);

-- Append-only: the application never updates or deletes audit rows. The
-- head is kept apart so removing the newest entries is detectable too.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id TEXT,
    actor_role TEXT,
    action TEXT NOT NULL,
    object_type TEXT,
    object_id TEXT,
    purpose TEXT,
    outcome TEXT NOT NULL,
    client_ip TEXT,
    request_id TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_object ON audit_log(object_type, object_id);
CREATE INDEX audit_actor ON audit_log(actor_id);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
