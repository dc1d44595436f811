-- Whether a user also wants notifications by e-mail (in-app ones always show).
ALTER TABLE users ADD COLUMN email_notifications BOOLEAN NOT NULL DEFAULT TRUE;
