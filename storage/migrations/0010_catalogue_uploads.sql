-- A catalogue file uploaded in the web console, kept between its preview
-- (validation report and diff) and the admin's "Apply".
CREATE TABLE catalogue_uploads (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    applied_at TEXT
);
