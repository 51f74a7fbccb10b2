"""Broadcasts, their outbox (one row per recipient) and who may receive them."""

from __future__ import annotations

import json

import aiosqlite

from domain.broadcasts import AudienceKind, Broadcast
from domain.languages import DEFAULT_LANGUAGE, LANGUAGES, sql_list

# The language a learner is spoken to in, as services.learners.pick_language
# decides it, in SQL: their choice, else Telegram's language when it is
# English, else Lithuanian.
_LANG = (
    f"CASE WHEN l.language IN ({sql_list()}) THEN l.language "
    "WHEN lower(substr(COALESCE(l.telegram_language, ''), 1, 2)) = 'en' THEN 'en' "
    f"ELSE '{DEFAULT_LANGUAGE}' END"
)
# Audience kind -> (the recipients' user ids as a subquery, whether the
# learner's "announcements off" applies). Notices about one's own groups
# reach learners who turned announcements off.
_AUDIENCES: dict[AudienceKind, tuple[str, bool]] = {
    AudienceKind.EVERYONE: ("SELECT user_id FROM learners", True),
    AudienceKind.LT: ("SELECT user_id FROM learners", True),
    AudienceKind.EN: ("SELECT user_id FROM learners", True),
    AudienceKind.PROGRAMME: (
        "SELECT s.user_id FROM subscriptions s JOIN programme_groups g ON g.id = s.group_id "
        "WHERE g.programme_id = :target",
        False,
    ),
    AudienceKind.GROUP: ("SELECT user_id FROM subscriptions WHERE group_id = :target", False),
    AudienceKind.WAITLIST: ("SELECT user_id FROM waitlist WHERE programme_id = :target", True),
    AudienceKind.TEACHERS: (
        "SELECT s.user_id FROM subscriptions s JOIN programme_groups g ON g.id = s.group_id "
        "JOIN programmes p ON p.id = g.programme_id WHERE p.kind = 'teacher'",
        True,
    ),
    AudienceKind.STAFF: ("SELECT user_id FROM roles WHERE role = 'staff'", False),
}


def _recipients_sql(kind: str) -> str:
    """user_id, lang of every recipient of an audience (`:target` bound)."""
    ids, respects_opt_out = _AUDIENCES[AudienceKind(kind)]
    where = ["l.inactive_since IS NULL"]
    if respects_opt_out:
        where.append("COALESCE(l.announcements, 1) = 1")
    if kind in LANGUAGES:
        where.append(f"{_LANG} = '{kind}'")
    # Admins are staff too, but live in the settings, not the database:
    # they are added as :extra (a comma-separated list) for the staff audience.
    return (
        f"SELECT DISTINCT u.user_id AS user_id, {_LANG} AS lang FROM "
        f"({ids} UNION SELECT value FROM json_each(:extra)) u "
        f"LEFT JOIN learners l ON l.user_id = u.user_id WHERE {' AND '.join(where)}"
    )


async def count_recipients(
    conn: aiosqlite.Connection, kind: str, target: str | None, extra: list[int]
) -> dict[str, int]:
    """Recipients per language."""
    async with conn.execute(
        f"SELECT lang, COUNT(*) FROM ({_recipients_sql(kind)}) GROUP BY lang",
        {"target": target, "extra": json.dumps(extra)},
    ) as cur:
        return {str(r[0]): int(r[1]) for r in await cur.fetchall()}


# Audience kind -> its possible targets with how many people each has.
_TARGETS = {
    "programme": "SELECT g.programme_id, COUNT(DISTINCT s.user_id) FROM subscriptions s "
    "JOIN programme_groups g ON g.id = s.group_id GROUP BY g.programme_id",
    "group": "SELECT group_id, COUNT(DISTINCT user_id) FROM subscriptions GROUP BY group_id",
    "waitlist": "SELECT programme_id, COUNT(*) FROM waitlist GROUP BY programme_id",
}


