-- Why the variants job could not decode a picture: an import checks a
-- photo's structure, not its pixels, so a well-formed file whose pixels
-- do not decode is found only when its variants are made. Empty when it
-- decoded or was not tried yet; the desk's library shows such a photo
-- marked, and the job's log names the stories that use it.
ALTER TABLE media ADD COLUMN unreadable TEXT NOT NULL DEFAULT '';
