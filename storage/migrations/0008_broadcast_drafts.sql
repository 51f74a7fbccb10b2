-- The announcement a staff member is composing in the chat, step by step, so
-- that a restart of the bot does not lose what they have written.
CREATE TABLE broadcast_drafts (
    author_id INTEGER PRIMARY KEY,
    step TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
