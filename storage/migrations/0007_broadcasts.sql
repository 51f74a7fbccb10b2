-- Staff announcements. `audience` is JSON ({"kind": ..., "id": ...}); the
-- recipients are fixed in `outbox` when the broadcast starts.
CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL,
    text_lt TEXT NOT NULL,
    text_en TEXT,
    -- An optional photo or document (a Telegram file id), the text its caption.
    media_kind TEXT CHECK (media_kind IN ('photo', 'document')),
    media_file_id TEXT,
    audience TEXT NOT NULL,
    send_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('scheduled', 'running', 'done', 'cancelled')),
    progress_chat_id INTEGER,
    progress_message_id INTEGER,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER
);
CREATE INDEX broadcasts_state ON broadcasts(state, send_at);

-- One row per recipient. A row is marked sending (committed) when its turn
-- comes, just before its request, and gets its outcome after; rows a crash
-- leaves in sending become unknown and are never sent again.
CREATE TABLE outbox (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    lang TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN
        ('pending', 'sending', 'sent', 'blocked', 'failed', 'unknown')),
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (broadcast_id, user_id)
);
CREATE INDEX outbox_pending ON outbox(broadcast_id, user_id) WHERE state = 'pending';
CREATE INDEX outbox_user ON outbox(user_id);

-- A learner who blocked the bot (403) is skipped by later broadcasts until
-- they write again; one who turned announcements off gets none.
ALTER TABLE learners ADD COLUMN inactive_since TEXT;
ALTER TABLE learners ADD COLUMN announcements INTEGER NOT NULL DEFAULT 1;
