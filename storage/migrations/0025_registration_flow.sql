-- Registrations (issue 18, the bot's side): the draft a learner is filling
-- in, kept across restarts, and the messages a change of status owes.
CREATE TABLE registration_drafts (
    user_id INTEGER PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Written in the same transaction as the change that owes it (an offer, a
-- confirmation, a decline, a new registration for the staff chat), claimed
-- before sending, so a crash neither loses nor doubles one.
CREATE TABLE registration_notices (
    id INTEGER PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN
        ('confirmed', 'declined', 'offered', 'lapsed', 'staff_new', 'staff_moved')),
    data TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'sent', 'failed', 'unknown')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX registration_notices_planned ON registration_notices(id) WHERE state = 'planned';
CREATE INDEX registration_notices_registration ON registration_notices(registration_id);
