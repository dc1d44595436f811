-- A reminder goes out once per person and session, however many nodes
-- run the sweep: the key refuses a second one.
CREATE TABLE training_reminders (
    training_id TEXT NOT NULL REFERENCES trainings(id),
    position BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (training_id, position, user_id)
);

-- Feedback from those who attended, one answer each. The person is kept
-- only to refuse a second answer; results are shown as means over at
-- least the statistics threshold of answers.
CREATE TABLE training_feedback (
    training_id TEXT NOT NULL REFERENCES trainings(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    rating BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    applicable BIGINT NOT NULL CHECK (applicable BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    given_at BIGINT NOT NULL,
    PRIMARY KEY (training_id, user_id)
);
