-- The web console (admin/). Tokens and session ids are stored as SHA-256
-- hashes: a copy of the database signs nobody in.

-- One-time sign-in links, sent by the bot on /admin.
CREATE TABLE admin_links (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE TABLE admin_sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    csrf TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'lt',
    created_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    ended_at INTEGER
);

-- Admins may also sign in with a password (argon2id).
CREATE TABLE admin_passwords (
    user_id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    set_at INTEGER NOT NULL
);

-- Failed sign-ins, by client address and by account, for throttling.
CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures(key, at);

-- Staff notes on an enquiry, never shown to the learner.
CREATE TABLE enquiry_notes (
    id INTEGER PRIMARY KEY,
    enquiry_id INTEGER NOT NULL REFERENCES enquiries(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX enquiry_notes_enquiry ON enquiry_notes(enquiry_id);

-- Full-text search over enquiries, diacritics folded ("sokiu" finds "šokių").
CREATE VIRTUAL TABLE enquiries_fts USING fts5(
    text, topic, name,
    content = 'enquiries', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER enquiries_fts_insert AFTER INSERT ON enquiries BEGIN
    INSERT INTO enquiries_fts(rowid, text, topic, name)
    VALUES (new.id, new.text, new.topic, new.name);
END;
CREATE TRIGGER enquiries_fts_delete AFTER DELETE ON enquiries BEGIN
    INSERT INTO enquiries_fts(enquiries_fts, rowid, text, topic, name)
    VALUES ('delete', old.id, old.text, old.topic, old.name);
END;
CREATE TRIGGER enquiries_fts_update AFTER UPDATE OF text, topic, name ON enquiries BEGIN
    INSERT INTO enquiries_fts(enquiries_fts, rowid, text, topic, name)
    VALUES ('delete', old.id, old.text, old.topic, old.name);
    INSERT INTO enquiries_fts(rowid, text, topic, name)
    VALUES (new.id, new.text, new.topic, new.name);
END;
INSERT INTO enquiries_fts(enquiries_fts) VALUES ('rebuild');

CREATE INDEX enquiries_created ON enquiries(created_at);
CREATE INDEX audit_log_actor ON audit_log(actor_id, at);
