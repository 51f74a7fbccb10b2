-- Small facts about the stored data, such as which version of the search
-- index format built search_index.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
