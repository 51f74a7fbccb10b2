-- "Was this helpful?": one vote per answer (per question-log row), by the
-- learner who asked. A 👎 puts the question on the console's unanswered
-- page beside the answer it got; the dashboard charts the share of 👎 per
-- week. /forget deletes the learner's votes (the question-log row itself
-- stays, anonymised, for statistics); a purged log row takes its vote along.
CREATE TABLE answer_feedback (
    question_id INTEGER PRIMARY KEY REFERENCES question_log(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    voted_at TEXT NOT NULL,
    -- The button press (callback query id) that voted: the same press
    -- handled again after a crash is told what it was told the first time.
    press_id TEXT
);
CREATE INDEX answer_feedback_user ON answer_feedback(user_id);
CREATE INDEX answer_feedback_voted ON answer_feedback(vote, voted_at);
