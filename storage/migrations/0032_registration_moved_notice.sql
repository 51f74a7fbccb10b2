-- A learner moved by staff to another group of the same programme is told
-- (the new dates may not suit them): a notice kind of its own. SQLite cannot
-- change a CHECK constraint, so the table is rebuilt with its rows.
CREATE TABLE registration_notices_new (
    id INTEGER PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN
        ('confirmed', 'declined', 'offered', 'lapsed', 'moved', 'staff_new', 'staff_moved')),
    data TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'sent', 'failed', 'unknown')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT INTO registration_notices_new
    SELECT id, registration_id, user_id, kind, data, state, created_at, updated_at
    FROM registration_notices;
DROP TABLE registration_notices;
ALTER TABLE registration_notices_new RENAME TO registration_notices;
CREATE INDEX registration_notices_planned ON registration_notices(id) WHERE state = 'planned';
CREATE INDEX registration_notices_registration ON registration_notices(registration_id);
