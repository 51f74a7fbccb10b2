"""An enquiry to the centre's staff and the statuses it goes through."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EnquiryStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CLOSED = "closed"
    SPAM = "spam"


@dataclass(frozen=True)
class Enquiry:
    id: int
    user_id: int | None
    lang: str
    topic: str | None
    programme_id: str | None
    text: str
    name: str | None
    phone: str | None
    status: str
    assignee_id: int | None
    staff_chat_id: int | None
    staff_message_id: int | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class StaffPost:
    """A bot post in the staff chat that showed an erased learner's details."""

    chat_id: int
    message_id: int
    enquiry_id: int
    kind: str  # post (the enquiry) | follow_up (a learner's follow-up)
    attempts: int
