-- Optional second factor: a TOTP secret once confirmed, and one being set up.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
