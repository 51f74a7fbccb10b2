-- The text of each imported catalogue file as it was written (comments,
-- order, layout): the next version is made from it, so it keeps them.
ALTER TABLE catalogue_imports ADD COLUMN text TEXT;

-- Unanswered questions staff have dealt with: junk dismissed, or handled
-- (answered otherwise). They leave the console's work list; the question
-- log keeps them (statistics). A question whose wording reached the
-- catalogue leaves the list by itself.
CREATE TABLE unanswered_marks (
    question_id INTEGER PRIMARY KEY REFERENCES question_log(id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('dismissed', 'handled')),
    actor_id INTEGER NOT NULL,
    at TEXT NOT NULL
);

-- New FAQ entries started in the console from an unanswered question;
-- they join the next catalogue version, like the added wordings.
CREATE TABLE faq_new (
    id TEXT PRIMARY KEY,
    topic TEXT NOT NULL,
    lang TEXT NOT NULL CHECK (lang IN ('lt', 'en')),
    question TEXT NOT NULL,
    answer_lt TEXT NOT NULL,
    answer_en TEXT NOT NULL,
    actor_id INTEGER NOT NULL,
    at TEXT NOT NULL
);
