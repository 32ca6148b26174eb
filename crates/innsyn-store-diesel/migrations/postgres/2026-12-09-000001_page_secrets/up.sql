-- The citizen page's sessions and logins in progress, so a restart keeps
-- them and every instance sees them. The page seals each one: `key` is
-- derived from the browser's random id (never the id), `sealed` is
-- encrypted under a key only that id gives (subject, CSRF token, ID token;
-- or the login's state, nonce and PKCE verifier). `cap_at` is the absolute
-- end, `expires_at` the idle end, moved on each use but never past the cap.
-- Small and short-lived: a reference table on Citus.
CREATE TABLE page_secrets (
    kind TEXT NOT NULL CHECK (kind IN ('session', 'pending_login')),
    key BYTEA NOT NULL,
    sealed BYTEA NOT NULL,
    cap_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX page_secrets_expires ON page_secrets (expires_at);
