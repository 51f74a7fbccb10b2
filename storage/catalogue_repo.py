"""Catalogue tables: read for the bot, diffed and replaced by an import."""

from __future__ import annotations

from dataclasses import dataclass, field

import aiosqlite

KINDS = ("departments", "programmes", "groups", "sessions", "faq")


@dataclass
class CatalogueRows:
    """The catalogue flattened into table rows; `data` is the entry as JSON."""

    centre_id: str
    centre_data: str
    departments: list[tuple[str, str]] = field(default_factory=list)  # id, data
    programmes: list[tuple[str, str, str | None, str]] = field(default_factory=list)
    # id, programme_id, starts, ends, mode, seats, seats_taken, data
    groups: list[tuple[str, str, str, str, str, int, int, str]] = field(default_factory=list)
    # group_id, id, kind, starts_at_utc, ends_at_utc, data
    sessions: list[tuple[str, str, str, str, str | None, str]] = field(default_factory=list)
    faq: list[tuple[str, str, str]] = field(default_factory=list)  # id, topic, data

    def keyed(self) -> dict[str, dict[str, str]]:
        """Each kind's entries by key, for diffing against the stored ones."""
        return {
            "departments": {r[0]: r[1] for r in self.departments},
            "programmes": {r[0]: r[3] for r in self.programmes},
            "groups": {r[0]: r[7] for r in self.groups},
            "sessions": {f"{r[0]}/{r[1]}": r[5] for r in self.sessions},
            "faq": {r[0]: r[2] for r in self.faq},
        }


async def stored_keyed(conn: aiosqlite.Connection) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    queries = {
        "departments": "SELECT id, data FROM departments",
        "programmes": "SELECT id, data FROM programmes",
        "groups": "SELECT id, data FROM programme_groups",
        "sessions": "SELECT group_id || '/' || id, data FROM group_sessions",
        "faq": "SELECT id, data FROM faq",
    }
    for kind, sql in queries.items():
        async with conn.execute(sql) as cur:
            out[kind] = {row[0]: row[1] for row in await cur.fetchall()}
    return out


async def is_empty(conn: aiosqlite.Connection) -> bool:
    async with conn.execute("SELECT COUNT(*) FROM centre") as cur:
        row = await cur.fetchone()
    return not row or row[0] == 0


async def replace(conn: aiosqlite.Connection, rows: CatalogueRows) -> None:
    """Upsert every entry and delete the ones that are gone.

    Upserting keeps ids (and whatever refers to them) stable across imports;
    a plain delete-and-insert would cascade into later tables.
    """
    await conn.execute("DELETE FROM centre WHERE id != ?", (rows.centre_id,))
    await conn.execute(
        "INSERT INTO centre(id, data) VALUES (?, ?) "
        "ON CONFLICT(id) DO UPDATE SET data = excluded.data",
        (rows.centre_id, rows.centre_data),
    )
    await conn.executemany(
        "INSERT INTO departments(id, position, data) VALUES (?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET position = excluded.position, data = excluded.data",
        [(r[0], i, r[1]) for i, r in enumerate(rows.departments)],
    )
    await conn.executemany(
        "INSERT INTO programmes(id, position, kind, department_id, data) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET position = excluded.position, kind = excluded.kind, "
        "department_id = excluded.department_id, data = excluded.data",
        [(r[0], i, r[1], r[2], r[3]) for i, r in enumerate(rows.programmes)],
    )
    await conn.executemany(
        "INSERT INTO programme_groups(id, programme_id, position, starts, ends, mode, seats, "
        "seats_taken, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET programme_id = excluded.programme_id, "
        "position = excluded.position, starts = excluded.starts, ends = excluded.ends, "
        "mode = excluded.mode, seats = excluded.seats, seats_taken = excluded.seats_taken, "
        "data = excluded.data",
        [(r[0], r[1], i, *r[2:]) for i, r in enumerate(rows.groups)],
    )
    await conn.executemany(
        "INSERT INTO group_sessions(group_id, id, position, kind, starts_at_utc, ends_at_utc, "
        "data) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(group_id, id) DO UPDATE SET position = excluded.position, "
        "kind = excluded.kind, starts_at_utc = excluded.starts_at_utc, "
        "ends_at_utc = excluded.ends_at_utc, data = excluded.data",
        [(r[0], r[1], i, *r[2:]) for i, r in enumerate(rows.sessions)],
    )
    await conn.executemany(
        "INSERT INTO faq(id, position, topic, data) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET position = excluded.position, topic = excluded.topic, "
        "data = excluded.data",
        [(r[0], i, r[1], r[2]) for i, r in enumerate(rows.faq)],
    )
    keep = rows.keyed()
    await _delete_missing(conn, "group_sessions", "group_id || '/' || id", keep["sessions"])
    await _delete_missing(conn, "programme_groups", "id", keep["groups"])
    await _delete_missing(conn, "programmes", "id", keep["programmes"])
    await _delete_missing(conn, "departments", "id", keep["departments"])
    await _delete_missing(conn, "faq", "id", keep["faq"])


