"""An announcement to many learners: who receives it, its states."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AudienceKind(StrEnum):
    EVERYONE = "everyone"
    LT = "lt"
    EN = "en"
    PROGRAMME = "programme"
    GROUP = "group"
    WAITLIST = "waitlist"
    TEACHERS = "teachers"
    STAFF = "staff"


AUDIENCE_KINDS: tuple[AudienceKind, ...] = tuple(AudienceKind)
# Audiences that need one programme or group to be named.
TARGETED: frozenset[AudienceKind] = frozenset(
    {AudienceKind.PROGRAMME, AudienceKind.GROUP, AudienceKind.WAITLIST}
)


class BroadcastState(StrEnum):
    SCHEDULED = "scheduled"
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Broadcast:
    id: int
    author_id: int
    text_lt: str
    text_en: str | None
    media_kind: str | None
    media_file_id: str | None
    audience: str
    send_at: int
    state: str
    progress_chat_id: int | None
    progress_message_id: int | None
    created_at: int
    started_at: int | None
    finished_at: int | None
