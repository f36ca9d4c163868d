-- The continuous static export asks after each change which stories were
-- updated since the last update (UpdatedStubs): with this index one range
-- of it, instead of every published story's stub (100,000 of them, read
-- for each publish in an earlier build).
CREATE INDEX articles_updated ON articles (updated_at);
