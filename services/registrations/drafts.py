"""The registration a learner is filling in, step by step, kept in the
database so a restart does not lose it. Its random nonce binds the buttons
shown for it and becomes the registration's idempotency key."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import asdict, dataclass, field

from services.bidi import typed_value
from services.clock import Clock
from services.enquiries import InvalidPhone, normalise_phone
from services.search.normalise import tokens
from storage import registrations_repo
from storage.database import Database

MAX_FIELD = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
# A name is kept as written (people write "Ona <b>Onaitė</b> & Co" too, and
# it is shown as text, never markup); only what cannot be a name is refused:
# no letter at all, a question, or more words than any name has.
_LETTER = re.compile(r"[^\W\d_]")
MAX_NAME_WORDS = 6
MIN_NAME_LETTERS = 2  # "J" is an initial, not a name


class InvalidField(ValueError):
    """What the learner typed is not a valid value of the field asked."""


class FieldTooLong(InvalidField):
    """What the learner typed is longer than any value of the field."""


@dataclass
class RegistrationDraft:
    group_id: str
    lang: str
    fields: list[str]
    payments: list[str]
    nonce: str
    details: dict[str, str] = field(default_factory=dict)
    # The step: "field" (the next of `fields` not in details), "invoice",
    # "payment", "consent", "summary".
    step: str = "field"
    payment: str | None = None
    invoice: str | None = None
    # The learner pressed "I agree"; changing one detail afterwards keeps it.
    agreed: bool = False

    @property
    def next_field(self) -> str | None:
        return next((f for f in self.fields if f not in self.details), None)

    def editable(self) -> list[str]:
        """What the learner may change from the summary: each detail given,
        the payment when there was a choice, the invoice details."""
        found = [f for f in self.fields if f in self.details]
        if len(self.payments) > 1:
            found.append("payment")
        if self.invoice is not None:
            found.append("invoice")
        return found

    def forget(self, what: str) -> bool:
        """Clear one detail so that the form asks it again (False: not one
        of editable())."""
        if what not in self.editable():
            return False
        if what == "payment":
            self.payment, self.invoice = None, None
        elif what == "invoice":
            self.invoice = None
        else:
            del self.details[what]
        self.step = "field"
        return True


# A question starts with one of these (after "o", "and"...): "kiek kainuoja",
# "kada prasideda", "how long is it". Not words that only look like a topic:
# "Kastytis", "Laisvės gimnazija", "UAB Statyba, įmonės kodas" are answers.
_QUESTION_WORDS = frozenset(
    """
    kiek kada kaip kur koks kokia kokie kokios kokiu kokius kokio kodel ar kas kuris kuri
    kelinta kelintos
    how what whats when where which why who is are do does can could will would should
    """.split()
)
_LEADING = frozenset({"o", "ir", "bet", "tai", "and", "but", "so", "ok", "gerai"})


def asks_something(typed: str) -> bool:
    """The learner typed a question rather than the value asked for ("how
    much is it?", "kiek kainuoja"): a question mark, or a question word first."""
    if "?" in typed:
        return True
    words = [w for w in tokens(typed) if w not in _LEADING]
    return bool(words) and words[0] in _QUESTION_WORDS


def _looks_like_a_name(value: str) -> bool:
    return (
        len(_LETTER.findall(value)) >= MIN_NAME_LETTERS
        and len(value.split()) <= MAX_NAME_WORDS
        and not asks_something(value)
    )


# Fields answered in words: a school, a subject, a workplace.
_WORDED = frozenset({"school", "subject", "workplace"})


def clean(field_name: str, typed: str) -> str:
    """The value to keep; InvalidField for a phone or e-mail that is not one,
    a name that cannot be one, or a school, subject or workplace with no
    word in it, or that is a question ("kiek trunka?")."""
    # A right-to-left override in a name would make the staff post around it
    # read backwards; a zero-width space makes it another name.
    value = typed_value(typed)
    if len(value) > MAX_FIELD:
        raise FieldTooLong(field_name)
    if not value:
        raise InvalidField(field_name)
    if field_name == "phone":
        try:
            return normalise_phone(value)
        except InvalidPhone as exc:
            raise InvalidField(field_name) from exc
    if field_name == "email" and not _EMAIL.match(value):
        raise InvalidField(field_name)
    if field_name == "name" and not _looks_like_a_name(value):
        raise InvalidField(field_name)
    if field_name in _WORDED and (_LETTER.search(value) is None or asks_something(value)):
        raise InvalidField(field_name)
    return value


class Drafts:
    def __init__(self, db: Database, clock: Clock, idle: dt.timedelta) -> None:
        self.db = db
        self.clock = clock
        self.idle = idle

    async def start(
        self,
        user_id: int,
        group_id: str,
        lang: str,
        fields: tuple[str, ...],
        payments: tuple[str, ...],
    ) -> RegistrationDraft:
        draft = RegistrationDraft(
            group_id, lang, list(fields), list(payments), secrets.token_urlsafe(9)
        )
        return await self.save(user_id, draft)

    async def save(self, user_id: int, draft: RegistrationDraft) -> RegistrationDraft:
        async with self.db.transaction() as conn:
            await registrations_repo.put_draft(
                conn, user_id, json.dumps(asdict(draft)), self.clock.now().isoformat()
            )
        return draft

    async def get(self, user_id: int) -> RegistrationDraft | None:
        stored = await registrations_repo.get_draft(self.db.reader, user_id)
        if stored is None:
            return None
        data, updated = stored
        if self.clock.now() - dt.datetime.fromisoformat(updated) > self.idle:
            await self.drop(user_id)
            return None
        fields = json.loads(data)
        # A draft saved before "agreed" was kept reached its summary only
        # through "I agree".
        fields.setdefault("agreed", fields.get("step") == "summary")
        return RegistrationDraft(**fields)

    async def drop(self, user_id: int) -> bool:
        async with self.db.transaction() as conn:
            return await registrations_repo.drop_draft(conn, user_id)
