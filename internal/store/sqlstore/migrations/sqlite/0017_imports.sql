-- What an import brought in, so running it again updates what changed and
-- creates nothing twice: one row per item of a source (a WordPress file's
-- site, a feed, a crawled site) by its original address. kind is
-- "article" or "media"; ref_id the story or library file it became;
-- digest the sha256 of what was read (a story's fields, an image's bytes),
-- to tell a changed item from one read before and to find an image
-- already in the library under another address.
CREATE TABLE imported (
    source      TEXT NOT NULL,
    original    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    ref_id      BIGINT NOT NULL,
    digest      TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (source, original)
);
CREATE INDEX imported_digest ON imported (kind, digest);
CREATE INDEX imported_ref ON imported (kind, ref_id);

-- Old addresses that keep working: a path (as the old site had it, with
-- its query if any) answers 301 to a story (article_id) or to an address
-- (target). Looked up only when no route matches the request.
CREATE TABLE redirects (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    path       TEXT NOT NULL UNIQUE,
    article_id BIGINT NOT NULL DEFAULT 0,
    target     TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX redirects_article ON redirects (article_id);

-- An import looks each picture's checksum up in the library (an image
-- brought in before, by upload or from another source): without this
-- index that is a scan of the whole library per picture.
CREATE INDEX media_checksum ON media (checksum);
