-- A catalogue file uploaded in the web console, kept between its preview
-- (validation report and diff) and the admin's "Apply".
CREATE TABLE catalogue_uploads (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- The import in use when the diff was made: applying after another
    -- import would undo it, so it is refused.
    based_on INTEGER NOT NULL DEFAULT 0,
    applied_at TEXT
);
