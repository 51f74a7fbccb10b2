-- The names of staff and admins, as the console and the staff chat show
-- them instead of Telegram ids: the name Telegram gives (first and last),
-- kept when they use a staff feature, and the one an admin chose, which wins.
-- Dropped with the staff role (admins keep theirs: their role is a setting).
CREATE TABLE staff_names (
    user_id INTEGER PRIMARY KEY,
    telegram_name TEXT,
    display_name TEXT,
    updated_at TEXT NOT NULL
);
