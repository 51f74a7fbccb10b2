"""Callback data: short, versioned, made of stable ids, never button text.

Telegram allows 64 bytes. An id too long to fit travels as '~' and a short
hash of it; the handler resolves it against the catalogue. Anything that does
not parse (an old menu, a forged press) is reported as stale, not a crash.

A button under an answer carries BELOW after its action's code ("1|g+|welder"):
what it opens comes as a new message and the answer stays where the learner
was reading it. Without the mark the reply replaces the pressed menu, as
menus do (and as buttons sent before the mark existed still do).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

VERSION = "1"
SEP = "|"
MAX_BYTES = 64
BELOW = "+"  # after an action's code: the reply comes as a new message below


class Action(StrEnum):
    """What a button does, as its callback data names it.

    The values travel in buttons already sent to learners, who may press
    them weeks later: a value never changes and is never reused for
    something else (tests/test_callbacks_and_split.py holds them to it).
    """

    MAIN_MENU = "m"
    PROGRAMME_KINDS = "k"
    KIND = "K"  # a kind of programme: its departments or its list
    LIST = "l"  # a page of programmes: kind, department, page
    PROGRAMME = "p"
    GROUPS = "g"  # a programme's upcoming groups
    PRICE = "$"
    FAQ_TOPICS = "t"
    FAQ_TOPIC = "T"
    FAQ = "f"
    CONTACTS = "c"
    LANGUAGE = "L"
    SUGGESTION = "h"  # a "Did you mean" entry of an answer
    CHOICE = "C"  # one of the choices offered for an unclear question
    ENQUIRY = "Q"  # the learner's enquiry: start it, move it on
    STAFF_ENQUIRY = "E"  # take, close or mark as spam, in the staff chat
    REMINDERS = "R"
    WAITLIST = "W"
    SETTINGS = "S"
    FEEDBACK = "V"
    FORGET = "F"
    COMPOSE = "B"  # a staff member writing a broadcast
    BROADCAST_CANCEL = "BX"
    BROADCAST_CANCEL_YES = "BY"
    BROADCAST_CANCEL_NO = "BN"
    SURVEY = "U"  # the feedback survey after a group ends
    REGISTER = "J"  # a learner registering for a group's seat, and their offers
    MY_COURSES = "Y"  # /my_courses: a registration's cancel and its confirmation
    STAFF_REGISTRATION = "Z"  # confirm or decline a registration, in the staff chat


class RegisterButton(StrEnum):
    """The second part of a REGISTER, MY_COURSES or STAFF_REGISTRATION button."""

    START = "s"  # a group id
    PAY = "p"  # draft nonce, payment
    AGREE = "a"  # draft nonce
    CONFIRM = "c"  # draft nonce
    EDIT = "e"  # draft nonce: which detail to change?
    EDIT_FIELD = "f"  # draft nonce, a field, "payment", "invoice" or "" (back)
    CANCEL = "x"  # draft nonce
    ACCEPT_OFFER = "oa"  # registration number
    DECLINE_OFFER = "od"  # registration number
    ASK_CANCEL = "q"  # registration number: are you sure?
    DO_CANCEL = "y"  # registration number
    KEEP = "k"  # registration number: not cancelled after all
    STAFF_CONFIRM = "sc"  # registration number
    STAFF_DECLINE = "sd"  # registration number


class EntryKind(StrEnum):
    """A catalogue entry named in a button (the first letter of its kind)."""

    PROGRAMME = "p"
    GROUP = "g"
    FAQ = "f"


ENTRY_KINDS = {EntryKind.PROGRAMME: "programme", EntryKind.GROUP: "group", EntryKind.FAQ: "faq"}


def entry_kind(kind: str) -> EntryKind:
    """The code of an entry kind ("programme", "group", "faq")."""
    return EntryKind(kind[0])


class EnquiryButton(StrEnum):
    """The second part of an ENQUIRY button."""

    NEW = "new"  # from the menu: choose a topic first
    ASK = "ask"  # with the question the bot could not answer
    PROGRAMME = "p"  # about a programme (and perhaps a group)
    TOPIC = "t"
    CANCEL = "cancel"
    AGREE = "agree"
    SEND = "send"
    ADD = "add"  # add a message to a sent enquiry that is still open


class ReminderButton(StrEnum):
    """The second part of a REMINDERS button."""

    LIST = "l"  # the groups the learner follows
    SCHEDULE = "s"
    QUIET_HOURS = "q"  # the choice of quiet hours
    SET_QUIET_HOURS = "Q"
    FOLLOW = "S"  # follow a group
    GROUP = "g"  # one followed group's reminder times
    TOGGLE = "t"  # one reminder time on or off
    CALENDAR = "i"
    STOP = "x"


class WaitlistButton(StrEnum):
    JOIN = "j"
    LEAVE = "x"


class ComposeButton(StrEnum):
    """The second part of a COMPOSE button."""

    CANCEL = "x"
    AUDIENCE = "a"
    TARGET = "t"
    ALL_LITHUANIAN = "all"
    BACK = "back"
    NOW = "now"
    TOMORROW = "tm"
    AT = "at"
    CONFIRM = "ok"


class SurveyButton(StrEnum):
    """The second part of a SURVEY button: U|r|<registration>|<question>|<1-5>,
    U|s|<registration> (skip the comment)."""

    RATE = "r"
    SKIP = "s"


def pattern(action: Action, *first: str, bare: bool = False) -> str:
    """The regular expression a handler takes the buttons of an action with
    (and of its first arguments, if given; `bare`: the action alone)."""
    head = "^" + re.escape(VERSION + SEP + action.value) + "(?:" + re.escape(BELOW) + ")?"
    head += re.escape("".join(SEP + part for part in first))
    return head + ("$" if bare else re.escape(SEP))


@dataclass(frozen=True)
class Callback:
    action: Action
    args: tuple[str, ...] = ()
    below: bool = False  # the reply comes as a new message; the pressed one stays

    def arg(self, index: int, default: str = "") -> str:
        return self.args[index] if index < len(self.args) else default


def short_hash(value: str) -> str:
    return "~" + hashlib.blake2b(value.encode(), digest_size=6).hexdigest()


def pack(action: Action, *args: str | int, below: bool = False) -> str:
    """The data of a button (`below`: what it opens comes as a new message)."""
    code = action.value + (BELOW if below else "")
    parts = [VERSION, code, *(str(a) for a in args)]
    data = SEP.join(parts)
    if len(data.encode()) <= MAX_BYTES:
        return data
    # Shorten the longest ids first until it fits.
    shortened = list(parts)
    for index in sorted(range(2, len(parts)), key=lambda i: -len(parts[i])):
        shortened[index] = short_hash(parts[index])
        data = SEP.join(shortened)
        if len(data.encode()) <= MAX_BYTES:
            return data
    raise ValueError(f"callback data cannot fit in {MAX_BYTES} bytes: {action}")


def unpack(data: str | None) -> Callback | None:
    """The callback, or None when the data is not one of ours (stale or forged)."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(SEP)
    if len(parts) < 2 or parts[0] != VERSION:
        return None
    code = parts[1]
    below = len(code) > 1 and code.endswith(BELOW)
    code = code.removesuffix(BELOW) if below else code
    if code not in ACTIONS:
        return None
    return Callback(Action(code), tuple(parts[2:]), below)


ACTIONS = frozenset(a.value for a in Action)


def resolve(value: str, candidates: Iterable[str]) -> str | None:
    """An id as it came in a callback: itself, or the candidate whose hash it is."""
    if not value.startswith("~"):
        return value
    return next((c for c in candidates if short_hash(c) == value), None)
