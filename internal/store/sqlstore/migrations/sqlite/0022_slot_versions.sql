-- Each curated slot's version: every change to a slot's placements adds
-- one, and the slot board saves only when the version it was shown is
-- still the slot's (two editors never overwrite each other silently). A
-- conditional UPDATE of this row is the check, so it also holds between
-- two transactions on PostgreSQL (the second waits on the row lock, then
-- finds the version moved).
CREATE TABLE slot_versions (
    slot TEXT PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO slot_versions (slot, version) VALUES ('focus', 0), ('recommended', 0);
