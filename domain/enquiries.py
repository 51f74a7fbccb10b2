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


class Delivery(StrEnum):
    """What became of a staff answer on its way to the learner."""

    PENDING = "pending"  # on its way (after a crash: it may have arrived)
    SENT = "sent"
    REFUSED = "refused"  # not delivered; the reason says why
    UNCERTAIN = "uncertain"  # Telegram did not answer: it may have arrived


# Why an answer was refused (the first word of its reason).
REFUSALS = ("blocked", "erased", "failed")


@dataclass(frozen=True)
class ThreadMessage:
    """One message of an enquiry's conversation, as staff see it."""

    id: int
    at: str
    direction: str  # learner | staff
    author_id: int | None
    text: str
    delivery: str | None  # a Delivery for a staff answer
    reason: str | None  # "blocked", "erased", or "failed:<Telegram's words>"


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
    enquiry_id: int  # the registration's number for kind "registration"
    kind: str  # post (the enquiry) | follow_up (a learner's follow-up) | registration
    attempts: int


@dataclass(frozen=True)
class EnquiryFilter:
    """What staff filter the enquiry list by (the console's query string)."""

    status: str | None = None
    topic: str | None = None
    programme_id: str | None = None
    lang: str | None = None
    created_from: str | None = None  # ISO date, inclusive
    created_to: str | None = None  # ISO date, inclusive
    assignee_id: int | None = None
    search: str | None = None
    # The search was a phone number: this one, as stored (E.164).
    phone: str | None = None
    # Only those raised as overdue and still waiting (the dashboard's tile).
    overdue: bool = False
