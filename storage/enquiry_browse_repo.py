"""Enquiries as the web console reads them: filtered, searched, paged,
exported, counted for the dashboard; the thread and staff notes of one."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import aiosqlite

from domain.enquiries import Enquiry, EnquiryFilter, ThreadMessage
from storage.enquiries_repo import _COLUMNS

_WORD = re.compile(r"\w+", re.UNICODE)


def _match(search: str, column: str | None = None) -> str | None:
    """Words of a search as an FTS5 query: every word, each as a prefix (in
    `column` only, when given). Only word characters reach FTS5, so nothing
    typed can be read as its syntax. A word typed without its hyphen ("wifi")
    finds the hyphenated one ("Wi-Fi"): the `joined` column has the text with
    its hyphens taken out."""
    words = _WORD.findall(search)
    if column is not None:
        return " ".join(f'{column} : "{w}"*' for w in words[:10]) or None
    return " ".join(f'{{text topic name joined}} : "{w}"*' for w in words[:10]) or None


def name_match(search: str) -> str | None:
    """A people search as an FTS5 query on the names in enquiries
    (diacritics folded: "zydrune" finds "Žydrūnė")."""
    return _match(search, "name")


def _where(f: EnquiryFilter) -> tuple[str, dict[str, Any]]:
    clauses = ["1 = 1"]
    params: dict[str, Any] = {}
    for column in ("status", "topic", "programme_id", "lang", "assignee_id"):
        value = getattr(f, column)
        if value is not None and value != "":
            clauses.append(f"e.{column} = :{column}")
            params[column] = value
    if f.overdue:
        clauses.append("e.escalated_at IS NOT NULL AND e.status IN ('new', 'in_progress')")
    if f.created_from:
        clauses.append("e.created_at >= :created_from")
        params["created_from"] = f.created_from
    if f.created_to:
        # Inclusive of the whole day: anything before the next day's start.
        clauses.append("e.created_at < date(:created_to, '+1 day')")
        params["created_to"] = f.created_to
    if f.phone is not None:
        clauses.append("e.phone = :phone")
        params["phone"] = f.phone
        return " AND ".join(clauses), params
    match = _match(f.search) if f.search else None
    if f.search and match is None:
        clauses.append("0 = 1")
    elif match is not None:
        clauses.append("e.id IN (SELECT rowid FROM enquiries_fts WHERE enquiries_fts MATCH :match)")
        params["match"] = match
    return " AND ".join(clauses), params


async def page(
    conn: aiosqlite.Connection, f: EnquiryFilter, limit: int, offset: int
) -> list[Enquiry]:
    where, params = _where(f)
    prefixed = ", ".join(f"e.{c.strip()}" for c in _COLUMNS.split(","))
    async with conn.execute(
        f"SELECT {prefixed} FROM enquiries e WHERE {where} ORDER BY e.id DESC "
        "LIMIT :limit OFFSET :offset",
        {**params, "limit": limit, "offset": offset},
    ) as cur:
        return [Enquiry(*r) for r in await cur.fetchall()]


async def count(conn: aiosqlite.Connection, f: EnquiryFilter) -> int:
    where, params = _where(f)
    async with conn.execute(f"SELECT COUNT(*) FROM enquiries e WHERE {where}", params) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def stream(
    conn: aiosqlite.Connection, f: EnquiryFilter, batch: int = 500
) -> AsyncIterator[Enquiry]:
    """Every matching enquiry, newest first, read in batches by id (keyset):
    memory stays the same whatever the number of rows."""
    where, params = _where(f)
    prefixed = ", ".join(f"e.{c.strip()}" for c in _COLUMNS.split(","))
    before: int | None = None
    while True:
        bound = "" if before is None else " AND e.id < :before"
        async with conn.execute(
            f"SELECT {prefixed} FROM enquiries e WHERE {where}{bound} ORDER BY e.id DESC "
            "LIMIT :batch",
            {**params, "before": before, "batch": batch},
        ) as cur:
            rows = [Enquiry(*r) for r in await cur.fetchall()]
        if not rows:
            return
        for row in rows:
            yield row
        before = rows[-1].id


async def choices(conn: aiosqlite.Connection) -> dict[str, list[str]]:
    """The values the filters offer: topics, programmes and assignees in use."""
    result: dict[str, list[str]] = {}
    for column in ("topic", "programme_id", "assignee_id"):
        async with conn.execute(
            f"SELECT DISTINCT {column} FROM enquiries WHERE {column} IS NOT NULL "
            f"ORDER BY {column} LIMIT 200"
        ) as cur:
            result[column] = [str(r[0]) for r in await cur.fetchall()]
    return result


async def status_counts(conn: aiosqlite.Connection) -> dict[str, int]:
    async with conn.execute("SELECT status, COUNT(*) FROM enquiries GROUP BY status") as cur:
        return {str(r[0]): int(r[1]) for r in await cur.fetchall()}


async def overdue_count(conn: aiosqlite.Connection) -> int:
    async with conn.execute(
        "SELECT COUNT(*) FROM enquiries WHERE escalated_at IS NOT NULL "
        "AND status IN ('new', 'in_progress')"
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def per_week_by_topic(conn: aiosqlite.Connection, since: str) -> list[tuple[str, str, int]]:
    """(week's Monday, topic, count) since an ISO date."""
    async with conn.execute(
        "SELECT date(created_at, 'weekday 0', '-6 days') AS week, "
        "COALESCE(topic, '-'), COUNT(*) FROM enquiries WHERE created_at >= ? "
        "GROUP BY week, 2 ORDER BY week",
        (since,),
    ) as cur:
        return [(str(r[0]), str(r[1]), int(r[2])) for r in await cur.fetchall()]


async def thread(conn: aiosqlite.Connection, enquiry_id: int) -> list[ThreadMessage]:
    """Every message of the enquiry, oldest first."""
    async with conn.execute(
        "SELECT id, at, direction, author_id, text, delivery, delivery_reason "
        "FROM enquiry_messages WHERE enquiry_id = ? ORDER BY id",
        (enquiry_id,),
    ) as cur:
        return [
            ThreadMessage(int(r[0]), str(r[1]), str(r[2]), r[3], str(r[4]), r[5], r[6])
            for r in await cur.fetchall()
        ]


async def add_note(
    conn: aiosqlite.Connection, enquiry_id: int, author_id: int, text: str, now: str
) -> None:
    await conn.execute(
        "INSERT INTO enquiry_notes(enquiry_id, author_id, text, at) VALUES (?, ?, ?, ?)",
        (enquiry_id, author_id, text, now),
    )


async def notes(conn: aiosqlite.Connection, enquiry_id: int) -> list[tuple[str, int, str]]:
    async with conn.execute(
        "SELECT at, author_id, text FROM enquiry_notes WHERE enquiry_id = ? ORDER BY id",
        (enquiry_id,),
    ) as cur:
        return [(str(r[0]), int(r[1]), str(r[2])) for r in await cur.fetchall()]


async def assign(
    conn: aiosqlite.Connection, enquiry_id: int, assignee: int | None, now: str
) -> bool:
    cur = await conn.execute(
        "UPDATE enquiries SET assignee_id = ?, updated_at = ? WHERE id = ?",
        (assignee, now, enquiry_id),
    )
    return cur.rowcount > 0
