-- A registration number is given once. Erasure deletes a learner's
-- registrations, and SQLite hands the highest free id out again: the next
-- learner would get the erased one's number, which staff still see in the
-- staff chat. The highest number ever given is kept here.
CREATE TABLE IF NOT EXISTS number_high_water (
    name TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);
-- Numbers erased before this migration may still be known to staff: the
-- audit log keeps those they acted on ("12" of registration_confirmed,
-- "12:group" of registration_move, read as 12).
INSERT OR IGNORE INTO number_high_water(name, last)
    SELECT 'registrations', MAX(
        COALESCE((SELECT MAX(id) FROM registrations), 0),
        COALESCE((
            SELECT MAX(CAST(target AS INTEGER)) FROM audit_log
            WHERE action LIKE 'registration^_%' ESCAPE '^'
                AND action != 'registration_export'
        ), 0)
    );
CREATE TRIGGER IF NOT EXISTS registrations_number_high_water
AFTER INSERT ON registrations
BEGIN
    INSERT INTO number_high_water(name, last) VALUES ('registrations', NEW.id)
        ON CONFLICT(name) DO UPDATE SET last = MAX(last, excluded.last);
END;
