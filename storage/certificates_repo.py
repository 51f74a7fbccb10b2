"""Certificates issued (the `certificates` table) and what the public
verification page may show of one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiosqlite


@dataclass(frozen=True)
class Certificate:
    code: str
    registration_id: int
    user_id: int
    programme_id: str
    group_id: str
    holder_name: str
    lang: str
    hours: int
    issued_at: str
    sent_at: str | None


_SELECT = (
    "SELECT c.code, c.registration_id, r.user_id, r.programme_id, r.group_id, "
    "c.holder_name, c.lang, c.hours, c.issued_at, c.sent_at "
    "FROM certificates c JOIN registrations r ON r.id = c.registration_id "
)


def _certificate(row: Any) -> Certificate:
    return Certificate(
        str(row[0]),
        int(row[1]),
        int(row[2]),
        str(row[3]),
        str(row[4]),
        str(row[5]),
        str(row[6]),
        int(row[7]),
        str(row[8]),
        str(row[9]) if row[9] is not None else None,
    )


async def issue(
    conn: aiosqlite.Connection,
    code: str,
    registration_id: int,
    holder_name: str,
    lang: str,
    hours: int,
    issued_at: str,
) -> bool:
    """Store a certificate; False when the registration has one already."""
    cur = await conn.execute(
        "INSERT INTO certificates(code, registration_id, holder_name, lang, hours, issued_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(registration_id) DO NOTHING",
        (code, registration_id, holder_name, lang, hours, issued_at),
    )
    return cur.rowcount == 1


async def by_code(conn: aiosqlite.Connection, code: str) -> Certificate | None:
    async with conn.execute(_SELECT + "WHERE c.code = ?", (code,)) as cur:
        row = await cur.fetchone()
    return _certificate(row) if row is not None else None


async def of_registration(conn: aiosqlite.Connection, registration_id: int) -> Certificate | None:
    async with conn.execute(_SELECT + "WHERE c.registration_id = ?", (registration_id,)) as cur:
        row = await cur.fetchone()
    return _certificate(row) if row is not None else None


async def of_group(conn: aiosqlite.Connection, group_id: str) -> list[Certificate]:
    async with conn.execute(
        _SELECT + "WHERE r.group_id = ? ORDER BY c.issued_at, c.registration_id", (group_id,)
    ) as cur:
        return [_certificate(row) async for row in cur]


async def recent(conn: aiosqlite.Connection, limit: int) -> list[Certificate]:
    async with conn.execute(
        _SELECT + "ORDER BY c.issued_at DESC, c.registration_id DESC LIMIT ?", (limit,)
    ) as cur:
        return [_certificate(row) async for row in cur]


async def sent(conn: aiosqlite.Connection, code: str, at: str) -> None:
    await conn.execute("UPDATE certificates SET sent_at = ? WHERE code = ?", (at, code))


async def of_user(conn: aiosqlite.Connection, user_id: int) -> list[dict[str, str]]:
    """A learner's certificates, for /my_data."""
    async with conn.execute(
        "SELECT r.group_id, c.code, c.issued_at FROM certificates c "
        "JOIN registrations r ON r.id = c.registration_id WHERE r.user_id = ? "
        "ORDER BY c.issued_at",
        (user_id,),
    ) as cur:
        return [
            {"group_id": str(g), "code": str(code), "issued_at": str(at)}
            async for g, code, at in cur
        ]
