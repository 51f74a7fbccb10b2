-- The language a question was written in, as the conversation classifier
-- detected it (ISO 639-1, "other" for a script none of its languages use),
-- NULL when it could not be told (a word or two). The console counts the
-- learners per language: the centre's evidence for adding one.
ALTER TABLE question_log ADD COLUMN detected_lang TEXT;
CREATE INDEX question_log_detected_lang ON question_log(detected_lang);
