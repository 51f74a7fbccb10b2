-- The course card a chat showed last (a typed answer, a button, a "Did you
-- mean" pick), so that a follow-up such as "kiek kainuoja?" is read about it.
-- One row per chat, replaced by the next card; erased with the learner.
CREATE TABLE IF NOT EXISTS chat_topics (
    chat_id INTEGER PRIMARY KEY,
    user_id INTEGER,
    entry_type TEXT NOT NULL CHECK (entry_type IN ('programme', 'group')),
    entry_id TEXT NOT NULL,
    shown_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chat_topics_user ON chat_topics(user_id);
