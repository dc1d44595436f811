-- Repeated outcome measurements of a consultation's client. They are case
-- content: read and written only through the case's access rule. `headline`
-- is the figure compared over time (GAS T-score, CGAS score, HoNOSCA total,
-- SDQ total); `detail` holds the measurement itself as JSON.
CREATE TABLE consultation_outcomes (
    id TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations(id),
    instrument TEXT NOT NULL CHECK (instrument IN ('gas', 'cgas', 'honosca', 'sdq')),
    measured_on TEXT NOT NULL,
    headline DOUBLE PRECISION NOT NULL,
    detail TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX consultation_outcomes_case ON consultation_outcomes(consultation_id, measured_on);

-- The two close-out questions eConsult studies report (Champlain BASE), so
-- our figures compare with theirs. Older feedback has neither.
ALTER TABLE consultation_feedback ADD COLUMN outcome TEXT CHECK (outcome IN ('confirmed_plan', 'new_advice', 'not_useful'));
ALTER TABLE consultation_feedback ADD COLUMN referral TEXT CHECK (referral IN ('avoided', 'still_needed', 'not_needed', 'initiated'));

-- When the lead's statement first came, for time-to-answer statistics (a
-- rewritten statement keeps the first time).
ALTER TABLE consultation_statements ADD COLUMN first_at BIGINT;
UPDATE consultation_statements SET first_at = at;