async def audience_targets(conn: aiosqlite.Connection, kind: str) -> dict[str, int]:
    """The programmes or groups someone follows or waits for, with how many."""
    async with conn.execute(_TARGETS[kind]) as cur:
        return {str(r[0]): int(r[1]) for r in await cur.fetchall()}


_BROADCAST = (
    "id, author_id, text_lt, text_en, media_kind, media_file_id, audience, send_at, state, "
    "progress_chat_id, progress_message_id, created_at, started_at, finished_at"
)


async def create(
    conn: aiosqlite.Connection,
    *,
    author_id: int,
    text_lt: str,
    text_en: str | None,
    media_kind: str | None,
    media_file_id: str | None,
    audience: str,
    send_at: int,
    now: int,
    source_key: str | None = None,
) -> int:
    if source_key is not None:
        async with conn.execute(
            "SELECT id FROM broadcasts WHERE source_key = ?", (source_key,)
        ) as found:
            row = await found.fetchone()
        if row is not None:
            return int(row[0])
    cur = await conn.execute(
        "INSERT INTO broadcasts(author_id, text_lt, text_en, media_kind, media_file_id, "
        "audience, send_at, state, created_at, source_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?)",
        (
            author_id,
            text_lt,
            text_en,
            media_kind,
            media_file_id,
            audience,
            send_at,
            now,
            source_key,
        ),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def get(conn: aiosqlite.Connection, broadcast_id: int) -> Broadcast | None:
    async with conn.execute(
        f"SELECT {_BROADCAST} FROM broadcasts WHERE id = ?", (broadcast_id,)
    ) as cur:
        row = await cur.fetchone()
    return Broadcast(*row) if row else None


async def recent(conn: aiosqlite.Connection, limit: int) -> list[Broadcast]:
    async with conn.execute(
        f"SELECT {_BROADCAST} FROM broadcasts ORDER BY id DESC LIMIT ?", (limit,)
    ) as cur:
        return [Broadcast(*row) for row in await cur.fetchall()]


async def due_to_start(conn: aiosqlite.Connection, now: int) -> list[int]:
    async with conn.execute(
        "SELECT id FROM broadcasts WHERE state = 'scheduled' AND send_at <= ? ORDER BY id",
        (now,),
    ) as cur:
        return [int(r[0]) for r in await cur.fetchall()]


async def running(conn: aiosqlite.Connection) -> list[int]:
    async with conn.execute("SELECT id FROM broadcasts WHERE state = 'running' ORDER BY id") as cur:
        return [int(r[0]) for r in await cur.fetchall()]


async def start(
    conn: aiosqlite.Connection,
    broadcast_id: int,
    kind: str,
    target: str | None,
    extra: list[int],
    lt_only: bool,
    now: int,
) -> int:
    """Fix the recipients (one outbox row each) and mark it running."""
    lang = "'lt'" if lt_only else "lang"
    sql = _recipients_sql(kind)
    cur = await conn.execute(
        "INSERT OR IGNORE INTO outbox(broadcast_id, user_id, lang, state, updated_at) "
        f"SELECT :broadcast, user_id, {lang}, 'pending', :now FROM ({sql}) "
        # Only once: a second start (two checks racing) adds nobody later.
        "WHERE EXISTS (SELECT 1 FROM broadcasts WHERE id = :broadcast AND state = 'scheduled')",
        {"broadcast": broadcast_id, "now": now, "target": target, "extra": json.dumps(extra)},
    )
    await conn.execute(
        "UPDATE broadcasts SET state = 'running', started_at = ? WHERE id = ? "
        "AND state = 'scheduled'",
        (now, broadcast_id),
    )
    return cur.rowcount


async def set_state(
    conn: aiosqlite.Connection, broadcast_id: int, state: str, now: int, only_from: tuple[str, ...]
) -> bool:
    marks = ",".join("?" * len(only_from))
    cur = await conn.execute(
        f"UPDATE broadcasts SET state = ?, finished_at = ? WHERE id = ? AND state IN ({marks})",
        (state, now, broadcast_id, *only_from),
    )
    return cur.rowcount == 1


async def set_progress_message(
    conn: aiosqlite.Connection, broadcast_id: int, chat_id: int, message_id: int
) -> None:
    await conn.execute(
        "UPDATE broadcasts SET progress_chat_id = ?, progress_message_id = ? WHERE id = ?",
        (chat_id, message_id, broadcast_id),
    )


async def pending(
    conn: aiosqlite.Connection, broadcast_id: int, limit: int
) -> list[tuple[int, str]]:
    """(user id, language) of recipients not yet tried."""
    async with conn.execute(
        "SELECT user_id, lang FROM outbox WHERE broadcast_id = ? AND state = 'pending' "
        "ORDER BY user_id LIMIT ?",
        (broadcast_id, limit),
    ) as cur:
        return [(int(r[0]), str(r[1])) for r in await cur.fetchall()]


async def claim(conn: aiosqlite.Connection, broadcast_id: int, user_id: int, now: int) -> bool:
    cur = await conn.execute(
        "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? "
        "WHERE broadcast_id = ? AND user_id = ? AND state = 'pending' AND broadcast_id IN "
        "(SELECT id FROM broadcasts WHERE state = 'running')",
        (now, broadcast_id, user_id),
    )
    return cur.rowcount == 1


async def finish(
    conn: aiosqlite.Connection, broadcast_id: int, user_id: int, state: str, now: int
) -> None:
    await conn.execute(
        "UPDATE outbox SET state = ?, updated_at = ? WHERE broadcast_id = ? AND user_id = ? "
        "AND state = 'sending'",
        (state, now, broadcast_id, user_id),
    )


async def in_flight_to_unknown(conn: aiosqlite.Connection, now: int) -> int:
    cur = await conn.execute(
        "UPDATE outbox SET state = 'unknown', updated_at = ? WHERE state = 'sending'", (now,)
    )
    return cur.rowcount


async def figures(conn: aiosqlite.Connection, broadcast_id: int) -> dict[str, int]:
    async with conn.execute(
        "SELECT state, COUNT(*) FROM outbox WHERE broadcast_id = ? GROUP BY state",
        (broadcast_id,),
    ) as cur:
        return {str(r[0]): int(r[1]) for r in await cur.fetchall()}


async def figures_of(
    conn: aiosqlite.Connection, broadcast_ids: list[int]
) -> dict[int, dict[str, int]]:
    """figures() of several broadcasts in one query."""
    if not broadcast_ids:
        return {}
    marks = ", ".join("?" for _ in broadcast_ids)
    found: dict[int, dict[str, int]] = {i: {} for i in broadcast_ids}
    async with conn.execute(
        f"SELECT broadcast_id, state, COUNT(*) FROM outbox WHERE broadcast_id IN ({marks}) "
        "GROUP BY broadcast_id, state",
        broadcast_ids,
    ) as cur:
        for broadcast_id, state, count in await cur.fetchall():
            found[int(broadcast_id)][str(state)] = int(count)
    return found


async def set_announcements(conn: aiosqlite.Connection, user_id: int, on: bool, now: str) -> None:
    await conn.execute(
        "INSERT INTO learners(user_id, announcements, first_seen, last_seen) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET announcements = excluded.announcements",
        (user_id, int(on), now, now),
    )


async def announcements(conn: aiosqlite.Connection, user_id: int) -> bool:
    async with conn.execute(
        "SELECT announcements FROM learners WHERE user_id = ?", (user_id,)
    ) as cur:
        row = await cur.fetchone()
    return bool(row[0]) if row else True


async def attempts(conn: aiosqlite.Connection, broadcast_id: int, user_id: int) -> int:
    async with conn.execute(
        "SELECT attempts FROM outbox WHERE broadcast_id = ? AND user_id = ?",
        (broadcast_id, user_id),
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0
