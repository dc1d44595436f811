-- Teams, the centres' national specialisations and the public catalogue of
-- consultation services. Names shown to users are kept in Finnish (required),
-- Swedish and English; code lists are ';'-joined as elsewhere.

-- What each centre specialises in nationally: the centres decide, their
-- coordinators maintain it, and triage proposes routing by it.
CREATE TABLE centre_specialisations (
    centre TEXT NOT NULL REFERENCES centres(code),
    topic TEXT NOT NULL REFERENCES taxonomy(code),
    description TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    PRIMARY KEY (centre, topic)
);

-- A team is a directory entry like a person: competence teams, Barnahus
-- teams, consultation and expert groups.
CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name_fi TEXT NOT NULL,
    name_sv TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    centre TEXT NOT NULL REFERENCES centres(code),
    counties TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '',
    methods TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    accepts_consultations BOOLEAN NOT NULL DEFAULT TRUE,
    created_by TEXT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX teams_centre ON teams(centre);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    expert_id TEXT NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
    is_lead BOOLEAN NOT NULL DEFAULT FALSE,
    position BIGINT NOT NULL,
    PRIMARY KEY (team_id, expert_id)
);

-- A centre's consultation service as the public catalogue shows it.
CREATE TABLE services (
    id TEXT PRIMARY KEY,
    centre TEXT NOT NULL REFERENCES centres(code),
    name_fi TEXT NOT NULL,
    name_sv TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT '',
    description_fi TEXT NOT NULL,
    description_sv TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '',
    formats TEXT NOT NULL DEFAULT '',
    target_group TEXT NOT NULL DEFAULT '',
    age_min BIGINT,
    age_max BIGINT,
    urgent_days BIGINT NOT NULL,
    normal_days BIGINT NOT NULL,
    planned_days BIGINT NOT NULL,
    team_id TEXT REFERENCES teams(id),
    how_to_ask TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX services_centre ON services(centre);

-- The teams a case was assigned to, named on the case; their members are
-- on the panel (consultation_experts) like anyone else.
CREATE TABLE consultation_teams (
    consultation_id TEXT NOT NULL REFERENCES consultations(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    PRIMARY KEY (consultation_id, team_id)
);
