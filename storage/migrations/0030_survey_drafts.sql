-- The feedback survey is answered in steps (three ratings, then a comment).
-- Until the learner finishes, the ratings wait on their invitation; when the
-- survey is finished (or left unfinished for a day) they go to
-- survey_answers without identity and are cleared here.
ALTER TABLE survey_invitations ADD COLUMN content INTEGER CHECK (content BETWEEN 1 AND 5);
ALTER TABLE survey_invitations ADD COLUMN teacher INTEGER CHECK (teacher BETWEEN 1 AND 5);
ALTER TABLE survey_invitations ADD COLUMN organisation INTEGER
    CHECK (organisation BETWEEN 1 AND 5);
-- When the last rating came: the comment is awaited from then on.
ALTER TABLE survey_invitations ADD COLUMN rated_at TEXT;
