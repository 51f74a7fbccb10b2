-- The inbox gets an identity of its own. Update ids are Telegram's: after a
-- quiet week (or a restarted API server) they may start again, so a new
-- update can carry the id of an old one. A redelivered update is recognised
-- by its id AND its content; everything that hangs off an update (the reply
-- journal, uncertain replies) is keyed by the inbox row, never by the id.
CREATE TABLE inbox_v2 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    update_id INTEGER NOT NULL,
    payload TEXT NOT NULL,
    user_id INTEGER,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    -- Why it was set aside (an exception's type name, never its content).
    failure TEXT,
    received_at TEXT NOT NULL,
    done_at TEXT
);
INSERT INTO inbox_v2(update_id, payload, user_id, state, attempts, received_at, done_at)
    SELECT update_id, payload, user_id, state, attempts, received_at, done_at
    FROM inbox ORDER BY update_id;

CREATE TABLE reply_journal_v2 (
    inbox_id INTEGER NOT NULL REFERENCES inbox_v2(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    method TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sending', 'sent')),
    result TEXT,
    PRIMARY KEY (inbox_id, seq)
);
INSERT INTO reply_journal_v2(inbox_id, seq, method, state, result)
    SELECT i.id, j.seq, j.method, j.state, j.result
    FROM reply_journal j JOIN inbox_v2 i ON i.update_id = j.update_id;

CREATE TABLE uncertain_replies_v2 (
    inbox_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    method TEXT NOT NULL,
    noted_at TEXT NOT NULL,
    PRIMARY KEY (inbox_id, seq)
);
INSERT INTO uncertain_replies_v2(inbox_id, seq, method, noted_at)
    SELECT i.id, u.seq, u.method, u.noted_at
    FROM uncertain_replies u JOIN inbox_v2 i ON i.update_id = u.update_id;

DROP TABLE uncertain_replies;
DROP TABLE reply_journal;
DROP TABLE inbox;
ALTER TABLE inbox_v2 RENAME TO inbox;
ALTER TABLE reply_journal_v2 RENAME TO reply_journal;
ALTER TABLE uncertain_replies_v2 RENAME TO uncertain_replies;
CREATE INDEX inbox_update ON inbox(update_id);
CREATE INDEX inbox_pending ON inbox(state, id);
CREATE INDEX inbox_user ON inbox(user_id);
