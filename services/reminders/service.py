"""What learners do with reminders, and what the sender asks of them."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from domain.notices import NoticeRow
from domain.outcomes import Outcome
from services.catalogue.schema import Group, Programme, Session
from services.catalogue.view import CatalogueView
from services.clock import Clock, epoch, from_epoch, instant
from services.learners import pick_language
from services.reminders.planning import (
    CHOICES,
    DEFAULT_CHOICES,
    QuietHours,
    QuietOutlook,
    format_choices,
    out_of_quiet_hours,
    parse_choices,
    quiet_effects,
)
from services.reminders.replanning import replan
from storage import learners_repo, reminders_repo
from storage.database import Database
from storage.reminders_repo import ReminderRow

log = logging.getLogger(__name__)


# A reminder this much past its time was missed (the bot was down), not
# merely picked up a moment late.
LATE = 120


def _stored(outcome: str) -> str:
    """A reminder's or notice's outcome as its row keeps it. They are not tried
    again: a reminder is about a time, and a second try minutes later could
    only repeat Telegram's "not now". Blocked ones are failed (and the learner
    marked inactive)."""
    if outcome in (Outcome.BLOCKED, Outcome.RETRY):
        return Outcome.FAILED
    return outcome


class LiveCatalogue(Protocol):
    """The catalogue reminders are planned against (CatalogueService keeps it).

    Named here, not imported, so that reminders depend only on the catalogue's
    data while the catalogue's importer re-plans reminders after an import.
    """

    @property
    def view(self) -> CatalogueView: ...

    async def reload_if_imported(self) -> bool: ...


class UnknownGroup(LookupError):
    """The group is not (or no longer) in the catalogue."""


@dataclass(frozen=True)
class Subscription:
    programme: Programme
    group: Group
    choices: tuple[str, ...]


@dataclass(frozen=True)
class ScheduledSession:
    programme: Programme
    group: Group
    session: Session
    starts: dt.datetime


@dataclass(frozen=True)
class DueReminder:
    row: ReminderRow
    programme: Programme
    group: Group
    session: Session
    starts: dt.datetime
    language: str


class ReminderService:
    def __init__(self, db: Database, clock: Clock, catalogue: LiveCatalogue) -> None:
        self.db = db
        self.clock = clock
        self.catalogue = catalogue
        # Called when reminders may have become due soon (the bot arms them).
        self.listeners: list[Callable[[], None]] = []

    def _changed(self) -> None:
        for listener in self.listeners:
            listener()

    def _group(self, group_id: str) -> tuple[Programme, Group]:
        found = self.catalogue.view.groups.get(group_id)
        if found is None:
            raise UnknownGroup(group_id)
        return found

    def _sessions(self, group: Group) -> list[tuple[str, dt.datetime]]:
        zone = self.catalogue.view.zone
        return [(s.id, instant(s.starts_at, zone)) for s in group.sessions]

    # -- subscriptions -------------------------------------------------------

    async def subscribe(
        self, user_id: int, group_id: str, choices: Sequence[str] | None = None
    ) -> tuple[str, ...]:
        """Follow a group's sessions; returns the reminder choices in force."""
        # Plan against the newest catalogue: an import by another process
        # may have moved sessions (and re-planned) a moment ago.
        await self.catalogue.reload_if_imported()
        _, group = self._group(group_id)
        async with self.db.transaction() as conn:
            if choices is None:
                stored = await reminders_repo.subscription(conn, user_id, group_id)
                chosen = parse_choices(stored) if stored is not None else DEFAULT_CHOICES
            else:
                chosen = parse_choices(",".join(choices))
            await reminders_repo.subscribe(
                conn, user_id, group_id, format_choices(chosen), self.clock.now().isoformat()
            )
            start, end = await reminders_repo.quiet_hours(conn, user_id)
            await replan(
                conn,
                user_id,
                group_id,
                self._sessions(group),
                chosen,
                QuietHours.from_text(start, end),
                self.catalogue.view.zone,
                self.clock.now(),
            )
        self._changed()
        return chosen

    async def toggle_choice(self, user_id: int, group_id: str, choice: str) -> tuple[str, ...]:
        if choice not in CHOICES:
            raise ValueError(choice)
        current = await self.choices(user_id, group_id)
        if current is None:
            current = ()
        wanted = set(current) ^ {choice}
        return await self.subscribe(user_id, group_id, tuple(wanted))

    async def choices(self, user_id: int, group_id: str) -> tuple[str, ...] | None:
        stored = await reminders_repo.subscription(self.db.reader, user_id, group_id)
        return parse_choices(stored) if stored is not None else None

    async def unsubscribe(self, user_id: int, group_id: str) -> bool:
        now = epoch(self.clock.now())
        async with self.db.transaction() as conn:
            removed = await reminders_repo.unsubscribe(conn, user_id, group_id)
            await reminders_repo.cancel_group(conn, user_id, group_id, now)
        return removed

    async def subscriptions(self, user_id: int) -> list[Subscription]:
        rows = await reminders_repo.user_subscriptions(self.db.reader, user_id)
        today = self.clock.now().astimezone(self.catalogue.view.zone).date()
        out = []
        for group_id, choices in rows:
            found = self.catalogue.view.groups.get(group_id)
            if found is not None and found[1].ends >= today:
                out.append(Subscription(found[0], found[1], parse_choices(choices)))
        return out

    async def schedule(self, user_id: int, days: int = 14) -> list[ScheduledSession]:
        """The sessions of the learner's groups in the next `days` days."""
        return await self._upcoming(user_id, self.clock.now() + dt.timedelta(days=days))

    async def quiet_effects(self, user_id: int, group_id: str) -> QuietOutlook:
        """For every session of the group still to come: the learner's reminders
        that fall in their quiet hours, with when each comes instead (or that it
        will not)."""
        choices = await self.choices(user_id, group_id)
        found = self.catalogue.view.groups.get(group_id)
        if not choices or found is None:
            return QuietOutlook()
        now = self.clock.now()
        upcoming = sorted(start for _id, start in self._sessions(found[1]) if start > now)
        quiet = await self.quiet_hours(user_id)
        zone = self.catalogue.view.zone
        effects = tuple(
            effect
            for start in upcoming
            for effect in quiet_effects(choices, start, quiet, zone, now)
        )
        return QuietOutlook(len(upcoming), effects)

    async def next_session(self, user_id: int) -> ScheduledSession | None:
        """The first session of the learner's groups that has not ended, however far off."""
        return next(iter(await self._upcoming(user_id, None)), None)

    async def _upcoming(self, user_id: int, until: dt.datetime | None) -> list[ScheduledSession]:
        now = self.clock.now()
        zone = self.catalogue.view.zone
        out = []
        for sub in await self.subscriptions(user_id):
            for session in sub.group.sessions:
                starts = instant(session.starts_at, zone)
                ends = instant(session.ends_at, zone) if session.ends_at else starts
                if ends >= now and (until is None or starts <= until):
                    out.append(ScheduledSession(sub.programme, sub.group, session, starts))
        return sorted(out, key=lambda s: (s.starts, s.group.id))

    async def quiet_hours(self, user_id: int) -> QuietHours:
        start, end = await reminders_repo.quiet_hours(self.db.reader, user_id)
        return QuietHours.from_text(start, end)

    async def set_quiet_hours(self, user_id: int, quiet: QuietHours) -> None:
        """Change quiet hours and move every planned reminder accordingly."""
        await self.catalogue.reload_if_imported()
        now = self.clock.now()
        start, end = quiet.as_text()
        async with self.db.transaction() as conn:
            await reminders_repo.set_quiet_hours(conn, user_id, start, end, now.isoformat())
            for group_id, choices in await reminders_repo.user_subscriptions(conn, user_id):
                found = self.catalogue.view.groups.get(group_id)
                if found is None:
                    continue
                await replan(
                    conn,
                    user_id,
                    group_id,
                    self._sessions(found[1]),
                    parse_choices(choices),
                    quiet,
                    self.catalogue.view.zone,
                    now,
                )
        self._changed()

    # -- waitlist ------------------------------------------------------------

    async def join_waitlist(self, user_id: int, programme_id: str) -> bool:
        if programme_id not in self.catalogue.view.programmes:
            raise LookupError(programme_id)
        async with self.db.transaction() as conn:
            return await reminders_repo.join_waitlist(
                conn, user_id, programme_id, self.clock.now().isoformat()
            )

    async def leave_waitlist(self, user_id: int, programme_id: str) -> bool:
        async with self.db.transaction() as conn:
            return await reminders_repo.leave_waitlist(conn, user_id, programme_id)

    async def waitlisted(self, user_id: int) -> list[str]:
        return await reminders_repo.user_waitlist(self.db.reader, user_id)

    # -- what the sender asks ------------------------------------------------

    async def recover(self) -> tuple[int, int]:
        """After a crash: whatever was between claim and outcome is unknown,
        and is never sent again."""
        async with self.db.transaction() as conn:
            counts = await reminders_repo.in_flight_to_unknown(conn, epoch(self.clock.now()))
        if any(counts):
            log.warning(
                "%d reminders and %d notices were in flight at the last stop; not repeated",
                *counts,
            )
        return counts

    async def due(self, limit: int = 200, until: dt.datetime | None = None) -> list[DueReminder]:
        """Planned reminders whose time has come (or comes by `until`, for a
        burst started early). The catch-up rule: one whose session has
        already started is marked skipped (committed) instead."""
        # An import by another process re-planned in its own transaction;
        # judge the rows against that catalogue, not an older one.
        await self.catalogue.reload_if_imported()
        now = self.clock.now()
        horizon = max(now, until) if until is not None else now
        while True:
            rows = await reminders_repo.due(self.db.reader, epoch(horizon), limit)
            out = await self._sort_due(rows, now)
            # A batch that was all skipped or deferred (after a long outage)
            # must not hide the ones behind it until the next round.
            if out or len(rows) < limit:
                return out

    async def _sort_due(self, rows: list[ReminderRow], now: dt.datetime) -> list[DueReminder]:
        """The rows to send now; the others are skipped (session begun) or,
        when caught up late inside the learner's quiet hours, moved to the
        end of them (committed)."""
        if not rows:
            return []
        learners = await self._languages({r.user_id for r in rows})
        quiet = await reminders_repo.quiet_hours_many(
            self.db.reader, sorted({r.user_id for r in rows})
        )
        skipped: list[int] = []
        deferred: list[tuple[int, int]] = []
        out: list[DueReminder] = []
        zone = self.catalogue.view.zone
        for row in rows:
            found = self.catalogue.view.groups.get(row.group_id)
            session = (
                next((s for s in found[1].sessions if s.id == row.session_id), None)
                if found
                else None
            )
            starts = from_epoch(row.session_starts)
            if (
                found is None
                or session is None
                or starts <= now
                or instant(session.starts_at, zone) != starts
            ):
                # Started, or gone/moved in a catalogue this process has not
                # re-planned yet (the import's own transaction did): not sent.
                skipped.append(row.id)
                continue
            if row.fire_at < epoch(now) - LATE:
                # Missed while the bot was down: not at 2 a.m. either.
                start, end = quiet.get(row.user_id, (None, None))
                later = out_of_quiet_hours(now, starts, QuietHours.from_text(start, end), zone)
                if later > now:
                    deferred.append((row.id, epoch(later)))
                    continue
            out.append(DueReminder(row, found[0], found[1], session, starts, learners[row.user_id]))
        if skipped or deferred:
            async with self.db.transaction() as conn:
                await reminders_repo.skip(conn, skipped, epoch(now))
                await reminders_repo.retime(conn, deferred, epoch(now))
        return out

    async def _languages(self, user_ids: set[int]) -> dict[int, str]:
        rows = await learners_repo.many(self.db.reader, sorted(user_ids))
        return {
            user_id: pick_language(
                rows[user_id].language if user_id in rows else None,
                rows[user_id].telegram_language if user_id in rows else None,
            )
            for user_id in user_ids
        }

    async def claim(self, reminder_id: int, fire_at: int | None = None) -> bool:
        """Committed before the request: after a crash it is never sent again.
        With `fire_at`, only if it was not re-timed meanwhile."""
        async with self.db.transaction() as conn:
            return await reminders_repo.claim(conn, reminder_id, epoch(self.clock.now()), fire_at)

    async def finish(self, reminder_id: int, outcome: str, user_id: int | None = None) -> None:
        """What became of a reminder (a domain.outcomes.Outcome)."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            await reminders_repo.finish(conn, reminder_id, _stored(outcome), epoch(now))
            if outcome == Outcome.BLOCKED and user_id is not None:
                await learners_repo.mark_inactive(conn, user_id, now.isoformat())

    async def next_fire_times(self, horizon: dt.timedelta) -> list[tuple[dt.datetime, int]]:
        """Instants with reminders due within the horizon, and how many."""
        until = epoch(self.clock.now() + horizon)
        return [
            (from_epoch(t), count)
            for t, count in await reminders_repo.next_fire_times(self.db.reader, until)
        ]

    async def due_notices(self, limit: int = 200) -> list[NoticeRow]:
        return await reminders_repo.due_notices(self.db.reader, epoch(self.clock.now()), limit)

    async def claim_notice(self, notice_id: int) -> bool:
        async with self.db.transaction() as conn:
            return await reminders_repo.claim_notice(conn, notice_id, epoch(self.clock.now()))

    async def finish_notice(self, notice_id: int, outcome: str, user_id: int | None = None) -> None:
        """What became of a notice (a domain.outcomes.Outcome)."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            await reminders_repo.finish_notice(conn, notice_id, _stored(outcome), epoch(now))
            if outcome == Outcome.BLOCKED and user_id is not None:
                await learners_repo.mark_inactive(conn, user_id, now.isoformat())

    async def language(self, user_id: int) -> str:
        return (await self._languages({user_id}))[user_id]

    async def counts(self) -> dict[str, int]:
        return await reminders_repo.count_by_state(self.db.reader)
