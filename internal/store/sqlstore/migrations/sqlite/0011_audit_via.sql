-- Which front door a change came through (desk, api, cli, job), so the
-- audit log tells a script's change from a person's at the desk.
ALTER TABLE audit_log ADD COLUMN via TEXT NOT NULL DEFAULT '';
