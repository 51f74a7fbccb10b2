"""Everything stored about one learner: to export it, and to erase it."""

from __future__ import annotations

import json
from typing import Any, TypeGuard

import aiosqlite

from domain.enquiries import StaffPost
from storage import chat_topics_repo, feedback_repo


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
        "answer_votes": await feedback_repo.export(conn, user_id),
        "last_course_shown": await chat_topics_repo.export(conn, user_id),
        "registrations": await _registrations(conn, user_id),
        "messages_received": messages,
        "roles": roles,
        "actions": actions,
    }


async def _registrations(conn: aiosqlite.Connection, user_id: int) -> list[dict[str, Any]]:
    """The learner's registrations, each with its recorded attendance."""
    found = await _rows(
        conn,
        "SELECT id, programme_id, group_id, lang, status, details, payment, payment_details, "
        "consent_at, offer_expires_at, reason, reminders_stopped, created_at, updated_at "
        "FROM registrations WHERE user_id = ? ORDER BY id",
        (user_id,),
    )
    for registration in found:
        for key in ("details", "payment_details"):
            if registration[key]:
                registration[key] = json.loads(registration[key])
        registration["attendance"] = await _rows(
            conn,
            "SELECT session_id, state, at FROM attendance WHERE registration_id = ? "
            "ORDER BY session_id",
            (registration["id"],),
        )
    return found


async def erase(conn: aiosqlite.Connection, user_id: int, now: str) -> dict[str, int]:
    """Remove the learner's personal data; statistics keep only anonymous rows.

    Every copy goes: the rows that are theirs, the stored updates and replies
    of others that quote them (a staff member's reply carries the bot's post
    with the learner's name, phone and words), and the search index's own
    copy of the enquiry text. The bot's posts in the staff chat are queued
    for editing (staff_post_erasures) in this same transaction."""
    counts: dict[str, int] = {}
    shown = await _staff_posts(conn, user_id)
    await conn.executemany(
        "INSERT OR IGNORE INTO staff_post_erasures"
        "(chat_id, message_id, enquiry_id, kind, created_at) VALUES (?, ?, ?, ?, ?)",
        [(chat, message, enquiry, kind, now) for chat, message, enquiry, kind in shown],
    )
    counts["staff_posts"] = len(shown)
    counts["faq_additions"] = await _drop_faq_wordings(conn, user_id)
    cur = await conn.execute(
        "DELETE FROM reply_journal WHERE inbox_id IN "
        "(SELECT id FROM inbox WHERE user_id = ? AND state != 'pending')",
        (user_id,),
    )
    counts["reply_journal"] = cur.rowcount
    cur = await conn.execute(
        "DELETE FROM inbox WHERE user_id = ? AND state != 'pending'", (user_id,)
    )
    counts["inbox"] = cur.rowcount
    # Updates still being handled (the erasing press itself) stay, so that
    # their replies are journalled and they finish as usual, but bare: the
    # scrubbing below leaves nothing of the learner in them.
    await conn.execute(
        "UPDATE inbox SET user_id = NULL WHERE user_id = ? AND state = 'pending'", (user_id,)
    )
    counts["quoting_updates"] = await _scrub_stored_updates(
        conn, user_id, {(chat, message) for chat, message, _, _ in shown}
    )
    counts["answer_feedback"] = await feedback_repo.erase(conn, user_id)
    counts["chat_topics"] = await chat_topics_repo.erase(conn, user_id)
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
    # contact details or the person. A learner's message was keyed by their
    # chat (their user id): that key goes too.
    cur = await conn.execute(
        "UPDATE enquiry_messages SET text = '', author_id = NULL, "
        "source_key = CASE direction WHEN 'learner' THEN 'erased:' || id ELSE source_key END "
        "WHERE enquiry_id IN (SELECT id FROM enquiries WHERE user_id = ?)",
        (user_id,),
    )
    counts["enquiry_messages"] = cur.rowcount
    cur = await conn.execute(
        "UPDATE enquiries SET user_id = NULL, text = '', name = NULL, phone = NULL "
        "WHERE user_id = ?",
        (user_id,),
    )
    counts["enquiries"] = cur.rowcount
    if counts["enquiries"]:
        # The trigger's FTS5 'delete' only adds a tombstone; the old words
        # stay in enquiries_fts_data until the segments are rewritten. A
        # rebuild rewrites them from what the enquiries hold now (the freed
        # pages are zeroed: PRAGMA secure_delete).
        await conn.execute("INSERT INTO enquiries_fts(enquiries_fts) VALUES ('rebuild')")
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


