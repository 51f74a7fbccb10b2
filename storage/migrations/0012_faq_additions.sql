-- Wordings of unanswered questions an admin added to an FAQ entry; they go
-- into the next catalogue version (downloaded from the console), so the
-- catalogue file stays the source of truth.
CREATE TABLE faq_additions (
    id INTEGER PRIMARY KEY,
    faq_id TEXT NOT NULL,
    lang TEXT NOT NULL CHECK (lang IN ('lt', 'en')),
    text TEXT NOT NULL,
    actor_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (faq_id, lang, text)
);
