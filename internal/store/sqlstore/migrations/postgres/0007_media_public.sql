-- A file an editor marked public is served to anyone, whether or not a
-- published story uses it; every other file only while one does, or to the
-- desk users who may see a story that uses it. An integer, as users.disabled
-- is, so that both stores read it the same way.
ALTER TABLE media ADD COLUMN public INTEGER NOT NULL DEFAULT 0;
