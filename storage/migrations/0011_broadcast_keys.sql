-- The form or button a broadcast was created from: sending the same form
-- twice (a double click, a reload) creates one broadcast.
ALTER TABLE broadcasts ADD COLUMN source_key TEXT;
CREATE UNIQUE INDEX broadcasts_source ON broadcasts(source_key) WHERE source_key IS NOT NULL;
