-- A disabled user cannot sign in; their history stays.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
