"""The FTS5 index behind the answer engine."""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite

# (doc_type, doc_id, title, keywords, questions, summary, body)
DocRow = tuple[str, str, str, str, str, str, str]


async def replace_documents(conn: aiosqlite.Connection, rows: Sequence[DocRow]) -> None:
    await conn.execute("DELETE FROM search_index")
    await conn.executemany(
        "INSERT INTO search_index(doc_type, doc_id, title, keywords, questions, summary, body) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    # Merge the index segments now, at import time, so questions never pay for it.
    await conn.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")


async def search(
    conn: aiosqlite.Connection,
    match: str,
    weights: Sequence[float],
    limit: int,
) -> list[tuple[str, str, float]]:
    """Best documents first; the score is BM25 with field weights, larger is better."""
    # bm25() returns lower-is-better values; the two leading zeros are the
    # unindexed doc_type and doc_id columns.
    sql = (
        "SELECT doc_type, doc_id, -bm25(search_index, 0, 0, ?, ?, ?, ?, ?) AS score "
        "FROM search_index WHERE search_index MATCH ? ORDER BY score DESC LIMIT ?"
    )
    async with conn.execute(sql, (*weights, match, limit)) as cur:
        return [(r[0], r[1], float(r[2])) for r in await cur.fetchall()]


async def index_version(conn: aiosqlite.Connection) -> str | None:
    async with conn.execute("SELECT value FROM meta WHERE key = 'search_index_version'") as cur:
        row = await cur.fetchone()
    return str(row[0]) if row else None


async def set_index_version(conn: aiosqlite.Connection, version: str) -> None:
    await conn.execute(
        "INSERT INTO meta(key, value) VALUES ('search_index_version', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (version,),
    )
