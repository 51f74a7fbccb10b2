"""Staff announcements: who receives them, and their outbox (one row per
recipient, each sent at most once, resumed after a crash)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from domain.broadcasts import AUDIENCE_KINDS, TARGETED, AudienceKind, Broadcast
from domain.outcomes import Outcome
from services.clock import Clock, epoch, from_epoch
from services.roles import Role, RoleService
from services.telegram_html import Problem, check
from storage import broadcasts_repo, learners_repo
from storage.database import Database

log = logging.getLogger(__name__)
FINISHED = ("sent", "blocked", "failed", "unknown")


class BadAudience(ValueError):
    """No such audience ("unknown"), or a target missing or not wanted ("target")."""

    def __init__(self, reason: str, kind: str) -> None:
        super().__init__(f"audience {kind!r}: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class Audience:
    kind: str
    target: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in AUDIENCE_KINDS:
            raise BadAudience("unknown", self.kind)
        if (self.kind in TARGETED) != (self.target is not None):
            raise BadAudience("target", self.kind)

    @classmethod
    def chosen(cls, kind: str, target: str) -> Audience:
        """From a form: a target only for the audiences that take one."""
        return cls(kind, (target or None) if kind in TARGETED else None)

    def as_json(self) -> str:
        return json.dumps({"kind": self.kind, "target": self.target})

    @classmethod
    def from_json(cls, text: str) -> Audience:
        data = json.loads(text)
        return cls(str(data["kind"]), data.get("target"))


@dataclass(frozen=True)
class Objection:
    """One reason an announcement cannot go out as it is, and what it is about.

    `part` is "lt", "en" or "audience". For a text, `problem` says what
    Telegram would refuse, or `reason` is "missing"; for the audience,
    `reason` is "unknown", "target" (see BadAudience) or "no_recipients".
    """

    part: str
    reason: str = ""
    problem: Problem | None = None


@dataclass(frozen=True)
class PastBroadcast:
    broadcast: Broadcast
    figures: dict[str, int]  # outbox state -> recipients
    at: dt.datetime  # started, or to start (UTC)


@dataclass(frozen=True)
class Media:
    kind: str  # photo | document
    file_id: str


class BroadcastService:
    def __init__(self, db: Database, clock: Clock, roles: RoleService) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles
        # Called after a broadcast is created: the bot starts one due now at
        # once instead of at its next check.
        self.listeners: list[Callable[[], None]] = []

    def _extra(self, audience: Audience) -> list[int]:
        # Admins are staff as well; they are configured, not stored.
        return sorted(self.roles.admin_ids) if audience.kind == "staff" else []

    async def count(self, actor_id: int, audience: Audience) -> dict[str, int]:
        """Recipients per language, as they would be fixed now."""
        await self.roles.require(actor_id, Role.STAFF, "broadcast_count", audience.kind)
        return await broadcasts_repo.count_recipients(
            self.db.reader, audience.kind, audience.target, self._extra(audience)
        )

    async def objections(
        self,
        actor_id: int,
        text_lt: str,
        text_en: str | None,
        kind: str,
        target: str,
        caption: bool = False,
    ) -> list[Objection]:
        """Everything that keeps an announcement from going out; none when it
        may. `text_en` None sends the Lithuanian text to everyone; an empty
        one is missing (except for the Lithuanian readers, who never get it)."""
        if kind == AudienceKind.LT:
            text_en = None
        found = [Objection("lt", problem=p) for p in check(text_lt, caption=caption)]
        if text_en is not None:
            if not text_en.strip():
                found.append(Objection("en", "missing"))
            else:
                found.extend(Objection("en", problem=p) for p in check(text_en, caption=caption))
        try:
            audience = Audience.chosen(kind, target)
        except BadAudience as exc:
            found.append(Objection("audience", exc.reason))
            return found
        if not sum((await self.count(actor_id, audience)).values()):
            found.append(Objection("audience", "no_recipients"))
        return found

    async def targets(self, actor_id: int, kind: str) -> dict[str, int]:
        """For a programme, group or waitlist audience: who could be chosen."""
        await self.roles.require(actor_id, Role.STAFF, "broadcast_count", kind)
        if kind not in TARGETED:
            raise ValueError(f"audience {kind!r} has no targets")
        return await broadcasts_repo.audience_targets(self.db.reader, kind)

    async def create(
        self,
        actor_id: int,
        text_lt: str,
        text_en: str | None,
        audience: Audience,
        send_at: dt.datetime | None = None,
        media: Media | None = None,
        source_key: str | None = None,
    ) -> int:
        """A broadcast to start now or at `send_at`; `text_en` None sends the
        Lithuanian text to everyone (and the Lithuanian readers never get it)."""
        await self.roles.require(actor_id, Role.STAFF, "broadcast", audience.kind)
        if audience.kind == AudienceKind.LT:
            text_en = None
        now = self.clock.now()
        async with self.db.transaction() as conn:
            broadcast_id = await broadcasts_repo.create(
                conn,
                author_id=actor_id,
                text_lt=text_lt,
                text_en=text_en,
                media_kind=media.kind if media else None,
                media_file_id=media.file_id if media else None,
                audience=audience.as_json(),
                send_at=epoch(send_at or now),
                now=epoch(now),
                source_key=source_key,
            )
        await self.roles.audit(actor_id, "broadcast", str(broadcast_id))
        for listener in self.listeners:
            listener()
        return broadcast_id

    async def cancel(self, actor_id: int, broadcast_id: int) -> bool:
        """Stop a scheduled or running broadcast; what was sent stays sent."""
        await self.roles.require(actor_id, Role.STAFF, "broadcast_cancel", str(broadcast_id))
        async with self.db.transaction() as conn:
            cancelled = await broadcasts_repo.set_state(
                conn, broadcast_id, "cancelled", epoch(self.clock.now()), ("scheduled", "running")
            )
        await self.roles.audit(actor_id, "broadcast_cancel", str(broadcast_id))
        return cancelled

    async def start_due(self) -> list[int]:
        """Fix the recipients of every broadcast whose time has come."""
        now = epoch(self.clock.now())
        started = []
        for broadcast_id in await broadcasts_repo.due_to_start(self.db.reader, now):
            row = await broadcasts_repo.get(self.db.reader, broadcast_id)
            if row is None:
                continue
            audience = Audience.from_json(row.audience)
            async with self.db.transaction() as conn:
                count = await broadcasts_repo.start(
                    conn,
                    broadcast_id,
                    audience.kind,
                    audience.target,
                    self._extra(audience),
                    lt_only=row.text_en is None,
                    now=now,
                )
            log.info("broadcast %d started for %d recipients", broadcast_id, count)
            started.append(broadcast_id)
        return started

    async def get(self, broadcast_id: int) -> Broadcast | None:
        return await broadcasts_repo.get(self.db.reader, broadcast_id)

    async def running(self) -> list[int]:
        return await broadcasts_repo.running(self.db.reader)

    async def recent(self, actor_id: int, limit: int = 10) -> list[Broadcast]:
        await self.roles.require(actor_id, Role.STAFF, "broadcast_list", None)
        return await broadcasts_repo.recent(self.db.reader, limit)

    async def history(self, actor_id: int, limit: int = 10) -> list[PastBroadcast]:
        """The latest broadcasts, newest first, each with its delivery figures
        and when it started (or is to start): what the bot's /broadcasts and
        the console's history both show."""
        rows = await self.recent(actor_id, limit)
        figures = await broadcasts_repo.figures_of(self.db.reader, [row.id for row in rows])
        return [
            PastBroadcast(row, figures[row.id], from_epoch(row.started_at or row.send_at))
            for row in rows
        ]

    async def pending(self, broadcast_id: int, limit: int = 500) -> list[tuple[int, str]]:
        return await broadcasts_repo.pending(self.db.reader, broadcast_id, limit)

    async def claim(self, broadcast_id: int, user_id: int) -> bool:
        """Committed before the request (and only while the broadcast runs):
        after a crash this recipient is never sent it again."""
        async with self.db.transaction() as conn:
            return await broadcasts_repo.claim(conn, broadcast_id, user_id, epoch(self.clock.now()))

    async def finish(self, broadcast_id: int, user_id: int, state: str) -> None:
        """The outcome (domain.outcomes.Outcome, or "pending" to try again);
        `blocked` also keeps later broadcasts from trying them."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            await broadcasts_repo.finish(conn, broadcast_id, user_id, state, epoch(now))
            if state == Outcome.BLOCKED:
                await learners_repo.mark_inactive(conn, user_id, now.isoformat())

    async def attempts(self, broadcast_id: int, user_id: int) -> int:
        return await broadcasts_repo.attempts(self.db.reader, broadcast_id, user_id)

    async def complete_if_done(self, broadcast_id: int) -> bool:
        figures = await self.figures(broadcast_id)
        if figures.get("pending", 0) or figures.get("sending", 0):
            return False
        async with self.db.transaction() as conn:
            return await broadcasts_repo.set_state(
                conn, broadcast_id, "done", epoch(self.clock.now()), ("running",)
            )

    async def figures(self, broadcast_id: int) -> dict[str, int]:
        return await broadcasts_repo.figures(self.db.reader, broadcast_id)

    async def set_progress_message(self, broadcast_id: int, chat_id: int, message_id: int) -> None:
        async with self.db.transaction() as conn:
            await broadcasts_repo.set_progress_message(conn, broadcast_id, chat_id, message_id)

    async def recover(self) -> int:
        """After a crash: recipients between claim and outcome are unknown."""
        async with self.db.transaction() as conn:
            count = await broadcasts_repo.in_flight_to_unknown(conn, epoch(self.clock.now()))
        if count:
            log.warning(
                "%d broadcast messages were in flight at the last stop; not repeated", count
            )
        return count

    async def announcements(self, user_id: int) -> bool:
        return await broadcasts_repo.announcements(self.db.reader, user_id)

    async def set_announcements(self, user_id: int, on: bool) -> None:
        async with self.db.transaction() as conn:
            await broadcasts_repo.set_announcements(conn, user_id, on, self.clock.now().isoformat())
