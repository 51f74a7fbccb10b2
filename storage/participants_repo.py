"""The registrations of a group as the console's attendance sheet, the
certificates and the survey read them (read only: every change of a
registration's status belongs to services/registrations)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite


@dataclass(frozen=True)
class Participant:
    registration_id: int
    user_id: int
    programme_id: str
    group_id: str
    lang: str
    status: str
    name: str  # from the details the learner gave ("" when none)


def _name(details: str) -> str:
    try:
        data = json.loads(details)
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    name = data.get("name") or " ".join(
        str(data.get(k, "")) for k in ("first_name", "last_name") if data.get(k)
    )
    return str(name).strip()


_COLUMNS = "id, user_id, programme_id, group_id, lang, status, details"


def _participant(row: Any) -> Participant:
    return Participant(
        int(row[0]),
        int(row[1]),
        str(row[2]),
        str(row[3]),
        str(row[4]),
        str(row[5]),
        _name(str(row[6])),
    )


async def confirmed(conn: aiosqlite.Connection, group_id: str) -> list[Participant]:
    """The group's confirmed participants, in registration order."""
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM registrations WHERE group_id = ? AND status = 'confirmed' "
        "ORDER BY id",
        (group_id,),
    ) as cur:
        return [_participant(row) async for row in cur]


async def get(conn: aiosqlite.Connection, registration_id: int) -> Participant | None:
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM registrations WHERE id = ?", (registration_id,)
    ) as cur:
        row = await cur.fetchone()
    return _participant(row) if row is not None else None