async def _staff_posts(conn: aiosqlite.Connection, user_id: int) -> list[tuple[int, int, int, str]]:
    """The bot's posts in the staff chat about the learner's enquiries and
    registrations: (chat, message, enquiry or registration number, kind)."""
    async with conn.execute(
        "SELECT staff_chat_id, staff_message_id, id, 'post' FROM enquiries "
        "WHERE user_id = ? AND staff_chat_id IS NOT NULL AND staff_message_id IS NOT NULL "
        "UNION ALL "
        "SELECT m.staff_chat_id, m.staff_message_id, m.enquiry_id, 'follow_up' "
        "FROM enquiry_messages m JOIN enquiries e ON e.id = m.enquiry_id "
        "WHERE e.user_id = ? AND m.direction = 'learner' "
        "AND m.staff_chat_id IS NOT NULL AND m.staff_message_id IS NOT NULL "
        "UNION ALL "
        "SELECT staff_chat_id, staff_message_id, id, 'registration' FROM registrations "
        "WHERE user_id = ? AND staff_chat_id IS NOT NULL AND staff_message_id IS NOT NULL",
        (user_id, user_id, user_id),
    ) as cur:
        return [(int(r[0]), int(r[1]), int(r[2]), str(r[3])) for r in await cur.fetchall()]


async def _drop_faq_wordings(conn: aiosqlite.Connection, user_id: int) -> int:
    """Wordings an admin took from the learner's unanswered questions for the
    next catalogue version are the learner's words too."""
    async with conn.execute(
        "SELECT text FROM question_log WHERE user_id = ? AND text != ''", (user_id,)
    ) as cur:
        # Normalised as the console stores a wording (services/unanswered_console.py).
        wordings = {" ".join(str(r[0]).split())[:300] for r in await cur.fetchall()}
    if not wordings:
        return 0
    cur = await conn.executemany(
        "DELETE FROM faq_additions WHERE text = ?", [(w,) for w in sorted(wordings)]
    )
    return max(cur.rowcount, 0)


async def _scrub_stored_updates(
    conn: aiosqlite.Connection, user_id: int, posts: set[tuple[int, int]]
) -> int:
    """Stored updates and journalled replies of other people that show the
    learner (their chat, or a message quoting the bot's post about them) are
    rewritten without it; how many rows changed.

    Rows are found by the ids they must contain (the learner's user id, the
    staff chat's id) and then checked as JSON, so nothing is guessed from
    the text."""
    needles = sorted({str(user_id)} | {str(chat) for chat, _ in posts})
    where = " OR ".join("instr({col}, ?) > 0" for _ in needles)
    found: list[tuple[str, int, Any]] = []
    for table, column in _STORED_UPDATES:
        # Table and column names are constants of this module, never input.
        sql = f"SELECT rowid, {column} FROM {table} WHERE {where.format(col=column)}"
        async with conn.execute(sql, needles) as cur:
            for rowid, text in await cur.fetchall():
                try:
                    found.append((table, int(rowid), json.loads(text)))
                except (ValueError, RecursionError):
                    found.append((table, int(rowid), _UNREADABLE))
    scrub = _Scrubber(user_id, set(posts))
    # A reply to a post about the learner (a staff answer), and a reply to
    # that (the bot's "delivered"), quote them in turn.
    while scrub.spread([doc for _, _, doc in found if doc is not _UNREADABLE]):
        pass
    changed = 0
    for table, rowid, doc in found:
        try:
            clean = scrub.clean(doc) if doc is not _UNREADABLE else _UNREADABLE
        except RecursionError:
            clean = _UNREADABLE
        if clean is _UNREADABLE:
            # Not JSON, or nested too deep to walk (no Telegram update is):
            # it may hold anything, so nothing of it is kept.
            text = "{}" if table == "inbox" else None
        elif clean != doc:
            text = json.dumps(clean, ensure_ascii=False)
        else:
            continue
        column = dict(_STORED_UPDATES)[table]
        await conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (text, rowid))
        changed += 1
    return changed


# Where updates and the Bot API's answers are stored whole: (table, column).
_STORED_UPDATES = (("inbox", "payload"), ("reply_journal", "result"))
_UNREADABLE = object()


