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

-- Password policy: when each password was set (for the optional expiry),
-- the hashes of the last ones (a new one may not repeat them), and the
-- sessions that must change an expired password before anything else.
ALTER TABLE users ADD COLUMN password_changed_at BIGINT NOT NULL DEFAULT 0;
UPDATE users SET password_changed_at = created_at;
ALTER TABLE sessions ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
CREATE TABLE password_history (
    user_id INTEGER NOT NULL REFERENCES users(id),
    hash    TEXT NOT NULL,
    set_at  BIGINT NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, set_at);
INSERT INTO password_history (user_id, hash, set_at) SELECT id, password_hash, created_at FROM users;
