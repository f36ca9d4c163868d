-- Search tokens made in Go (package search), as in SQLite's FTS5 table:
-- bigrams and words in title and body, single Chinese characters in
-- title_chars and body_chars. The tokens are space-separated already, so
-- the 'simple' configuration only splits them and keeps their positions
-- (phrase queries need them); no Chinese parser is involved.
CREATE TABLE search_index (
    article_id  BIGINT PRIMARY KEY,
    title       TSVECTOR NOT NULL,
    body        TSVECTOR NOT NULL,
    title_chars TSVECTOR NOT NULL,
    body_chars  TSVECTOR NOT NULL
);
CREATE INDEX search_index_title ON search_index USING GIN (title);
CREATE INDEX search_index_body ON search_index USING GIN (body);
CREATE INDEX search_index_title_chars ON search_index USING GIN (title_chars);
CREATE INDEX search_index_body_chars ON search_index USING GIN (body_chars);
