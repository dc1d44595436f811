-- Research needs raised from practice, processed the way priority-setting
-- partnerships do it. A need raised from a case keeps the case id only to
-- count needs per case: no case text is copied and no reader is shown it.
CREATE TABLE research_needs (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    population TEXT NOT NULL DEFAULT '',
    intervention TEXT NOT NULL DEFAULT '',
    comparison TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    merged_into TEXT REFERENCES research_needs(id),
    consultation_id TEXT REFERENCES consultations(id),
    centre TEXT REFERENCES centres(code),
    submitted_by TEXT NOT NULL REFERENCES users(id),
    result_url TEXT,
    partner TEXT,
    partner_contact TEXT,
    proposed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX research_needs_status ON research_needs(status);
CREATE INDEX research_needs_merged_into ON research_needs(merged_into);

-- Every status change and merge, with who and when: the need's history.
CREATE TABLE research_need_events (
    id TEXT PRIMARY KEY,
    need_id TEXT NOT NULL REFERENCES research_needs(id),
    position BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor_id TEXT REFERENCES users(id),
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX research_need_events_need ON research_need_events(need_id, position);

-- Who is told when a need moves: its submitters (also of needs merged into
-- it) and anyone who chose to follow it.
CREATE TABLE research_need_followers (
    need_id TEXT NOT NULL REFERENCES research_needs(id),
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (need_id, user_id)
);

-- The evidence checked: a systematic review or guideline with a short verdict.
CREATE TABLE research_evidence (
    id TEXT PRIMARY KEY,
    need_id TEXT NOT NULL REFERENCES research_needs(id),
    url TEXT NOT NULL,
    verdict TEXT NOT NULL,
    added_by TEXT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX research_evidence_need ON research_evidence(need_id);

-- A prioritisation round over confirmed needs; each stakeholder group
-- weighs the same however many of its members vote.
CREATE TABLE prioritisations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    needs TEXT NOT NULL,
    stakeholder_groups TEXT NOT NULL,
    closes_at BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE prioritisation_ballots (
    prioritisation_id TEXT NOT NULL REFERENCES prioritisations(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    stakeholder_group TEXT NOT NULL,
    ranking TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (prioritisation_id, user_id)
);
