-- Review chains (三审三校). A column may have its own chain of steps
-- (JSON: name, kind, who may take it, due hours); a column without one
-- takes its parent's, the top the default (unit review, then an editor).
CREATE TABLE review_chains (
    column_id  INTEGER PRIMARY KEY REFERENCES columns(id),
    steps      TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by INTEGER REFERENCES users(id)
);

-- Each story keeps the chain it was submitted on (JSON; '' = the default
-- chain), the step it waits at and since when.
ALTER TABLE articles ADD COLUMN review_chain TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN review_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN review_since BIGINT NOT NULL DEFAULT 0;
UPDATE articles SET review_step = 1 WHERE status = 'unit_approved';
UPDATE articles SET review_since = updated_at WHERE status IN ('submitted', 'unit_approved');

-- A decision on a step records the step (numbered from 1, 0 = none), its
-- name then, where the story went, the version decided on, the front
-- door, the preset reason and the decider's name then.
ALTER TABLE article_events ADD COLUMN step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE article_events ADD COLUMN step_name TEXT NOT NULL DEFAULT '';
ALTER TABLE article_events ADD COLUMN step_key TEXT NOT NULL DEFAULT '';
ALTER TABLE article_events ADD COLUMN to_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE article_events ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE article_events ADD COLUMN via TEXT NOT NULL DEFAULT '';
ALTER TABLE article_events ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE article_events ADD COLUMN actor_name TEXT NOT NULL DEFAULT '';
CREATE INDEX article_events_at ON article_events (at, id);

-- Who may take the step each story waits at, one row per holder key
-- ("unit:3", "editor", "chief", "user:7"): the inbox reads it by key.
CREATE TABLE review_waiting (
    holder     TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    since      BIGINT NOT NULL,
    PRIMARY KEY (holder, article_id)
);
CREATE INDEX review_waiting_since ON review_waiting (holder, since, article_id);
CREATE INDEX review_waiting_article ON review_waiting (article_id);
INSERT INTO review_waiting (holder, article_id, since)
    SELECT 'unit:' || unit_id, id, updated_at FROM articles WHERE status = 'submitted' AND unit_id IS NOT NULL;
INSERT INTO review_waiting (holder, article_id, since)
    SELECT 'editor', id, updated_at FROM articles WHERE status = 'unit_approved' OR (status = 'submitted' AND unit_id IS NULL);

