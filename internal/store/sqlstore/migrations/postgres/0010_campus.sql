-- Campus sign-in (统一身份认证): which desk user a CAS or OpenID Connect
-- identity is (with its e-mail address and last sign-in), which unit a
-- department code of the campus directory belongs to, and which session a
-- CAS ticket opened (so the CAS server's single-logout request can end it).
CREATE TABLE identities (
    provider   TEXT COLLATE "C" NOT NULL,
    subject    TEXT COLLATE "C" NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    email      TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    seen_at    BIGINT NOT NULL DEFAULT 0,
    UNIQUE (provider, subject)
);
CREATE INDEX identities_user ON identities (user_id);

CREATE TABLE department_units (
    code    TEXT COLLATE "C" PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id)
);

-- No foreign key to sessions: a copy may leave the sessions behind, and a
-- row whose session is gone ends nothing.
CREATE TABLE campus_tickets (
    ticket_hash  TEXT PRIMARY KEY,
    session_hash TEXT NOT NULL,
    expires_at   BIGINT NOT NULL
);
