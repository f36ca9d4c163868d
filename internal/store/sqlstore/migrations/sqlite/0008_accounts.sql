-- Failed sign-ins, counted per account, per address and per both, so that
-- guesses slow down the guesser rather than lock the account for everyone.
-- Rows older than the counting window are deleted as new ones come.
CREATE TABLE sign_in_failures (
    username TEXT NOT NULL,
    ip       TEXT NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_user ON sign_in_failures (username, ip, at);
CREATE INDEX sign_in_failures_ip ON sign_in_failures (ip, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);

-- When a session was last used, for the idle time-out and the user's list
-- of their sessions; written at most once a minute per session.
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;
