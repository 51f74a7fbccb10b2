-- Registrations in the staff chat (issue 18).
-- (Numbered 0026 on the issue's branch; renumbered above 0030, which landed
-- first, so that a database already at 30 still gets it. Written to run
-- again harmlessly on one that had it as 0026.)
--
-- "Decline" under a registration's post asks for the reason in a message of
-- its own; a staff member's reply to that message is the reason sent to the
-- learner. The prompt is kept so that a reply written after a restart still
-- finds its registration (and goes with it when the learner is erased).
CREATE TABLE IF NOT EXISTS registration_reason_prompts (
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
