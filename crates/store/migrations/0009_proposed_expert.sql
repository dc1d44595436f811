-- The expert a requester proposed when asking from the expert's profile.
ALTER TABLE consultations ADD COLUMN proposed_expert_id TEXT REFERENCES experts(id);
