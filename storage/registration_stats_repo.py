"""Registrations counted for the console's dashboard."""

from __future__ import annotations

import aiosqlite


async def per_week(conn: aiosqlite.Connection, since: str) -> list[tuple[str, str, int]]:
    """(week's Monday, status now, count) of registrations made since an ISO date."""
    async with conn.execute(
        "SELECT date(created_at, 'weekday 0', '-6 days') AS week, status, COUNT(*) "
        "FROM registrations WHERE created_at >= ? GROUP BY week, status ORDER BY week",
        (since,),
    ) as cur:
        return [(str(r[0]), str(r[1]), int(r[2])) for r in await cur.fetchall()]
