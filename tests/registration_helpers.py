"""Registrations and certificate rules for the tests of attendance,
certificates and the survey, made without the registration flow (which has
its own tests): rows as services/registrations leaves them."""

from __future__ import annotations

import itertools
import json

from services.catalogue.schema import Certificate
from services.container import Services
from services.registrations import RegisterResult

_keys = itertools.count(1)


async def add_registration(
    services: Services,
    user_id: int,
    group_id: str,
    *,
    name: str = "Ona Onaitė",
    lang: str = "lt",
    status: str = "confirmed",
) -> int:
    """A registration in `status`, as the registration service stores it."""
    programme, _group = services.catalogue.view.groups[group_id]
    now = services.clock.now().isoformat()
    async with services.db.transaction() as conn:
        cur = await conn.execute(
            "INSERT INTO registrations(user_id, programme_id, group_id, lang, status, details, "
            "payment, consent_at, source_key, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'self', ?, ?, ?, ?)",
            (
                user_id,
                programme.id,
                group_id,
                lang,
                status,
                json.dumps({"name": name, "phone": "+37061234567"}),
                now,
                f"test:{next(_keys)}",
                now,
                now,
            ),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid


async def register_learner(
    services: Services, user_id: int, group_id: str, *, lang: str = "lt", nonce: str = ""
) -> RegisterResult:
    """A learner registers through the registration service, paying themselves."""
    return await services.registrations.register(
        user_id=user_id,
        group_id=group_id,
        lang=lang,
        details={"name": f"Learner {user_id}", "phone": "+37061234567"},
        payment="self",
        payment_details=None,
        nonce=nonce or f"n{user_id}-{group_id}",
    )


def give_certificate(
    services: Services, programme_id: str, hours: int = 8, min_attendance: int = 50
) -> None:
    """The programme declares `certificate: {hours, min_attendance}` in the live
    catalogue as these tests need it (as a catalogue file would)."""
    view = services.catalogue.view
    declared = Certificate(hours=hours, min_attendance=min_attendance)
    programme = view.programmes[programme_id].model_copy(update={"certificate": declared})
    view.programmes[programme_id] = programme
    for group in programme.groups:
        view.groups[group.id] = (programme, group)
