"""Bring one learner's planned reminders for one group in line with the
group's sessions, their choices and their quiet hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from services.clock import epoch
from services.reminders.planning import QuietHours, fire_times
from storage import reminders_repo
from storage.database import Connection


async def replan(
    conn: Connection,
    user_id: int,
    group_id: str,
    sessions: Sequence[tuple[str, dt.datetime]],
    choices: Sequence[str],
    quiet: QuietHours,
    zone: ZoneInfo,
    now: dt.datetime,
) -> None:
    """`sessions` are (session id, start instant). Planned reminders that no
    longer match are cancelled; missing ones are planned. A reminder already
    due but not yet sent (the bot was down) stays for the catch-up rule."""
    existing = await reminders_repo.planned(conn, user_id, group_id)
    kept_due = {
        (r.session_id, r.choice, r.session_starts) for r in existing if r.fire_at <= epoch(now)
    }
    desired: dict[tuple[str, str, int], int] = {}
    for session_id, starts in sessions:
        if starts <= now:
            continue
        for choice, fire in fire_times(starts, choices, quiet, zone):
            key = (session_id, choice, epoch(starts))
            if fire > now:
                desired[key] = epoch(fire)
            elif key in kept_due:
                desired[key] = next(
                    r.fire_at for r in existing if (r.session_id, r.choice, r.session_starts) == key
                )
    stale = [r.id for r in existing if (r.session_id, r.choice, r.session_starts) not in desired]
    await reminders_repo.cancel(conn, stale, epoch(now))
    await reminders_repo.plan(
        conn,
        [
            (user_id, group_id, sid, choice, starts, fire)
            for (sid, choice, starts), fire in desired.items()
        ],
        epoch(now),
    )
