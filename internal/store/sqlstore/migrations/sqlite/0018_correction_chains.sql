-- Issue 12: corrections of published stories go through a review chain.

-- A column's correction chain (JSON steps, '' = none: the main chain);
-- a column may have one without a main chain of its own (steps '[]').
ALTER TABLE review_chains ADD COLUMN correction TEXT NOT NULL DEFAULT '';

-- Where a working copy stands in its correction chain: waiting at a step
-- (submitted, unit_approved) or back with its maker (returned), on the
-- chain it was submitted on ('' = the news centre's editor alone, as
-- copies made before this were approved).
ALTER TABLE working_copies ADD COLUMN status TEXT NOT NULL DEFAULT 'submitted';
ALTER TABLE working_copies ADD COLUMN review_chain TEXT NOT NULL DEFAULT '';
ALTER TABLE working_copies ADD COLUMN review_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE working_copies ADD COLUMN review_since BIGINT NOT NULL DEFAULT 0;
UPDATE working_copies SET review_since = updated_at;
-- A story with a copy under review waits in the inbox as the copy does.
INSERT INTO review_waiting (holder, article_id, since)
    SELECT 'editor', article_id, updated_at FROM working_copies WHERE true ON CONFLICT DO NOTHING;

-- A decision on a working copy, not on the story itself.
ALTER TABLE article_events ADD COLUMN correction INTEGER NOT NULL DEFAULT 0;
