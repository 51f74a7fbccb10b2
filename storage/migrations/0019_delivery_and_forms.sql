-- What became of a staff answer, apart from the enquiry's status: the
-- status turns "answered" only when the learner got it. NULL for a
-- learner's own message. 'pending' while it is on its way (a crash leaves it
-- so: it may have arrived), 'sent', 'refused' (with Telegram's or our
-- reason: blocked, erased, failed), 'uncertain' (no answer from Telegram).
ALTER TABLE enquiry_messages ADD COLUMN delivery TEXT
    CHECK (delivery IN ('pending', 'sent', 'refused', 'uncertain'));
ALTER TABLE enquiry_messages ADD COLUMN delivery_reason TEXT;
UPDATE enquiry_messages SET delivery = 'sent'
    WHERE direction = 'staff' AND learner_message_id IS NOT NULL;
UPDATE enquiry_messages SET delivery = 'uncertain'
    WHERE direction = 'staff' AND learner_message_id IS NULL;

-- One-time form tokens that were used: a console form that sends or
-- changes something is done once, whatever the browser sends again (Back,
-- reload, a double click). `result` is the address its answer led to, so a
-- second submission is shown the same page, saying it was done already.
CREATE TABLE used_forms (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    used_at INTEGER NOT NULL,
    result TEXT
);
CREATE INDEX used_forms_at ON used_forms(used_at);

-- The audit log says what became of a staff answer ('sent', 'refused',
-- 'uncertain', 'pending'), not 'done' for an answer the learner never got:
-- the outcome's CHECK grows (SQLite changes a CHECK by copying the table).
CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER,
    action TEXT NOT NULL,
    target TEXT,
    outcome TEXT NOT NULL
        CHECK (outcome IN ('done', 'refused', 'sent', 'uncertain', 'pending'))
);
INSERT INTO audit_log_new(id, at, actor_id, action, target, outcome)
    SELECT id, at, actor_id, action, target, outcome FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor_id, at);
