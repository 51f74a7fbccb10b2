"""Registrations for a group's seats: statuses and the values storage hands up."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RegistrationStatus(StrEnum):
    PENDING = "pending"  # holds a seat until staff confirm or decline
    CONFIRMED = "confirmed"
    WAITING = "waiting"  # in line for a seat, by id
    OFFERED = "offered"  # a freed seat held for them until the offer lapses
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # an offer not taken in time


# The statuses that hold a seat, and those that are "live" (one per learner and group).
HOLDING = frozenset(
    {RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED}
)
LIVE = HOLDING | {RegistrationStatus.WAITING}


class NoticeKind(StrEnum):
    """A message a change of status owes, written in the change's transaction."""

    CONFIRMED = "confirmed"  # to the learner
    DECLINED = "declined"  # to the learner, with the reason
    OFFERED = "offered"  # to the learner: Accept / Decline
    LAPSED = "lapsed"  # to the learner: the offer passed on
    MOVED = "moved"  # to the learner: staff moved them to another group
    STAFF_NEW = "staff_new"  # to the staff chat: Confirm / Decline
    STAFF_MOVED = "staff_moved"  # to the staff chat: the waiting list moved


@dataclass(frozen=True)
class Registration:
    id: int
    user_id: int
    programme_id: str
    group_id: str
    lang: str
    status: RegistrationStatus
    details: dict[str, str]
    payment: str
    payment_details: dict[str, str] | None
    offer_expires_at: int | None
    reason: str | None
    reminders_stopped: bool
    staff_chat_id: int | None
    staff_message_id: int | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class SeatCounts:
    """A group's seats as the seat arithmetic sees them."""

    seats: int
    baseline: int  # the catalogue's seats_taken (taken outside the bot)
    pending: int
    confirmed: int
    offered: int
    waiting: int

    @property
    def taken(self) -> int:
        return self.baseline + self.pending + self.confirmed + self.offered

    @property
    def free(self) -> int:
        return max(self.seats - self.taken, 0)


@dataclass(frozen=True)
class RegistrationNotice:
    id: int
    registration_id: int
    user_id: int
    kind: NoticeKind
    data: str  # JSON
