-- Universities and research units a research need can be proposed to; a
-- proposed need records which one (besides when, and the contact).
CREATE TABLE research_partners (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('university', 'research_unit')),
    contact TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
ALTER TABLE research_needs ADD COLUMN partner_id TEXT REFERENCES research_partners(id);