def _is_message(value: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(value, dict) and "message_id" in value and isinstance(value.get("chat"), dict)


def _where(message: dict[str, Any]) -> tuple[int, int] | None:
    chat_id, message_id = message["chat"].get("id"), message.get("message_id")
    if isinstance(chat_id, int) and isinstance(message_id, int):
        return chat_id, message_id
    return None


class _Scrubber:
    """Rewrites Bot API objects so that nothing of one learner is left: their
    chat's messages and messages about them become bare (id, date, chat)."""

    def __init__(self, user_id: int, tainted: set[tuple[int, int]]) -> None:
        self.user_id = user_id
        self.tainted = tainted

    def _about_learner(self, message: dict[str, Any]) -> bool:
        if message["chat"].get("id") == self.user_id:
            return True
        replied = message.get("reply_to_message")
        return self._marked(message) or (_is_message(replied) and self._marked(replied))

    def _marked(self, message: dict[str, Any]) -> bool:
        where = _where(message)
        return where is not None and where in self.tainted

    def spread(self, docs: list[Any]) -> bool:
        """Mark messages replying to marked ones; whether any was new."""
        grew = False
        stack = list(docs)
        while stack:
            value = stack.pop()
            if isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, dict):
                if _is_message(value) and self._about_learner(value):
                    where = _where(value)
                    if where is not None and where not in self.tainted:
                        self.tainted.add(where)
                        grew = True
                stack.extend(value.values())
        return grew

    def clean(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.clean(v) for v in value]
        if not isinstance(value, dict):
            return value
        if _is_message(value) and self._about_learner(value):
            bare: dict[str, Any] = {
                "message_id": value["message_id"],
                "date": value.get("date", 0),
                "chat": self._chat(value["chat"]),
            }
            if isinstance(value.get("from"), dict):
                bare["from"] = self.clean(value["from"])
            return bare
        if value.get("user_id") == self.user_id and "phone_number" in value:
            # A contact card of the learner that someone else shared.
            return {"phone_number": "", "first_name": "", "user_id": 0}
        if value.get("id") == self.user_id and ("is_bot" in value or "type" in value):
            # The learner as a user or a chat anywhere else (a callback's sender).
            return self._chat(value) if "type" in value else self._user()
        return {k: self.clean(v) for k, v in value.items()}

    def _chat(self, chat: dict[str, Any]) -> dict[str, Any]:
        if chat.get("id") == self.user_id:
            return {"id": 0, "type": "private"}
        return {"id": chat.get("id", 0), "type": chat.get("type", "private")}

    def _user(self) -> dict[str, Any]:
        return {"id": 0, "is_bot": False, "first_name": ""}


async def staff_posts_to_erase(conn: aiosqlite.Connection, limit: int) -> list[StaffPost]:
    async with conn.execute(
        "SELECT chat_id, message_id, enquiry_id, kind, attempts FROM staff_post_erasures "
        "ORDER BY created_at, chat_id, message_id LIMIT ?",
        (limit,),
    ) as cur:
        return [StaffPost(*(r[0], r[1], r[2], r[3], r[4])) for r in await cur.fetchall()]


async def staff_post_erased(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> None:
    await conn.execute(
        "DELETE FROM staff_post_erasures WHERE chat_id = ? AND message_id = ?",
        (chat_id, message_id),
    )


async def staff_post_not_yet(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> None:
    await conn.execute(
        "UPDATE staff_post_erasures SET attempts = attempts + 1 "
        "WHERE chat_id = ? AND message_id = ?",
        (chat_id, message_id),
    )


async def holdings(conn: aiosqlite.Connection, user_id: int) -> tuple[int, ...]:
    """What an erasure would take besides the learner's questions: their
    enquiries, followed groups, planned reminders, waiting-list places for a
    new group, live registrations and certificates issued."""
    async with conn.execute(
        "SELECT (SELECT COUNT(*) FROM enquiries WHERE user_id = ?), "
        "(SELECT COUNT(*) FROM subscriptions WHERE user_id = ?), "
        "(SELECT COUNT(*) FROM reminders WHERE user_id = ? AND state = 'planned'), "
        "(SELECT COUNT(*) FROM waitlist WHERE user_id = ?), "
        "(SELECT COUNT(*) FROM registrations WHERE user_id = ? "
        " AND status IN ('pending', 'confirmed', 'waiting', 'offered')), "
        "(SELECT COUNT(*) FROM certificates c JOIN registrations r "
        " ON r.id = c.registration_id WHERE r.user_id = ?)",
        (user_id,) * 6,
    ) as cur:
        row = await cur.fetchone()
    assert row is not None
    return tuple(int(v) for v in row)
