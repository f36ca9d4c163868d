-- Search tokens made in Go (package search): bigrams and words in title and
-- body, single Chinese characters in title_chars and body_chars. Contentless:
-- the text lives in articles; the index holds only what it needs to match.
CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, title_chars, body_chars,
    tokenize = 'unicode61',
    content = '',
    contentless_delete = 1
);
