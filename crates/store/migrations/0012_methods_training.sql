-- The methods catalogue: one entry per method code of the taxonomy (names
-- come from the taxonomy). A method without a row is shown as not rated.
-- Evidence ratings are recorded from their source, never computed here.
CREATE TABLE methods (
    code TEXT PRIMARY KEY,
    description_fi TEXT NOT NULL DEFAULT '',
    description_sv TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    target_group TEXT NOT NULL DEFAULT '',
    age_min BIGINT,
    age_max BIGINT,
    delivery TEXT NOT NULL DEFAULT '',
    evidence_level TEXT NOT NULL DEFAULT 'not_rated',
    rated_on TEXT,
    evidence_source TEXT,
    trainers TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    updated_by TEXT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);

-- Every saved version of an entry, with who and when.
CREATE TABLE method_versions (
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    snapshot TEXT NOT NULL,
    changed_by TEXT REFERENCES users(id),
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (code, version)
);

-- Where a method is in use: entered by coordinators per wellbeing county.
CREATE TABLE method_use (
    id TEXT PRIMARY KEY,
    method TEXT NOT NULL,
    county TEXT NOT NULL REFERENCES counties(code),
    since TEXT,
    unit TEXT NOT NULL DEFAULT '',
    added_by TEXT REFERENCES users(id),
    added_at BIGINT NOT NULL
);
CREATE INDEX method_use_method ON method_use(method);

CREATE TABLE trainings (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    method TEXT,
    format TEXT NOT NULL CHECK (format IN ('remote', 'onsite', 'hybrid')),
    link TEXT,
    location TEXT,
    capacity BIGINT NOT NULL CHECK (capacity >= 1),
    registration_closes BIGINT NOT NULL,
    required_sessions BIGINT NOT NULL,
    target_sectors TEXT NOT NULL DEFAULT '',
    trainers TEXT NOT NULL DEFAULT '',
    centre TEXT REFERENCES centres(code),
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    -- The last arrival number handed out: registrations queue in this order.
    last_arrival BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE training_sessions (
    training_id TEXT NOT NULL REFERENCES trainings(id),
    position BIGINT NOT NULL,
    starts_at BIGINT NOT NULL,
    minutes BIGINT NOT NULL,
    PRIMARY KEY (training_id, position)
);

-- A place or a place in the queue; `arrival` orders both (first come, first served).
CREATE TABLE training_registrations (
    training_id TEXT NOT NULL REFERENCES trainings(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    status TEXT NOT NULL CHECK (status IN ('registered', 'waitlisted')),
    arrival BIGINT NOT NULL,
    registered_at BIGINT NOT NULL,
    PRIMARY KEY (training_id, user_id)
);
CREATE INDEX training_registrations_queue ON training_registrations(training_id, status, arrival);

CREATE TABLE training_attendance (
    training_id TEXT NOT NULL REFERENCES trainings(id),
    position BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (training_id, position, user_id)
);

-- A certificate exists once the required sessions are attended; its code
-- is what a public page verifies.
CREATE TABLE certificates (
    code TEXT PRIMARY KEY,
    training_id TEXT NOT NULL REFERENCES trainings(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    issued_on TEXT NOT NULL,
    UNIQUE (training_id, user_id)
);
