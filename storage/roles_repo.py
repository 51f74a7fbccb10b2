"""Staff roles and the audit log of staff and admin actions."""

from __future__ import annotations

import aiosqlite


async def is_staff(conn: aiosqlite.Connection, user_id: int) -> bool:
    async with conn.execute("SELECT 1 FROM roles WHERE user_id = ?", (user_id,)) as cur:
        return await cur.fetchone() is not None


async def grant_staff(conn: aiosqlite.Connection, user_id: int, by: int, at: str) -> bool:
    cur = await conn.execute(
        "INSERT INTO roles(user_id, role, granted_by, granted_at) VALUES (?, 'staff', ?, ?) "
        "ON CONFLICT(user_id) DO NOTHING",
        (user_id, by, at),
    )
    return cur.rowcount > 0


async def revoke_staff(conn: aiosqlite.Connection, user_id: int) -> bool:
    cur = await conn.execute("DELETE FROM roles WHERE user_id = ?", (user_id,))
    return cur.rowcount > 0


async def staff(conn: aiosqlite.Connection) -> list[int]:
    async with conn.execute("SELECT user_id FROM roles ORDER BY granted_at") as cur:
        return [int(r[0]) for r in await cur.fetchall()]


async def audit(
    conn: aiosqlite.Connection,
    at: str,
    actor_id: int | None,
    action: str,
    target: str | None,
    outcome: str,
) -> None:
    await conn.execute(
        "INSERT INTO audit_log(at, actor_id, action, target, outcome) VALUES (?, ?, ?, ?, ?)",
        (at, actor_id, action, target, outcome),
    )


async def audit_entries(conn: aiosqlite.Connection, limit: int = 100) -> list[tuple[str, ...]]:
    async with conn.execute(
        "SELECT at, actor_id, action, target, outcome FROM audit_log ORDER BY id DESC LIMIT ?",
        (limit,),
    ) as cur:
        return [tuple(str(v) for v in r) for r in await cur.fetchall()]


async def audit_page(
    conn: aiosqlite.Connection,
    actor_id: int | None,
    action: str | None,
    outcome: str | None,
    limit: int,
    offset: int,
) -> list[tuple[str, int | None, str, str | None, str]]:
    """(at, actor, action, target, outcome), newest first, filtered."""
    clauses = ["1 = 1"]
    params: list[object] = []
    if actor_id is not None:
        clauses.append("actor_id = ?")
        params.append(actor_id)
    if action:
        clauses.append("action LIKE ?")
        params.append(action.replace("%", "") + "%")
    if outcome:
        clauses.append("outcome = ?")
        params.append(outcome)
    async with conn.execute(
        "SELECT at, actor_id, action, target, outcome FROM audit_log "
        f"WHERE {' AND '.join(clauses)} ORDER BY id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ) as cur:
        return [(str(r[0]), r[1], str(r[2]), r[3], str(r[4])) for r in await cur.fetchall()]


async def remember_telegram_name(
    conn: aiosqlite.Connection, user_id: int, name: str, at: str
) -> None:
    await conn.execute(
        "INSERT INTO staff_names(user_id, telegram_name, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET telegram_name = excluded.telegram_name, "
        "updated_at = excluded.updated_at WHERE telegram_name IS NOT excluded.telegram_name",
        (user_id, name, at),
    )


async def set_display_name(
    conn: aiosqlite.Connection, user_id: int, name: str | None, at: str
) -> None:
    await conn.execute(
        "INSERT INTO staff_names(user_id, display_name, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET display_name = excluded.display_name, "
        "updated_at = excluded.updated_at",
        (user_id, name, at),
    )


async def forget_name(conn: aiosqlite.Connection, user_id: int) -> None:
    await conn.execute("DELETE FROM staff_names WHERE user_id = ?", (user_id,))


async def staff_names(conn: aiosqlite.Connection) -> dict[int, tuple[str | None, str | None]]:
    """user id: (the name an admin chose, the name from Telegram)."""
    async with conn.execute("SELECT user_id, display_name, telegram_name FROM staff_names") as cur:
        return {int(r[0]): (r[1], r[2]) for r in await cur.fetchall()}


async def revoked(conn: aiosqlite.Connection) -> list[int]:
    """Everyone whose staff role was taken away at some time (from the audit
    log) and who does not hold it now."""
    async with conn.execute(
        "SELECT DISTINCT CAST(target AS INTEGER) FROM audit_log "
        "WHERE action = 'revoke_staff' AND outcome = 'done' AND target GLOB '[0-9]*' "
        "AND CAST(target AS INTEGER) NOT IN (SELECT user_id FROM roles)"
    ) as cur:
        return [int(r[0]) for r in await cur.fetchall()]
