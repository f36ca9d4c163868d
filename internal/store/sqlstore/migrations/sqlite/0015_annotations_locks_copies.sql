-- Issue 12: edit locks, annotations (批注) and working copies of published
-- stories under correction.

-- Who has a story open for editing in the desk: the page's heartbeat
-- renews seen_at; a lock whose heartbeat stopped lapses (the service
-- decides after how long). token names the page holding it.
CREATE TABLE edit_locks (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    token      TEXT NOT NULL,
    since      BIGINT NOT NULL,
    seen_at    BIGINT NOT NULL
);

-- A comment on a passage (quote, with the text around it and its position
-- as a hint, in the story's plain text), or a reply (parent_id). Nothing is
-- deleted: resolving one records who and when.
CREATE TABLE annotations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    parent_id   INTEGER REFERENCES annotations(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    quote       TEXT NOT NULL DEFAULT '',
    prefix      TEXT NOT NULL DEFAULT '',
    suffix      TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 0,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    resolved_by INTEGER REFERENCES users(id),
    resolved_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX annotations_article ON annotations (article_id, id);

-- The text of a published story under correction, while the published
-- text stays on the site; approving it replaces the published text.
CREATE TABLE working_copies (
    article_id    INTEGER PRIMARY KEY REFERENCES articles(id),
    column_id     INTEGER NOT NULL REFERENCES columns(id),
    kicker        TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL,
    subtitle      TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    lead_media_id INTEGER REFERENCES media(id),
    credits       TEXT NOT NULL DEFAULT '{}',
    correction    TEXT NOT NULL DEFAULT '',
    created_by    INTEGER REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- When a correction last replaced the published text (更新于), and the
-- public correction note (更正说明).
ALTER TABLE articles ADD COLUMN revised_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN correction TEXT NOT NULL DEFAULT '';
