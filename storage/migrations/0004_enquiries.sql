-- An enquiry: a conversation between a learner and the centre's staff.
-- Its id is the reference number the learner can quote.
CREATE TABLE enquiries (
    id INTEGER PRIMARY KEY,
    user_id INTEGER,
    lang TEXT NOT NULL,
    topic TEXT,
    programme_id TEXT,
    text TEXT NOT NULL,
    name TEXT,
    phone TEXT,
    consent_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'answered', 'closed', 'spam')),
    assignee_id INTEGER,
    -- The Telegram callback that confirmed it: a replayed update finds it
    -- here and creates no second enquiry.
    source_key TEXT NOT NULL UNIQUE,
    staff_chat_id INTEGER,
    staff_message_id INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX enquiries_user ON enquiries(user_id, created_at);
CREATE INDEX enquiries_status ON enquiries(status, updated_at);

-- Every answer and follow-up, with where it is shown on each side, so that
-- a reply to it (by staff or by the learner) finds its enquiry.
CREATE TABLE enquiry_messages (
    id INTEGER PRIMARY KEY,
    enquiry_id INTEGER NOT NULL REFERENCES enquiries(id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('learner', 'staff')),
    author_id INTEGER,
    text TEXT NOT NULL,
    source_key TEXT NOT NULL UNIQUE,
    learner_message_id INTEGER,
    staff_chat_id INTEGER,
    staff_message_id INTEGER,
    at TEXT NOT NULL
);
CREATE INDEX enquiry_messages_staff ON enquiry_messages(staff_chat_id, staff_message_id);
CREATE INDEX enquiry_messages_learner ON enquiry_messages(enquiry_id, learner_message_id);

-- A learner's enquiry being written, step by step; kept in the database so
-- that it survives a restart of the bot.
CREATE TABLE enquiry_drafts (
    user_id INTEGER PRIMARY KEY,
    step TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
