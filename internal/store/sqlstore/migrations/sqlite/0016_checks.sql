-- Content checks (错敏检查). Each rule list (sensitive words, fixed
-- expressions, leaders, confused words, personal-data patterns, the link
-- allow-list) is kept as the plain text file editors import and export;
-- every save is a new version, the latest one in force.
CREATE TABLE check_rules (
    kind     TEXT NOT NULL,
    version  INTEGER NOT NULL,
    body     TEXT NOT NULL,
    saved_by INTEGER REFERENCES users(id),
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (kind, version)
);

-- Warn-level findings a person let through, with the reason: keys are the
-- findings' rule and text, one a line; the gate passes a story whose every
-- warn finding is acknowledged.
CREATE TABLE check_acks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    version    INTEGER NOT NULL,
    keys       TEXT NOT NULL,
    findings   TEXT NOT NULL,
    reason     TEXT NOT NULL,
    user_id    INTEGER REFERENCES users(id),
    ip         TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);
CREATE INDEX check_acks_article ON check_acks (article_id, id);

-- The self-audit (网站自查): a re-scan of every story, resumable from
-- after_id, and its rectification list (整改清单), one row a finding of a
-- story (article_id) or of a column (article_id 0): open, fixed (a later
-- scan no longer found it) or accepted with a reason.
CREATE TABLE check_audit_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT NOT NULL DEFAULT 0,
    after_id    BIGINT NOT NULL DEFAULT 0,
    scanned     INTEGER NOT NULL DEFAULT 0,
    total       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE check_audit_items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id BIGINT NOT NULL DEFAULT 0,
    column_id  BIGINT NOT NULL DEFAULT 0,
    unit_id    BIGINT NOT NULL DEFAULT 0,
    rule       TEXT NOT NULL,
    category   TEXT NOT NULL,
    level      TEXT NOT NULL,
    text       TEXT NOT NULL,
    suggestion TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'open',
    reason     TEXT NOT NULL DEFAULT '',
    found_at   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    UNIQUE (article_id, column_id, rule, text)
);
CREATE INDEX check_audit_items_unit ON check_audit_items (unit_id, status);
