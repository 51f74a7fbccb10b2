-- Registrations (issue 18): a learner's request for a seat in one group.
-- The id is the registration number the learner is shown. Rows are never
-- keyed to the catalogue's tables (an import replaces those): group and
-- programme are the catalogue's ids as text.
--
-- Seats taken in a group = the catalogue's `seats_taken` baseline + rows in
-- pending, confirmed or offered. Every change of status happens in one
-- transaction in services/registrations (the one place for seat arithmetic).
-- The waiting list is the rows in `waiting`, in id order: the order in which
-- their confirmations reached the bot.
CREATE TABLE registrations (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    programme_id TEXT NOT NULL,
    group_id TEXT NOT NULL,
    lang TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN
        ('pending', 'confirmed', 'waiting', 'offered',
         'declined', 'cancelled', 'expired')),
    -- The details the programme asks for (name, phone, e-mail, school,
    -- subject ...), as a JSON object of field id -> text.
    details TEXT NOT NULL,
    payment TEXT NOT NULL CHECK (payment IN
        ('self', 'employer', 'employment_service', 'kursuok')),
    -- Invoice details when an employer pays (JSON object), else NULL.
    payment_details TEXT,
    consent_at TEXT NOT NULL,
    -- The draft's nonce: a double tap or a replayed update finds the row and
    -- creates nothing.
    source_key TEXT NOT NULL UNIQUE,
    -- Unix seconds (UTC) when a held offer lapses; only for `offered`.
    offer_expires_at INTEGER,
    -- Why staff declined, as they wrote it (sent to the learner).
    reason TEXT,
    -- The learner asked to stop the group's reminders.
    reminders_stopped INTEGER NOT NULL DEFAULT 0,
    staff_chat_id INTEGER,
    staff_message_id INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- One live registration per learner and group: a second one is refused with
-- the existing number.
CREATE UNIQUE INDEX registrations_live ON registrations(user_id, group_id)
    WHERE status IN ('pending', 'confirmed', 'waiting', 'offered');
CREATE INDEX registrations_group ON registrations(group_id, status, id);
CREATE INDEX registrations_user ON registrations(user_id);
CREATE INDEX registrations_offers ON registrations(offer_expires_at)
    WHERE status = 'offered';

-- Attendance per session of the group, marked by staff in the console.
CREATE TABLE attendance (
    registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('present', 'absent', 'excused')),
    actor_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (registration_id, session_id)
);

-- Certificates issued. The code is what the public verification page takes;
-- the row goes with the registration when the learner is erased, and the
-- code then verifies nothing.
CREATE TABLE certificates (
    code TEXT PRIMARY KEY,
    registration_id INTEGER NOT NULL UNIQUE
        REFERENCES registrations(id) ON DELETE CASCADE,
    holder_name TEXT NOT NULL,
    lang TEXT NOT NULL,
    hours INTEGER NOT NULL,
    issued_at TEXT NOT NULL,
    sent_at TEXT
);

-- The feedback survey after a group ends: who was asked (so it is asked
-- once) lives with the registration; the answers carry no identity.
CREATE TABLE survey_invitations (
    registration_id INTEGER PRIMARY KEY
        REFERENCES registrations(id) ON DELETE CASCADE,
    sent_at TEXT NOT NULL,
    answered INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE survey_answers (
    id INTEGER PRIMARY KEY,
    programme_id TEXT NOT NULL,
    group_id TEXT NOT NULL,
    lang TEXT NOT NULL,
    content INTEGER CHECK (content BETWEEN 1 AND 5),
    teacher INTEGER CHECK (teacher BETWEEN 1 AND 5),
    organisation INTEGER CHECK (organisation BETWEEN 1 AND 5),
    comment TEXT,
    -- The day only: a finer time could tie an answer to the invitation.
    day TEXT NOT NULL
);
CREATE INDEX survey_answers_group ON survey_answers(programme_id, group_id);
