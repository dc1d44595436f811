-- When a finished case's content was removed at the end of its retention
-- period (`tukiverkko retention run`); the case's facts and the audit
-- trail of who accessed it stay.
ALTER TABLE consultations ADD COLUMN content_removed_at BIGINT;
