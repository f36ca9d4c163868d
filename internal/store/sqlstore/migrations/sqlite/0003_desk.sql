-- The desk: units, users and their sessions, who wrote what, every
-- transition of an article (with its comment) and every saved version.
CREATE TABLE units (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    username            TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    roles               TEXT NOT NULL,
    unit_id             INTEGER REFERENCES units(id),
    created_at          BIGINT NOT NULL
);

-- The session id is kept only as a hash: a stolen database gives no
-- usable cookie.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    csrf       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ip         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

ALTER TABLE articles ADD COLUMN author_id INTEGER REFERENCES users(id);
ALTER TABLE articles ADD COLUMN unit_id INTEGER REFERENCES units(id);
CREATE INDEX articles_author ON articles (author_id);
CREATE INDEX articles_unit_status ON articles (unit_id, status);

CREATE TABLE article_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    user_id     INTEGER REFERENCES users(id),
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX article_events_article ON article_events (article_id, id);

CREATE TABLE article_versions (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    version    INTEGER NOT NULL,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL,
    body       TEXT NOT NULL,
    saved_by   INTEGER REFERENCES users(id),
    saved_at   BIGINT NOT NULL,
    PRIMARY KEY (article_id, version)
);
