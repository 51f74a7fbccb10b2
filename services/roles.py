"""Who may do what: learners, staff (granted by an admin) and admins (ADMIN_IDS).

Every staff or admin action is checked here, on the server, whatever button
or command asked for it, and written to the audit log, refusals included.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from enum import StrEnum

from services.bidi import strip_bidi
from services.clock import Clock
from storage import roles_repo
from storage.database import Database

log = logging.getLogger(__name__)

NAME_LENGTH = 64


def clean_name(name: str) -> str:
    """One line, no bidi controls, at most NAME_LENGTH characters."""
    return " ".join(strip_bidi(name).split())[:NAME_LENGTH]


class Role(StrEnum):
    LEARNER = "learner"
    STAFF = "staff"
    ADMIN = "admin"


class NotAllowed(Exception):
    """The person asking does not have the role the action needs."""


class RoleService:
    def __init__(self, db: Database, clock: Clock, admin_ids: Iterable[int] = ()) -> None:
        self.db = db
        self.clock = clock
        self.admin_ids = frozenset(admin_ids)
        # Told the user id whose role just changed (the bot refreshes their
        # command menu); called after the change is committed.
        self.listeners: list[Callable[[int], None]] = []

    def _changed(self, user_id: int) -> None:
        for listener in self.listeners:
            listener(user_id)

    async def role_of(self, user_id: int) -> Role:
        if user_id in self.admin_ids:
            return Role.ADMIN
        if await roles_repo.is_staff(self.db.reader, user_id):
            return Role.STAFF
        return Role.LEARNER

    async def has(self, user_id: int, needed: Role) -> bool:
        """Whether the user has the role (admins have every role); not audited."""
        role = await self.role_of(user_id)
        return role == Role.ADMIN or (needed == Role.STAFF and role == Role.STAFF)

    async def require(self, user_id: int, needed: Role, action: str, target: str | None) -> None:
        """Raise NotAllowed (and log the attempt) unless the user has the role."""
        if not await self.has(user_id, needed):
            role = await self.role_of(user_id)
            # The user id only: no names or message texts in logs.
            log.warning("refused %s by user %s (%s)", action, user_id, role.value)
            await self._audit(user_id, action, target, "refused")
            raise NotAllowed(action)

    async def grant_staff(self, actor_id: int, target_id: int) -> bool:
        await self.require(actor_id, Role.ADMIN, "grant_staff", str(target_id))
        async with self.db.transaction() as conn:
            granted = await roles_repo.grant_staff(
                conn, target_id, actor_id, self.clock.now().isoformat()
            )
            await roles_repo.audit(
                conn, self.clock.now().isoformat(), actor_id, "grant_staff", str(target_id), "done"
            )
        if granted:
            self._changed(target_id)
        return granted

    async def revoke_staff(self, actor_id: int, target_id: int) -> bool:
        await self.require(actor_id, Role.ADMIN, "revoke_staff", str(target_id))
        async with self.db.transaction() as conn:
            revoked = await roles_repo.revoke_staff(conn, target_id)
            if target_id not in self.admin_ids:
                await roles_repo.forget_name(conn, target_id)
            await roles_repo.audit(
                conn, self.clock.now().isoformat(), actor_id, "revoke_staff", str(target_id), "done"
            )
        if revoked:
            self._changed(target_id)
        return revoked

    async def staff(self, actor_id: int) -> list[int]:
        await self.require(actor_id, Role.ADMIN, "list_staff", None)
        await self._audit(actor_id, "list_staff", None, "done")
        return await roles_repo.staff(self.db.reader)

    async def remember_name(self, user_id: int, first_name: str, last_name: str | None) -> None:
        """Keep the name Telegram gives a staff member or admin (learners' names
        are not kept here), so people are named, not numbered."""
        if not await self.has(user_id, Role.STAFF):
            return
        name = clean_name(" ".join(part for part in (first_name, last_name) if part))
        if not name:
            return
        async with self.db.transaction() as conn:
            await roles_repo.remember_telegram_name(
                conn, user_id, name, self.clock.now().isoformat()
            )

    async def rename(self, actor_id: int, target_id: int, name: str) -> bool:
        """An admin sets the name a staff member is shown by ('' goes back to
        the name from Telegram). False when the target is not staff."""
        await self.require(actor_id, Role.ADMIN, "staff_rename", str(target_id))
        if not await self.has(target_id, Role.STAFF):
            return False
        async with self.db.transaction() as conn:
            await roles_repo.set_display_name(
                conn, target_id, clean_name(name) or None, self.clock.now().isoformat()
            )
            await roles_repo.audit(
                conn, self.clock.now().isoformat(), actor_id, "staff_rename", str(target_id), "done"
            )
        return True

    async def names(self) -> dict[int, str]:
        """The name of every named staff member and admin: the admin's choice,
        else Telegram's. Used wherever a person is named (console, staff chat)."""
        rows = await roles_repo.staff_names(self.db.reader)
        return {
            user_id: chosen or telegram or ""
            for user_id, (chosen, telegram) in rows.items()
            if chosen or telegram
        }

    async def name_of(self, user_id: int) -> str | None:
        """The name staff know a colleague by, when one is kept; None otherwise
        (then the person is shown by their Telegram id)."""
        return (await self.names()).get(user_id)

    async def former_staff_ids(self) -> list[int]:
        """Those whose staff role was revoked and who are learners now."""
        return [u for u in await roles_repo.revoked(self.db.reader) if u not in self.admin_ids]

    async def staff_ids(self) -> list[int]:
        """Everyone who may work on enquiries: staff and admins."""
        return sorted(set(await roles_repo.staff(self.db.reader)) | self.admin_ids)

    async def audit_page(
        self,
        actor_id: int,
        actor: int | None,
        action: str | None,
        outcome: str | None,
        limit: int,
        offset: int,
    ) -> list[tuple[str, int | None, str, str | None, str]]:
        """The audit log, filtered: admins only."""
        await self.require(actor_id, Role.ADMIN, "audit_read", None)
        return await roles_repo.audit_page(self.db.reader, actor, action, outcome, limit, offset)

    async def audit(self, actor_id: int, action: str, target: str | None) -> None:
        """Record an action that was allowed and done."""
        await self._audit(actor_id, action, target, "done")

    async def refused(self, actor_id: int | None, action: str, target: str | None) -> None:
        """Record an attempt that was refused (a bad sign-in link, say)."""
        await self._audit(actor_id, action, target, "refused")

    async def _audit(
        self, actor_id: int | None, action: str, target: str | None, outcome: str
    ) -> None:
        async with self.db.transaction() as conn:
            await roles_repo.audit(
                conn, self.clock.now().isoformat(), actor_id, action, target, outcome
            )
