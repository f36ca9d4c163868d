-- A column's update period (更新周期, in days): the self-audit flags the
-- column when nothing was published in it for that long; 0 is not
-- checked. It was the setting check.stale_days.<slug> (30 days when
-- unset); columns that exist now keep what the audit held them to.
ALTER TABLE columns ADD COLUMN update_days INTEGER NOT NULL DEFAULT 0;
UPDATE columns SET update_days = COALESCE((SELECT CAST(s.value AS INTEGER) FROM settings s
    WHERE s.key = 'check.stale_days.' || columns.slug AND s.value ~ '^[0-9]{1,4}$'), 30);
DELETE FROM settings WHERE key LIKE 'check.stale\_days.%' ESCAPE '\';
