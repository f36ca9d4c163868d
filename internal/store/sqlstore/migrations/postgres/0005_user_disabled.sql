-- A disabled user cannot sign in; their history stays. An integer, as in
-- SQLite, so the same queries read and write it.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
