-- A learner's wish to be reminded of a group's sessions. `choices` lists
-- when, as codes (services/reminders/planning.py), comma-separated.
CREATE TABLE subscriptions (
    user_id INTEGER NOT NULL,
    group_id TEXT NOT NULL,
    choices TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, group_id)
);
CREATE INDEX subscriptions_group ON subscriptions(group_id);

-- Every reminder, planned ahead: the single source of truth. Times are Unix
-- seconds (UTC). A row is claimed (sending, committed) before its request
-- and finished after it, so no restart sends it twice; a moved session gets
-- new rows (its start is part of the key) and its old planned ones are
-- cancelled, while the ones already sent stay as they were.
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    group_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    choice TEXT NOT NULL,
    session_starts INTEGER NOT NULL,
    fire_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN
        ('planned', 'sending', 'sent', 'skipped', 'cancelled', 'failed', 'unknown')),
    updated_at INTEGER NOT NULL,
    UNIQUE (user_id, group_id, session_id, choice, session_starts)
);
-- What start-up and the planner read: only planned rows, by time.
CREATE INDEX reminders_planned ON reminders(fire_at) WHERE state = 'planned';
CREATE INDEX reminders_in_flight ON reminders(state) WHERE state = 'sending';
CREATE INDEX reminders_user ON reminders(user_id, group_id);

-- Learners waiting for a programme's next group.
CREATE TABLE waitlist (
    user_id INTEGER NOT NULL,
    programme_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, programme_id)
);
CREATE INDEX waitlist_programme ON waitlist(programme_id);

-- Messages owed to learners because the catalogue changed (a session moved
-- or was cancelled, a new group opened), written in the import's own
-- transaction so that an import notifies exactly once.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('schedule_changed', 'group_opened')),
    data TEXT NOT NULL,
    send_after INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'sent', 'failed', 'unknown')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX notices_planned ON notices(send_after) WHERE state = 'planned';
CREATE INDEX notices_user ON notices(user_id);

-- Quiet hours as local "HH:MM"; NULL means the centre's default.
ALTER TABLE learners ADD COLUMN quiet_start TEXT;
ALTER TABLE learners ADD COLUMN quiet_end TEXT;
