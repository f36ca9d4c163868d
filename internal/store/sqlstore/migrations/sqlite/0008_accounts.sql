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

-- The audit log is a hash chain: each entry carries the hash of the one
-- before and its own (sha256 over a canonical encoding of the entry and
-- that previous hash, store.AuditHash), so a changed, inserted or deleted
-- row shows. audit_chain is the chain's head, one row (made by the first
-- insert, so a new database stays empty for a copy): inserts lock it,
-- so two at once cannot fork the chain; entries older than the retention
-- period that were purged leave their last hash here. Entries written
-- before this migration are chained when the store opens.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_chain (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_id     BIGINT NOT NULL,
    last_hash   TEXT NOT NULL,
    purged_id   BIGINT NOT NULL DEFAULT 0,
    purged_hash TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);

-- Two-factor sign-in (TOTP, RFC 6238): the shared secret of each enrolled
-- user (enabled_at 0: set up, not yet confirmed with a code), single-use
-- recovery codes kept as hashes, and sessions that must enrol before
-- anything else where the site requires it.
CREATE TABLE totp (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id),
    secret     TEXT NOT NULL,
    enabled_at BIGINT NOT NULL DEFAULT 0,
    -- the 30-second step of the last code accepted: a code works once
    last_step  BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users(id),
    hash    TEXT NOT NULL,
    used_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, hash)
);
ALTER TABLE sessions ADD COLUMN must_enrol_2fa INTEGER NOT NULL DEFAULT 0;
