-- A registration number is given once. Erasure deletes a learner's
-- registrations, and SQLite hands the highest free id out again: the next
-- learner would get the erased one's number, which staff still see in the
-- staff chat. The highest number ever given is kept here.
CREATE TABLE IF NOT EXISTS number_high_water (
    name TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);
INSERT OR IGNORE INTO number_high_water(name, last)
    SELECT 'registrations', COALESCE(MAX(id), 0) FROM registrations;
CREATE TRIGGER IF NOT EXISTS registrations_number_high_water
AFTER INSERT ON registrations
BEGIN
    INSERT INTO number_high_water(name, last) VALUES ('registrations', NEW.id)
        ON CONFLICT(name) DO UPDATE SET last = MAX(last, excluded.last);
END;
