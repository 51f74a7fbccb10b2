"""What a catalogue import changes for learners: moved, cancelled and added
sessions of the groups they follow, and new groups of the programmes they
wait for. Runs inside the import's transaction, so the re-planned reminders
and the notices are committed together with the new catalogue: an import
notifies exactly once, whichever process ran it."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from services.catalogue.schema import Catalogue
from services.clock import epoch, instant
from services.reminders.planning import QuietHours, notice_time, parse_choices
from services.reminders.replanning import replan
from storage import reminders_repo
from storage.database import Connection

SCHEDULE_CHANGED = "schedule_changed"
GROUP_OPENED = "group_opened"


@dataclass(frozen=True)
class StoredSession:
    starts_at_utc: str
    data: str


@dataclass(frozen=True)
class SessionChange:
    kind: str  # moved | cancelled | added
    session_id: str
    title: dict[str, str]
    old_start: dt.datetime | None
    new_start: dt.datetime | None
    old_room: str | None
    new_room: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "session_id": self.session_id,
            "title": self.title,
            "old_start": self.old_start.isoformat() if self.old_start else None,
            "new_start": self.new_start.isoformat() if self.new_start else None,
            "old_room": self.old_room,
            "new_room": self.new_room,
        }

    @property
    def earliest(self) -> dt.datetime:
        times = [t for t in (self.old_start, self.new_start) if t is not None]
        return min(times)


def session_changes(
    old: dict[tuple[str, str], StoredSession], catalogue: Catalogue, now: dt.datetime
) -> dict[str, list[SessionChange]]:
    """Changes per group id, only those a learner could still care about."""
    zone = ZoneInfo(catalogue.centre.timezone)
    out: dict[str, list[SessionChange]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for programme in catalogue.programmes:
        for group in programme.groups:
            for session in group.sessions:
                key = (group.id, session.id)
                seen.add(key)
                new_start = instant(session.starts_at, zone)
                title = session.title.model_dump()
                before = old.get(key)
                if before is None:
                    if new_start > now:
                        out[group.id].append(
                            SessionChange(
                                "added", session.id, title, None, new_start, None, session.room
                            )
                        )
                    continue
                old_start = dt.datetime.fromisoformat(before.starts_at_utc)
                old_room = json.loads(before.data).get("room")
                if old_start == new_start and old_room == session.room:
                    continue
                if max(old_start, new_start) <= now:
                    continue
                out[group.id].append(
                    SessionChange(
                        "moved", session.id, title, old_start, new_start, old_room, session.room
                    )
                )
    for (group_id, session_id), before in old.items():
        if (group_id, session_id) in seen:
            continue
        old_start = dt.datetime.fromisoformat(before.starts_at_utc)
        if old_start <= now:
            continue
        data = json.loads(before.data)
        out[group_id].append(
            SessionChange(
                "cancelled",
                session_id,
                data.get("title", {}),
                old_start,
                None,
                data.get("room"),
                None,
            )
        )
    return out


async def apply_import(
    conn: Connection,
    old_sessions: dict[tuple[str, str], StoredSession],
    old_groups: set[str],
    catalogue: Catalogue,
    now: dt.datetime,
) -> tuple[int, int]:
    """Re-plan reminders and write notices; returns (schedule notices, waitlist notices)."""
    zone = ZoneInfo(catalogue.centre.timezone)
    groups = {g.id: (p, g) for p in catalogue.programmes for g in p.groups}
    changes = session_changes(old_sessions, catalogue, now)
    notices: list[tuple[int, str, str, int]] = []
    schedule_notices = 0
    for group_id, group_changes in changes.items():
        subscribers = await reminders_repo.subscribers(conn, group_id)
        if not subscribers:
            continue
        found = groups.get(group_id)
        sessions = [(s.id, instant(s.starts_at, zone)) for s in found[1].sessions] if found else []
        group_changes.sort(key=lambda c: c.earliest)
        earliest = group_changes[0].earliest
        data = json.dumps(
            {
                "group_id": group_id,
                "programme_id": found[0].id if found else None,
                "changes": [c.as_json() for c in group_changes],
            },
            ensure_ascii=False,
        )
        for sub in subscribers:
            quiet = QuietHours.from_text(sub.quiet_start, sub.quiet_end)
            await replan(
                conn, sub.user_id, group_id, sessions, parse_choices(sub.choices), quiet, zone, now
            )
            if not found:
                # The group left the catalogue: nothing more to remind of.
                await reminders_repo.unsubscribe(conn, sub.user_id, group_id)
            when = notice_time(now, earliest, quiet, zone)
            notices.append((sub.user_id, SCHEDULE_CHANGED, data, epoch(when)))
            schedule_notices += 1
    waitlist_notices = 0
    today = now.astimezone(zone).date()
    opened: dict[str, list[str]] = defaultdict(list)
    for group_id, (programme, group) in groups.items():
        if group_id not in old_groups and group.starts >= today:
            opened[programme.id].append(group_id)
    for programme_id, group_ids in opened.items():
        waiting = await reminders_repo.waiting(conn, programme_id)
        if not waiting:
            continue
        data = json.dumps({"programme_id": programme_id, "group_ids": group_ids})
        for user_id in waiting:
            start, end = await reminders_repo.quiet_hours(conn, user_id)
            when = notice_time(now, None, QuietHours.from_text(start, end), zone)
            notices.append((user_id, GROUP_OPENED, data, epoch(when)))
            waitlist_notices += 1
        # They asked to hear of the next group; having heard, they are off the list.
        await reminders_repo.clear_waitlist(conn, programme_id)
    await reminders_repo.add_notices(conn, notices, epoch(now))
    return schedule_notices, waitlist_notices
