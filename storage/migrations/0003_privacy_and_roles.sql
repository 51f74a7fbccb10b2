-- Whose update each inbox row is, so that /my_data and /forget find them.
ALTER TABLE inbox ADD COLUMN user_id INTEGER;
CREATE INDEX inbox_user ON inbox(user_id);

-- Staff are granted by an admin; admins come from ADMIN_IDS, not from here.
CREATE TABLE roles (
    user_id INTEGER PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('staff')),
    granted_by INTEGER NOT NULL,
    granted_at TEXT NOT NULL
);

-- Who did what to what, and when: every staff or admin action, and every
-- refused attempt.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER,
    action TEXT NOT NULL,
    target TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('done', 'refused'))
);
CREATE INDEX audit_log_at ON audit_log(at);
