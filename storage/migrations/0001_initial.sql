-- The catalogue: one row per entry; `data` holds the validated entry as JSON
-- (bilingual texts and optional fields), the columns hold what we query by.
CREATE TABLE centre (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL
);

CREATE TABLE departments (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE programmes (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    department_id TEXT REFERENCES departments(id),
    data TEXT NOT NULL
);
CREATE INDEX programmes_kind ON programmes(kind, department_id, position);

CREATE TABLE programme_groups (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    mode TEXT NOT NULL,
    seats INTEGER NOT NULL,
    seats_taken INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX programme_groups_programme ON programme_groups(programme_id, starts);

-- Session ids are unique within their group's list only.
CREATE TABLE group_sessions (
    group_id TEXT NOT NULL REFERENCES programme_groups(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    starts_at_utc TEXT NOT NULL,
    ends_at_utc TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (group_id, id)
);
CREATE INDEX group_sessions_start ON group_sessions(starts_at_utc);

CREATE TABLE faq (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    topic TEXT NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE catalogue_imports (
    id INTEGER PRIMARY KEY,
    imported_at TEXT NOT NULL,
    source TEXT NOT NULL,
    summary TEXT NOT NULL
);

-- The answer engine's index. Texts are normalised and stemmed in Python
-- before they get here, so the tokenizer only splits on spaces.
CREATE VIRTUAL TABLE search_index USING fts5(
    doc_type UNINDEXED,
    doc_id UNINDEXED,
    title,
    keywords,
    questions,
    summary,
    body,
    tokenize = 'unicode61'
);

CREATE TABLE learners (
    user_id INTEGER PRIMARY KEY,
    language TEXT,
    telegram_language TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);

-- Every free-text question and what the engine made of it; unanswered ones
-- are what staff review. Keyed by update id so a replayed update logs once.
CREATE TABLE question_log (
    id INTEGER PRIMARY KEY,
    update_id INTEGER,
    chat_id INTEGER,
    message_id INTEGER,
    user_id INTEGER,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    intent TEXT NOT NULL,
    top_type TEXT,
    top_id TEXT,
    score REAL,
    answered INTEGER NOT NULL,
    asked_at TEXT NOT NULL
);
-- Keyed by the message: handling a replayed update logs its question once.
-- (Update ids are not used: Telegram may start them again after a quiet week.)
CREATE UNIQUE INDEX question_log_message ON question_log(chat_id, message_id);
CREATE INDEX question_log_unanswered ON question_log(answered, asked_at);
CREATE INDEX question_log_user ON question_log(user_id);

-- Durable intake: an update is committed here before Telegram is told we
-- have it, and marked done once its handlers have finished.
CREATE TABLE inbox (
    update_id INTEGER PRIMARY KEY,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    received_at TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX inbox_pending ON inbox(state, update_id);

-- Replies handed to Telegram while handling an update (recorded before the
-- request), so that handling the same update again after a crash does not
-- send the same reply twice.
CREATE TABLE reply_journal (
    update_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    method TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sending', 'sent')),
    result TEXT,
    PRIMARY KEY (update_id, seq)
);

-- Replies that were being handed over when the bot died: Telegram may or may
-- not have delivered them, and they are not sent again. Kept for staff.
CREATE TABLE uncertain_replies (
    update_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    method TEXT NOT NULL,
    noted_at TEXT NOT NULL,
    PRIMARY KEY (update_id, seq)
);