async def _delete_missing(
    conn: aiosqlite.Connection, table: str, key_sql: str, keep: dict[str, str]
) -> None:
    # A temporary table instead of NOT IN (...) keeps 10,000 ids under
    # SQLite's parameter limit.
    await conn.execute("CREATE TEMP TABLE IF NOT EXISTS keep_keys(key TEXT PRIMARY KEY)")
    await conn.execute("DELETE FROM keep_keys")
    await conn.executemany("INSERT INTO keep_keys(key) VALUES (?)", [(k,) for k in keep])
    # table and key_sql are constants of this module, never user input.
    await conn.execute(f"DELETE FROM {table} WHERE {key_sql} NOT IN (SELECT key FROM keep_keys)")


async def latest_import(conn: aiosqlite.Connection) -> int:
    async with conn.execute("SELECT COALESCE(MAX(id), 0) FROM catalogue_imports") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def record_import(
    conn: aiosqlite.Connection,
    imported_at: str,
    source: str,
    summary: str,
    text: str | None = None,
) -> None:
    await conn.execute(
        "INSERT INTO catalogue_imports(imported_at, source, summary, text) VALUES (?, ?, ?, ?)",
        (imported_at, source, summary, text),
    )


async def latest_text(conn: aiosqlite.Connection) -> str | None:
    """The file of the catalogue in use, as it was written (None if unknown)."""
    async with conn.execute("SELECT text FROM catalogue_imports ORDER BY id DESC LIMIT 1") as cur:
        row = await cur.fetchone()
    return str(row[0]) if row and row[0] is not None else None


@dataclass
class StoredCatalogue:
    centre: str
    departments: list[str]
    programmes: list[str]
    groups: list[tuple[str, str]]  # programme_id, data
    sessions: list[tuple[str, str]]  # group_id, data
    faq: list[str]


async def load(conn: aiosqlite.Connection) -> StoredCatalogue | None:
    async with conn.execute("SELECT data FROM centre LIMIT 1") as cur:
        centre = await cur.fetchone()
    if centre is None:
        return None

    async def column(sql: str) -> list[aiosqlite.Row]:
        async with conn.execute(sql) as cur:
            return list(await cur.fetchall())

    return StoredCatalogue(
        centre=centre[0],
        departments=[r[0] for r in await column("SELECT data FROM departments ORDER BY position")],
        programmes=[r[0] for r in await column("SELECT data FROM programmes ORDER BY position")],
        groups=[
            (r[0], r[1])
            for r in await column(
                "SELECT programme_id, data FROM programme_groups ORDER BY position"
            )
        ],
        sessions=[
            (r[0], r[1])
            for r in await column("SELECT group_id, data FROM group_sessions ORDER BY position")
        ],
        faq=[r[0] for r in await column("SELECT data FROM faq ORDER BY position")],
    )


async def session_times(conn: aiosqlite.Connection) -> dict[tuple[str, str], tuple[str, str]]:
    """(group id, session id) -> (start in UTC, data), to see what an import moves."""
    async with conn.execute("SELECT group_id, id, starts_at_utc, data FROM group_sessions") as cur:
        return {(r[0], r[1]): (r[2], r[3]) for r in await cur.fetchall()}


async def group_ids(conn: aiosqlite.Connection) -> set[str]:
    async with conn.execute("SELECT id FROM programme_groups") as cur:
        return {str(r[0]) for r in await cur.fetchall()}
