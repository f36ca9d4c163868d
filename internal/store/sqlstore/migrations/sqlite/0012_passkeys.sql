-- WebAuthn passkeys, a second factor beside TOTP. The credential id and
-- public key (COSE) are kept base64url-encoded, as text on both stores.
-- sign_count is the authenticator's counter: one that does not go up
-- betrays a cloned authenticator. flags keep the backup bits the
-- authenticator had at registration, which an assertion must repeat.
CREATE TABLE passkeys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    credential_id TEXT NOT NULL UNIQUE,
    public_key    TEXT NOT NULL,
    sign_count    BIGINT NOT NULL DEFAULT 0,
    transports    TEXT NOT NULL DEFAULT '',
    flags         INTEGER NOT NULL DEFAULT 0,
    name          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- A WebAuthn ceremony under way (registering a passkey, or the second step
-- of a sign-in whose password was right): the library's session data
-- (JSON) under the hash of a random token, taken once, until expires_at.
CREATE TABLE passkey_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL,
    data       TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX passkey_challenges_expires ON passkey_challenges (expires_at);
