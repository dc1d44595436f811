-- Accounts can also sign in through an OpenID Connect provider. The
-- provider's (issuer, subject) pair is linked to one account, and an account
-- has at most one identity per provider.
CREATE TABLE user_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject),
    UNIQUE (issuer, user_id)
);
