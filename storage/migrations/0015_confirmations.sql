-- A final button's request (so far /forget's "Erase everything?"): the
-- random nonce travels in the buttons' callback data, and only the learner's
-- newest open request acts. What became of the others is kept so that a
-- stale press is told the truth ("your data was kept"). Erasing the learner
-- (deleting their learners row) unlinks their requests: no user id is left.
CREATE TABLE confirmations (
    nonce TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id INTEGER REFERENCES learners(user_id) ON DELETE SET NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'superseded', 'kept', 'erased')),
    -- The message showing the buttons, in the learner's private chat (whose
    -- id is the user id, not stored twice), so that a newer request can
    -- take its buttons away.
    message_id INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX confirmations_user ON confirmations(user_id, kind, state);
