"""Queries over many ids, in chunks that stay under SQLite's parameter limit."""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite

CHUNK = 500


async def rows_by_ids(
    conn: aiosqlite.Connection, sql: str, ids: Sequence[int]
) -> list[aiosqlite.Row]:
    """`sql` has one `{marks}` where the placeholders for the ids go."""
    out: list[aiosqlite.Row] = []
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        # Only question marks are formatted in; the ids are parameters.
        async with conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk) as cur:
            out.extend(await cur.fetchall())
    return out
