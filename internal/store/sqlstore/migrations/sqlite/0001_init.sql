CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE columns (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id   INTEGER REFERENCES columns(id),
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE media (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    size         BIGINT NOT NULL,
    checksum     TEXT NOT NULL,
    caption      TEXT NOT NULL DEFAULT '',
    alt          TEXT NOT NULL DEFAULT '',
    credit       TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL
);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    column_id     INTEGER NOT NULL REFERENCES columns(id),
    kicker        TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL,
    subtitle      TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    lead_media_id INTEGER REFERENCES media(id),
    credits       TEXT NOT NULL DEFAULT '{}',
    status        TEXT NOT NULL,
    published_at  BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    views         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX articles_published ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_column_published ON articles (column_id, status, published_at DESC, id DESC);

CREATE TABLE placements (
    slot       TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    position   INTEGER NOT NULL,
    expires_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (slot, article_id)
);

CREATE TABLE pages (
    slug       TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
