-- Registrations in the staff chat (issue 18).
--
-- "Decline" under a registration's post asks for the reason in a message of
-- its own; a staff member's reply to that message is the reason sent to the
-- learner. The prompt is kept so that a reply written after a restart still
-- finds its registration (and goes with it when the learner is erased).
CREATE TABLE registration_reason_prompts (
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);

-- An erasure also queues the registration's staff-chat post for editing:
-- kind 'registration', its number in enquiry_id (the column names the
-- number the post is about). SQLite cannot change a CHECK, so the table is
-- copied into a new one.
CREATE TABLE staff_post_erasures_new (
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    enquiry_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('post', 'follow_up', 'registration')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
INSERT INTO staff_post_erasures_new(chat_id, message_id, enquiry_id, kind, attempts, created_at)
    SELECT chat_id, message_id, enquiry_id, kind, attempts, created_at FROM staff_post_erasures;
DROP TABLE staff_post_erasures;
ALTER TABLE staff_post_erasures_new RENAME TO staff_post_erasures;

-- A registration staff moved to another group owes the learner a message
-- ('moved', with the group it left). SQLite cannot change a CHECK either:
-- the outbox is copied into a new table with the wider list of kinds.
CREATE TABLE registration_notices_new (
    id INTEGER PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN
        ('confirmed', 'declined', 'offered', 'lapsed', 'moved', 'staff_new', 'staff_moved')),
    data TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'sent', 'failed', 'unknown')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT INTO registration_notices_new
    SELECT id, registration_id, user_id, kind, data, state, created_at, updated_at
    FROM registration_notices;
DROP TABLE registration_notices;
ALTER TABLE registration_notices_new RENAME TO registration_notices;
CREATE INDEX registration_notices_planned ON registration_notices(id) WHERE state = 'planned';
CREATE INDEX registration_notices_registration ON registration_notices(registration_id);
