-- The bot's posts in the staff chat that still show an erased learner's
-- name, phone or words. A row is written in the erasure's own transaction,
-- so a crash before the edit does not forget it, and goes once its post is
-- edited (or is gone): each post is edited once.
CREATE TABLE staff_post_erasures (
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    enquiry_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('post', 'follow_up')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);

-- Learners erased before this version: their posts are edited too (only an
-- erasure leaves an enquiry without its learner).
INSERT OR IGNORE INTO staff_post_erasures(chat_id, message_id, enquiry_id, kind, created_at)
    SELECT staff_chat_id, staff_message_id, id, 'post', updated_at FROM enquiries
    WHERE user_id IS NULL AND staff_chat_id IS NOT NULL AND staff_message_id IS NOT NULL;
INSERT OR IGNORE INTO staff_post_erasures(chat_id, message_id, enquiry_id, kind, created_at)
    SELECT m.staff_chat_id, m.staff_message_id, m.enquiry_id, 'follow_up', m.at
    FROM enquiry_messages m JOIN enquiries e ON e.id = m.enquiry_id
    WHERE e.user_id IS NULL AND m.direction = 'learner'
        AND m.staff_chat_id IS NOT NULL AND m.staff_message_id IS NOT NULL;

-- An FTS5 delete only adds a tombstone: the words of enquiries erased or
-- purged before stay in enquiries_fts_data until the index is rebuilt.
INSERT INTO enquiries_fts(enquiries_fts) VALUES ('rebuild');
