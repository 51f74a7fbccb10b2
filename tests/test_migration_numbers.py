"""Migrations run by number, above the database's version. Issue 18's
branches landed 0030 before 0026: a database made in between was at 30 and
would never have run 0026. The registration migrations now come after 0030;
this keeps that state of the database honest."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.database import Database, _migrations, _split_sql


def _database_at(path: Path, numbers: set[int]) -> None:
    """A database with exactly these migrations applied, as an older build left it."""
    with sqlite3.connect(path) as conn:
        for number, _name, script in _migrations():
            if number in numbers:
                for statement in _split_sql(script):
                    conn.execute(statement)
        conn.execute(f"PRAGMA user_version={max(numbers)}")


async def test_a_database_left_at_0030_gets_the_registration_migrations(tmp_path: Path) -> None:
    path = tmp_path / "at30.db"
    _database_at(path, {n for n, _, _ in _migrations() if n <= 25 or n == 30})
    db = Database(path)
    await db.open()
    await db.close()
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        [notices] = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'registration_notices'"
        ).fetchone()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    assert "registration_reason_prompts" in tables
    assert "'moved'" in notices
    assert version == max(n for n, _, _ in _migrations())


def test_migration_numbers_are_unique() -> None:
    numbers = [n for n, _, _ in _migrations()]
    assert len(numbers) == len(set(numbers))


async def test_numbers_erased_before_0034_but_known_to_the_audit_log_are_not_given_again(
    tmp_path: Path,
) -> None:
    # Registrations 2 and 3 were erased before the high-water mark existed;
    # staff confirmed 3 and moved 2, so both numbers are in the audit log.
    path = tmp_path / "at33.db"
    _database_at(path, {n for n, _, _ in _migrations() if n < 34})
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO registrations(id, user_id, programme_id, group_id, lang, status, "
            "details, payment, consent_at, source_key, created_at, updated_at) "
            "VALUES (1, 5, 'p', 'g', 'lt', 'pending', '{}', 'self', 'x', 'k1', 'x', 'x')"
        )
        for action, target in (
            ("registration_confirmed", "3"),
            ("registration_move", "2:g2"),
            ("registration_export", "99"),
        ):
            conn.execute(
                "INSERT INTO audit_log(at, actor_id, action, target, outcome) "
                "VALUES ('x', 1, ?, ?, 'done')",
                (action, target),
            )
    db = Database(path)
    await db.open()
    await db.close()
    with sqlite3.connect(path) as conn:
        [last] = conn.execute(
            "SELECT last FROM number_high_water WHERE name = 'registrations'"
        ).fetchone()
    assert last == 3
