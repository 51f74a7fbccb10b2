"""Everything stored about one learner: to export it, and to erase it."""

from __future__ import annotations

import json
from typing import Any

import aiosqlite


async def _rows(
    conn: aiosqlite.Connection, sql: str, params: tuple[Any, ...]
) -> list[dict[str, Any]]:
    async with conn.execute(sql, params) as cur:
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in await cur.fetchall()]


async def export(conn: aiosqlite.Connection, user_id: int) -> dict[str, Any]:
    learner = await _rows(
        conn,
        "SELECT user_id, language, telegram_language, quiet_start, quiet_end, announcements, "
        "inactive_since, first_seen, last_seen FROM learners "
        "WHERE user_id = ?",
        (user_id,),
    )
    questions = await _rows(
        conn,
        "SELECT asked_at, lang, text, intent, top_type, top_id, answered FROM question_log "
        "WHERE user_id = ? ORDER BY asked_at",
        (user_id,),
    )
    messages = await _rows(
        conn,
        "SELECT update_id, received_at, state, payload FROM inbox WHERE user_id = ? "
        "ORDER BY update_id",
        (user_id,),
    )
    for message in messages:
        message["payload"] = json.loads(message["payload"])
    roles = await _rows(
        conn, "SELECT role, granted_by, granted_at FROM roles WHERE user_id = ?", (user_id,)
    )
    actions = await _rows(
        conn,
        "SELECT at, action, target, outcome FROM audit_log WHERE actor_id = ? ORDER BY at",
        (user_id,),
    )
    enquiries = await _rows(
        conn,
        "SELECT id, created_at, status, topic, programme_id, text, name, phone, consent_at "
        "FROM enquiries WHERE user_id = ? ORDER BY id",
        (user_id,),
    )
    for enquiry in enquiries:
        enquiry["messages"] = await _rows(
            conn,
            "SELECT at, direction, text FROM enquiry_messages WHERE enquiry_id = ? ORDER BY id",
            (enquiry["id"],),
        )
        enquiry["staff_notes"] = await _rows(
            conn,
            "SELECT at, text FROM enquiry_notes WHERE enquiry_id = ? ORDER BY id",
            (enquiry["id"],),
        )
    drafts = await _rows(
        conn, "SELECT step, data, updated_at FROM enquiry_drafts WHERE user_id = ?", (user_id,)
    )
    subscriptions = await _rows(
        conn,
        "SELECT group_id, choices, created_at FROM subscriptions WHERE user_id = ?",
        (user_id,),
    )
    reminders = await _rows(
        conn,
        "SELECT group_id, session_id, choice, session_starts, fire_at, state FROM reminders "
        "WHERE user_id = ? ORDER BY fire_at",
        (user_id,),
    )
    waitlist = await _rows(
        conn, "SELECT programme_id, created_at FROM waitlist WHERE user_id = ?", (user_id,)
    )
    notices = await _rows(
        conn,
        "SELECT kind, data, state, created_at FROM notices WHERE user_id = ? ORDER BY id",
        (user_id,),
    )
    announcements = await _rows(
        conn,
        "SELECT broadcast_id, lang, state, updated_at FROM outbox WHERE user_id = ? "
        "ORDER BY broadcast_id",
        (user_id,),
    )
    announcement_draft = await _rows(
        conn, "SELECT data, updated_at FROM broadcast_drafts WHERE author_id = ?", (user_id,)
    )
    return {
        "learner": learner[0] if learner else None,
        "announcements_received": announcements,
        "announcement_draft": announcement_draft[0] if announcement_draft else None,
        "subscriptions": subscriptions,
        "reminders": reminders,
        "waitlist": waitlist,
        "notices": notices,
        "enquiries": enquiries,
        "enquiry_draft": drafts[0] if drafts else None,
        "questions": questions,
        "messages_received": messages,
        "roles": roles,
        "actions": actions,
    }


async def erase(conn: aiosqlite.Connection, user_id: int) -> dict[str, int]:
    """Remove the learner's personal data; statistics keep only anonymous rows."""
    counts: dict[str, int] = {}
    cur = await conn.execute(
        "DELETE FROM reply_journal WHERE update_id IN "
        "(SELECT update_id FROM inbox WHERE user_id = ?)",
        (user_id,),
    )
    counts["reply_journal"] = cur.rowcount
    cur = await conn.execute("DELETE FROM inbox WHERE user_id = ?", (user_id,))
    counts["inbox"] = cur.rowcount
    # What was asked and whether it was answered stays for statistics; the
    # words and who asked them do not.
    cur = await conn.execute(
        "UPDATE question_log SET user_id = NULL, chat_id = NULL, message_id = NULL, "
        "update_id = NULL, text = '' WHERE user_id = ?",
        (user_id,),
    )
    counts["question_log"] = cur.rowcount
    cur = await conn.execute(
        "DELETE FROM enquiry_notes WHERE enquiry_id IN "
        "(SELECT id FROM enquiries WHERE user_id = ?)",
        (user_id,),
    )
    counts["enquiry_notes"] = cur.rowcount
    # Enquiries stay counted (status, dates, topic) but without their words,
    # contact details or the person.
    cur = await conn.execute(
        "UPDATE enquiry_messages SET text = '', author_id = NULL WHERE enquiry_id IN "
        "(SELECT id FROM enquiries WHERE user_id = ?)",
        (user_id,),
    )
    counts["enquiry_messages"] = cur.rowcount
    cur = await conn.execute(
        "UPDATE enquiries SET user_id = NULL, text = '', name = NULL, phone = NULL "
        "WHERE user_id = ?",
        (user_id,),
    )
    counts["enquiries"] = cur.rowcount
    cur = await conn.execute("DELETE FROM enquiry_drafts WHERE user_id = ?", (user_id,))
    counts["enquiry_drafts"] = cur.rowcount
    cur = await conn.execute("DELETE FROM broadcast_drafts WHERE author_id = ?", (user_id,))
    counts["broadcast_drafts"] = cur.rowcount
    for table in ("subscriptions", "reminders", "waitlist", "notices", "outbox"):
        # The table names are constants of this function, never input.
        cur = await conn.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
        counts[table] = cur.rowcount
    cur = await conn.execute("DELETE FROM learners WHERE user_id = ?", (user_id,))
    counts["learners"] = cur.rowcount
    return counts
