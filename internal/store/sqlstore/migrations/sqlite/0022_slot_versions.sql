-- Each curated slot's version: every change to a slot's placements adds
-- one, and the slot board saves only when the version it was shown is
-- still the slot's (two editors never overwrite each other silently). A
-- conditional UPDATE of this row is the check, so it also holds between
-- two transactions on PostgreSQL (the second waits on the row lock, then
-- finds the version moved). A slot without a row is at version 0 (a new
-- database stays empty, as a site copy wants it).
CREATE TABLE slot_versions (
    slot TEXT PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 0
);
