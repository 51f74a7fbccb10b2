"""People in the web console: find a learner, see what is stored about them,
export or erase it (the same service as /my_data and /forget), and staff
roles. Reading someone's data is audited like changing it."""

from __future__ import annotations

from typing import Any

from services.enquiries import phone_in_search
from services.privacy import PrivacyService
from services.roles import Role, RoleService
from storage import learners_repo
from storage.database import Database


class PeopleConsole:
    def __init__(self, db: Database, roles: RoleService, privacy: PrivacyService) -> None:
        self.db = db
        self.roles = roles
        self.privacy = privacy

    async def find(self, actor_id: int, query: str) -> list[tuple[int, str | None]]:
        """(user id, name) of those found: a staff member's name, else the
        name given in the newest enquiry, else None."""
        await self.roles.require(actor_id, Role.STAFF, "person_find", None)
        query = query.strip()[:100]
        if not query:
            return []
        # A phone in any form; a name with or without its diacritics.
        ids = await learners_repo.find(self.db.reader, query, phone_in_search(query))
        given = await learners_repo.names_given(self.db.reader, ids)
        staff = await self.roles.names()
        return [(user_id, staff.get(user_id) or given.get(user_id)) for user_id in ids]

    async def person(self, actor_id: int, user_id: int) -> tuple[dict[str, Any], Role]:
        await self.roles.require(actor_id, Role.STAFF, "person_view", str(user_id))
        await self.roles.audit(actor_id, "person_view", str(user_id))
        return await self.privacy.export(user_id), await self.roles.role_of(user_id)

    async def export_json(self, actor_id: int, user_id: int) -> bytes:
        """For a data-protection request: admins only."""
        await self.roles.require(actor_id, Role.ADMIN, "person_export", str(user_id))
        await self.roles.audit(actor_id, "person_export", str(user_id))
        return await self.privacy.export_json(user_id)

    async def erase(self, actor_id: int, user_id: int) -> dict[str, int]:
        await self.roles.require(actor_id, Role.ADMIN, "person_erase", str(user_id))
        counts = await self.privacy.forget(user_id)
        await self.roles.audit(actor_id, "person_erase", str(user_id))
        return counts
