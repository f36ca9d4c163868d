-- The desk's story list (稿件管理) pages by keyset in publication or
-- update order, unfiltered or filtered by a column, a unit, an author or a
-- state: each of those has an index in each order, so that a page deep in
-- 100,000 stories reads a page of index entries, as the first page does.
-- (The state in publication order is articles_published; a column and a
-- state in publication order is articles_column_published.)
CREATE INDEX articles_list_published ON articles (published_at DESC, id DESC);
CREATE INDEX articles_list_updated ON articles (updated_at DESC, id DESC);
CREATE INDEX articles_status_updated ON articles (status, updated_at DESC, id DESC);
CREATE INDEX articles_column_list_published ON articles (column_id, published_at DESC, id DESC);
CREATE INDEX articles_column_updated ON articles (column_id, updated_at DESC, id DESC);
CREATE INDEX articles_unit_published ON articles (unit_id, published_at DESC, id DESC);
CREATE INDEX articles_unit_updated ON articles (unit_id, updated_at DESC, id DESC);
CREATE INDEX articles_author_published ON articles (author_id, published_at DESC, id DESC);
CREATE INDEX articles_author_updated ON articles (author_id, updated_at DESC, id DESC);

-- "Has photos": a flag the store keeps with the story's media uses
-- (saveUses), so that the filter and its count read an index rather than
-- probe media_uses for every story (120 ms of CPU to count 100,000).
ALTER TABLE articles ADD COLUMN has_photos INTEGER NOT NULL DEFAULT 0;
UPDATE articles SET has_photos = 1 WHERE EXISTS (SELECT 1 FROM media_uses mu JOIN media m ON m.id = mu.media_id WHERE mu.article_id = articles.id AND m.content_type LIKE 'image/%');
CREATE INDEX articles_photos_published ON articles (has_photos, published_at DESC, id DESC);
CREATE INDEX articles_photos_updated ON articles (has_photos, updated_at DESC, id DESC);
