-- The coordinator's decision that a case is one for Barnahus co-operation:
-- until it is made, police and prosecution members of the panel do not see
-- the case. When and by whom; the audit log holds the same decision.
ALTER TABLE consultations ADD COLUMN barnahus_at BIGINT;
ALTER TABLE consultations ADD COLUMN barnahus_by TEXT REFERENCES users(id);

-- The catalogue service a request was made through: its response times set
-- the due date, and the case is held by the service's centre.
ALTER TABLE consultations ADD COLUMN service_id TEXT REFERENCES services(id);
