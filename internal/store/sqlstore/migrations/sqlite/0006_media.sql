-- Media library: the untouched upload (never served) beside the served copy
-- (orientation applied, private EXIF removed), who uploaded it, the
-- responsive variants made in the background, which articles use each file,
-- and the durable jobs table that makes the variants.
ALTER TABLE media ADD COLUMN original_key TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN uploaded_by INTEGER REFERENCES users(id);
CREATE INDEX media_created ON media (created_at DESC, id DESC);

CREATE TABLE media_variants (
    media_id     INTEGER NOT NULL REFERENCES media(id),
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    key          TEXT NOT NULL UNIQUE,
    size         BIGINT NOT NULL,
    PRIMARY KEY (media_id, content_type, width)
);

CREATE TABLE media_uses (
    media_id   INTEGER NOT NULL REFERENCES media(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    PRIMARY KEY (media_id, article_id)
);
CREATE INDEX media_uses_article ON media_uses (article_id);
INSERT INTO media_uses (media_id, article_id)
    SELECT DISTINCT m.id, a.id FROM media m JOIN articles a
    ON a.lead_media_id = m.id OR a.body LIKE '%/media/' || m.id || '/%';

-- A job is claimed by setting locked_until (a lease); a finished job is
-- deleted, a failed one waits until run_at to be tried again.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL,
    ref          BIGINT NOT NULL,
    run_at       BIGINT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    UNIQUE (kind, ref)
);
CREATE INDEX jobs_due ON jobs (run_at, id);
