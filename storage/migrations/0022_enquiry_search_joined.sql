-- Enquiry search finds a hyphenated word typed without its hyphen ("wifi"
-- finds "Wi-Fi"): a fourth column holds the text and name with hyphens
-- taken out, from a view over enquiries. The index is made again with it
-- (and its triggers).
DROP TRIGGER enquiries_fts_insert;
DROP TRIGGER enquiries_fts_delete;
DROP TRIGGER enquiries_fts_update;
DROP TABLE enquiries_fts;
CREATE VIEW enquiries_searched AS
    SELECT id, text, topic, name,
           replace(text, '-', '') || ' ' || replace(coalesce(name, ''), '-', '') AS joined
    FROM enquiries;
CREATE VIRTUAL TABLE enquiries_fts USING fts5(
    text, topic, name, joined,
    content = 'enquiries_searched', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER enquiries_fts_insert AFTER INSERT ON enquiries BEGIN
    INSERT INTO enquiries_fts(rowid, text, topic, name, joined)
    VALUES (new.id, new.text, new.topic, new.name,
            replace(new.text, '-', '') || ' ' || replace(coalesce(new.name, ''), '-', ''));
END;
CREATE TRIGGER enquiries_fts_delete AFTER DELETE ON enquiries BEGIN
    INSERT INTO enquiries_fts(enquiries_fts, rowid, text, topic, name, joined)
    VALUES ('delete', old.id, old.text, old.topic, old.name,
            replace(old.text, '-', '') || ' ' || replace(coalesce(old.name, ''), '-', ''));
END;
CREATE TRIGGER enquiries_fts_update AFTER UPDATE OF text, topic, name ON enquiries BEGIN
    INSERT INTO enquiries_fts(enquiries_fts, rowid, text, topic, name, joined)
    VALUES ('delete', old.id, old.text, old.topic, old.name,
            replace(old.text, '-', '') || ' ' || replace(coalesce(old.name, ''), '-', ''));
    INSERT INTO enquiries_fts(rowid, text, topic, name, joined)
    VALUES (new.id, new.text, new.topic, new.name,
            replace(new.text, '-', '') || ' ' || replace(coalesce(new.name, ''), '-', ''));
END;
INSERT INTO enquiries_fts(enquiries_fts) VALUES ('rebuild');
