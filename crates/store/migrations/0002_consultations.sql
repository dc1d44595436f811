-- Consultation cases. Free text is pseudonymous by rule (identity codes are
-- refused before storage); every read and write is in the audit log.

CREATE TABLE reference_counters (
    year BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE consultations (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    requester_id TEXT NOT NULL REFERENCES users(id),
    organization_id TEXT REFERENCES organizations(id),
    centre TEXT NOT NULL REFERENCES centres(code),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'assigned', 'answered', 'closed', 'cancelled', 'declined')),
    question TEXT NOT NULL,
    background TEXT NOT NULL DEFAULT '',
    tried TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '',
    urgency TEXT NOT NULL CHECK (urgency IN ('urgent', 'normal', 'planned')),
    format TEXT NOT NULL CHECK (format IN ('statement', 'meeting', 'visit')),
    legal_basis TEXT NOT NULL CHECK (legal_basis IN ('guardian_consent', 'child_consent', 'statutory')),
    client_age BIGINT NOT NULL CHECK (client_age BETWEEN 0 AND 25),
    client_county TEXT NOT NULL REFERENCES counties(code),
    client_services TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    submitted_at BIGINT,
    due_date TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL
);
CREATE INDEX consultations_centre_status ON consultations(centre, status);
CREATE INDEX consultations_requester ON consultations(requester_id);

CREATE TABLE consultation_experts (
    consultation_id TEXT NOT NULL REFERENCES consultations(id),
    expert_id TEXT NOT NULL REFERENCES experts(id),
    is_lead BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL CHECK (state IN ('assigned', 'accepted', 'declined')),
    reason TEXT,
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (consultation_id, expert_id)
);
CREATE INDEX consultation_experts_expert ON consultation_experts(expert_id);

CREATE TABLE consultation_events (
    id TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations(id),
    position BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor_id TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT
);
CREATE UNIQUE INDEX consultation_events_case ON consultation_events(consultation_id, position);

CREATE TABLE consultation_messages (
    id TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations(id),
    author_id TEXT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    at BIGINT NOT NULL
);

CREATE TABLE consultation_meetings (
    id TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations(id),
    starts_at BIGINT NOT NULL,
    minutes BIGINT NOT NULL CHECK (minutes BETWEEN 5 AND 480),
    link TEXT NOT NULL,
    participants TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE consultation_statements (
    consultation_id TEXT PRIMARY KEY REFERENCES consultations(id),
    author_id TEXT NOT NULL REFERENCES users(id),
    assessment TEXT NOT NULL,
    recommendations TEXT NOT NULL,
    suggested_methods TEXT NOT NULL DEFAULT '',
    follow_up TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);

CREATE TABLE consultation_feedback (
    consultation_id TEXT PRIMARY KEY REFERENCES consultations(id),
    usefulness BIGINT NOT NULL CHECK (usefulness BETWEEN 1 AND 5),
    referral_avoided BOOLEAN NOT NULL,
    would_ask_again BOOLEAN,
    comment TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);

-- Notifications name no case content, only a link.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at);
