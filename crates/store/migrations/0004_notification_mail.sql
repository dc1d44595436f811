-- Notifications still to be e-mailed: sent after the change that made
-- them has committed, so a failed mail never undoes a case change.
ALTER TABLE notifications ADD COLUMN emailed_at BIGINT;
