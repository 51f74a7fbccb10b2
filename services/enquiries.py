"""Enquiries: a learner writes to the centre, staff answer, nothing is lost.

The draft a learner is writing lives in the database, step by step, so a
restart of the bot does not lose it. Each draft has a random nonce, carried
in its buttons' callback data; the enquiry is created in one transaction
keyed by that nonce ("draft:<nonce>"), so pressing "Send" twice, or handling
the press again after a crash, creates one enquiry, and a new draft always a
new one. Nothing is keyed on a Telegram id (update, callback query): the Bot
API may hand the same ids to another learner after a restart.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass
from enum import StrEnum

import phonenumbers

from domain.enquiries import Delivery, Enquiry, EnquiryStatus
from services import conversation
from services.bidi import typed_value
from services.clock import Clock
from services.roles import Role, RoleService
from services.search.normalise import tokens
from services.telegram_html import utf16_length
from services.working_time import WorkingHours
from storage import enquiries_repo, roles_repo
from storage.database import Database

# The longest question or answer, in UTF-16 units as Telegram counts them:
# an answer goes out with a short header and must stay under 4,096.
MAX_TEXT = 2000


class TooLong(ValueError):
    """A question or answer over MAX_TEXT: refused whole, never cut silently."""

    def __init__(self, length: int) -> None:
        super().__init__(f"{length} UTF-16 units; the limit is {MAX_TEXT}")
        self.length = length
        self.limit = MAX_TEXT


def check_length(text: str) -> None:
    """TooLong when `text` is longer than Telegram lets an enquiry's message be."""
    length = utf16_length(text)
    if length > MAX_TEXT:
        raise TooLong(length)


STEPS = ("topic", "question", "contact", "consent", "confirm")


# The topic of a question typed instead of pressing a topic button.
OTHER_TOPIC = "other"
# Fewer words than this, where a phone number is asked for, is a mistyped
# number or a name.
MIN_WORDS = 2


def says_something(text: str) -> bool:
    """Words that say something ("I live in Alytus, call after 5"), not a
    mistyped number ("86123x") nor small talk ("labas", "ačiū, viso gero"):
    typed where a phone number was asked for, they belong to the enquiry."""
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    letters = sum(c.isalpha() for c in text)
    return (
        len(words) >= MIN_WORDS
        and letters > sum(c.isdigit() for c in text)
        and conversation.classify(text).kind != "smalltalk"
    )


# A reply to the buttons, typed: never words for staff. (An e-mail, a phone
# number or a town typed there is, and joins the enquiry.)
_BUTTON_REPLIES = frozenset(
    """
    ne nea nesutinku taip jo sutinku gerai ok okay oki no nope yes yeah yep agree
    disagree sure
    """.split()
)


def replies_to_buttons(text: str) -> bool:
    """ "ne", "ok", "taip" typed where the consent or confirmation buttons wait."""
    words = tokens(text)
    return bool(words) and all(w in _BUTTON_REPLIES for w in words)


class InvalidPhone(ValueError):
    """Not a phone number (Lithuanian or international)."""


class EnquiryStep(StrEnum):
    """The steps of an enquiry being written, in order."""

    TOPIC = "topic"
    QUESTION = "question"
    CONTACT = "contact"  # a phone number, shared or typed, or skipped
    CONSENT = "consent"
    CONFIRM = "confirm"
    # Not a new enquiry: the next message is added to a sent one (/my_enquiries).
    FOLLOW_UP = "follow_up"


# What a learner may still add to: staff have not closed it.
OPEN_STATUSES = frozenset({EnquiryStatus.NEW, EnquiryStatus.IN_PROGRESS, EnquiryStatus.ANSWERED})


@dataclass
class EnquiryDraft:
    step: str
    lang: str
    text: str | None = None
    topic: str | None = None
    programme_id: str | None = None
    name: str | None = None
    phone: str | None = None
    # Binds the buttons shown for this draft to it (see the module's notes).
    nonce: str = ""
    # With the FOLLOW_UP step: the learner's sent enquiry the next message joins.
    follow_up_of: int | None = None
    # "Register": the text is written for the learner; the centre needs a phone.
    registration: bool = False


def new_nonce() -> str:
    """A short random token for callback data (72 bits, no '|')."""
    return secrets.token_urlsafe(9)


def source_key(nonce: str) -> str:
    """The enquiry's idempotency key: the draft it was made from."""
    return f"draft:{nonce}"


def normalise_phone(raw: str) -> str:
    """'861234567' or '+370 612 34567' -> '+37061234567'; InvalidPhone otherwise."""
    # phonenumbers reads letters as a keypad's ("1-800-FLOWERS") or an
    # extension: here a letter is a typo, and the number would be wrong.
    if any(c.isalpha() for c in raw):
        raise InvalidPhone(raw)
    try:
        number = phonenumbers.parse(raw, "LT")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(raw) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_in_search(typed: str) -> str | None:
    """A search that is a phone number in any common form ('861234567',
    '+370 612 34567', '37061234567'), as stored (E.164); None otherwise."""
    digits = "".join(c for c in typed if c.isdigit())
    if not 8 <= len(digits) <= 15 or any(c.isalpha() for c in typed):
        return None
    for candidate in (typed, "+" + digits):
        try:
            return normalise_phone(candidate)
        except InvalidPhone:
            continue
    return None


def split_contact(typed: str) -> tuple[str, str | None]:
    """'Jonas Jonaitis 8 612 34567' -> ('+37061234567', 'Jonas Jonaitis'); the
    name is optional, the phone is not (InvalidPhone)."""
    for match in phonenumbers.PhoneNumberMatcher(typed, "LT"):
        phone = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        name = (typed[: match.start] + " " + typed[match.end :]).strip(" ,;:-\n\t")
        return phone, typed_value(name)[:100] or None
    raise InvalidPhone(typed)


class EnquiryService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        roles: RoleService,
        staff_chat_id: int | None = None,
        idle_timeout: dt.timedelta = dt.timedelta(minutes=30),
        staff_thread_id: int | None = None,
        escalation_hours: float = 8.0,
        retention_days: int = 365,
        working_hours: WorkingHours | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles
        self.staff_chat_id = staff_chat_id
        self.staff_thread_id = staff_thread_id  # a forum topic of the staff chat
        self.idle_timeout = idle_timeout
        self.escalation_hours = escalation_hours
        self.retention_days = retention_days
        self.working_hours = working_hours or WorkingHours()
        # Told the enquiry whose status or assignee just changed (after the
        # commit): the bot edits its staff-chat post to show it.
        self.listeners: list[Callable[[int], None]] = []

    def changed(self, enquiry_id: int) -> None:
        for listener in self.listeners:
            listener(enquiry_id)

    def _now(self) -> str:
        return self.clock.now().astimezone(dt.UTC).isoformat()

    # ------------------------------------------------------------ the draft
    async def _save(self, user_id: int, draft: EnquiryDraft) -> EnquiryDraft:
        async with self.db.transaction() as conn:
            await enquiries_repo.put_draft(
                conn, user_id, draft.step, json.dumps(asdict(draft)), self._now()
            )
        return draft

    async def start(
        self,
        user_id: int,
        lang: str,
        text: str | None = None,
        topic: str | None = None,
        programme_id: str | None = None,
        registration: bool = False,
    ) -> EnquiryDraft:
        step = (
            EnquiryStep.CONTACT if text else (EnquiryStep.QUESTION if topic else EnquiryStep.TOPIC)
        )
        draft = EnquiryDraft(step, lang, text[:MAX_TEXT] if text else None, topic, programme_id)
        draft.registration = registration
        # A new draft (replacing any earlier one): the earlier one's buttons are stale.
        draft.nonce = new_nonce()
        return await self._save(user_id, draft)

    async def start_follow_up(
        self, user_id: int, lang: str, enquiry_id: int
    ) -> EnquiryDraft | None:
        """The learner's next message will be added to their open enquiry; None
        when it is not theirs or no longer open."""
        enquiry = await self.get(enquiry_id)
        if enquiry is None or enquiry.user_id != user_id or enquiry.status not in OPEN_STATUSES:
            return None
        draft = EnquiryDraft(EnquiryStep.FOLLOW_UP, lang, follow_up_of=enquiry_id)
        draft.nonce = new_nonce()
        return await self._save(user_id, draft)

    async def draft(self, user_id: int) -> tuple[EnquiryDraft | None, bool]:
        """The learner's draft and whether one just expired (then it is gone)."""
        stored = await enquiries_repo.get_draft(self.db.reader, user_id)
        if stored is None:
            return None, False
        _step, data, updated = stored
        if self.clock.now() - dt.datetime.fromisoformat(updated) > self.idle_timeout:
            await self.cancel(user_id)
            return None, True
        draft = EnquiryDraft(**json.loads(data))
        if not draft.nonce:
            # Written before drafts had nonces: give it one (its old buttons are stale).
            draft.nonce = new_nonce()
            await self._save(user_id, draft)
        return draft, False

    async def set_topic(self, user_id: int, draft: EnquiryDraft, topic: str) -> EnquiryDraft:
        draft.topic, draft.step = topic, EnquiryStep.QUESTION
        return await self._save(user_id, draft)

    async def set_text(self, user_id: int, draft: EnquiryDraft, text: str) -> EnquiryDraft:
        draft.text, draft.step = text[:MAX_TEXT], EnquiryStep.CONTACT
        return await self._save(user_id, draft)

    async def add_text(self, user_id: int, draft: EnquiryDraft, text: str) -> EnquiryDraft:
        """Words typed once the question is written (at the consent or the
        confirmation): added to it, never dropped; the step stays. TooLong
        (counting the whole question) when they do not fit."""
        combined = f"{draft.text}\n\n{text}" if draft.text else text
        check_length(combined)
        draft.text = combined
        return await self._save(user_id, draft)

    async def set_contact(
        self, user_id: int, draft: EnquiryDraft, phone: str | None, name: str | None
    ) -> EnquiryDraft:
        """Phone (validated) and name are optional; skipping gives neither."""
        draft.phone = normalise_phone(phone) if phone else None
        draft.name = (typed_value(name)[:100] or None) if name else None
        draft.step = EnquiryStep.CONSENT
        return await self._save(user_id, draft)

    async def set_typed_contact(
        self, user_id: int, draft: EnquiryDraft, typed: str
    ) -> EnquiryDraft:
        """A phone number typed by the learner, with their name if they wrote one."""
        phone, name = split_contact(typed)
        draft.phone, draft.name, draft.step = phone, name, EnquiryStep.CONSENT
        return await self._save(user_id, draft)

    async def consent(self, user_id: int, draft: EnquiryDraft) -> EnquiryDraft:
        draft.step = EnquiryStep.CONFIRM
        return await self._save(user_id, draft)

    async def cancel(self, user_id: int, nonce: str | None = None) -> bool:
        """Drop the learner's draft; with a nonce, only if it is that draft."""
        async with self.db.transaction() as conn:
            if nonce is not None:
                stored = await enquiries_repo.get_draft(conn, user_id)
                if stored is None or json.loads(stored[1]).get("nonce") != nonce:
                    return False
            return await enquiries_repo.drop_draft(conn, user_id)

    async def submit(self, user_id: int, nonce: str) -> Enquiry | None:
        """Create the enquiry from the learner's confirmed draft with this nonce,
        once: the same draft submitted again gives the enquiry made from it."""
        key = source_key(nonce)
        async with self.db.transaction() as conn:
            existing = await enquiries_repo.by_source(conn, key)
            if existing is not None:
                return existing if existing.user_id == user_id else None
            stored = await enquiries_repo.get_draft(conn, user_id)
            if stored is None:
                return None
            draft = EnquiryDraft(**json.loads(stored[1]))
            if draft.nonce != nonce or draft.step != EnquiryStep.CONFIRM or not draft.text:
                return None
            enquiry_id = await enquiries_repo.create(
                conn,
                user_id=user_id,
                lang=draft.lang,
                topic=draft.topic,
                programme_id=draft.programme_id,
                text=draft.text,
                name=draft.name,
                phone=draft.phone,
                source_key=key,
                now=self._now(),
            )
            await enquiries_repo.drop_draft(conn, user_id)
            return await enquiries_repo.get(conn, enquiry_id)

    async def sent_from(self, user_id: int, nonce: str) -> Enquiry | None:
        """The enquiry made from the learner's draft with this nonce, if it was sent.
        One whose learner erased their data since is still found (user id None)."""
        if not nonce:
            return None
        found = await enquiries_repo.by_source(self.db.reader, source_key(nonce))
        if found is None or found.user_id not in (user_id, None):
            return None
        return found

    # ------------------------------------------------------------ the staff side
    async def posted_to_staff(self, enquiry_id: int, chat_id: int, message_id: int) -> None:
        async with self.db.transaction() as conn:
            await enquiries_repo.set_staff_post(conn, enquiry_id, chat_id, message_id)

    async def by_staff_message(self, chat_id: int, message_id: int) -> Enquiry | None:
        return await enquiries_repo.by_staff_message(self.db.reader, chat_id, message_id)

    async def by_learner_message(self, user_id: int, message_id: int) -> Enquiry | None:
        return await enquiries_repo.by_learner_message(self.db.reader, user_id, message_id)

    async def act(self, staff_id: int, enquiry_id: int, action: str) -> Enquiry | None:
        """Take, close or mark as spam; staff only, audited."""
        enquiry, _done = await self.act_as_shown(staff_id, enquiry_id, action, None)
        return enquiry

    async def act_as_shown(
        self, staff_id: int, enquiry_id: int, action: str, shown: str | None
    ) -> tuple[Enquiry | None, bool]:
        """Take, close or mark as spam (staff only, audited), but only while the
        enquiry is in the status `shown` on the button pressed (None: any); the
        enquiry as it is now, and whether the action was done."""
        status = {
            "take": EnquiryStatus.IN_PROGRESS,
            "close": EnquiryStatus.CLOSED,
            "spam": EnquiryStatus.SPAM,
        }[action]
        await self.roles.require(staff_id, Role.STAFF, f"enquiry_{action}", str(enquiry_id))
        async with self.db.transaction() as conn:
            current = await enquiries_repo.get(conn, enquiry_id)
            if current is None:
                return None, False
            if shown is not None and current.status != shown:
                # A button of an older state of the post (answered, taken or
                # closed since): it does not act.
                return current, False
            await enquiries_repo.set_status(
                conn, enquiry_id, status, self._now(), staff_id if action == "take" else None
            )
            await roles_repo.audit(
                conn, self._now(), staff_id, f"enquiry_{action}", str(enquiry_id), "done"
            )
            after = await enquiries_repo.get(conn, enquiry_id)
        self.changed(enquiry_id)
        return after, True

    async def staff_answer(
        self, staff_id: int, enquiry_id: int, text: str, source_key: str
    ) -> int | None:
        """Record a staff answer on its way (staff only); its message id, or None
        if this reply was recorded before. The status changes only when it is
        delivered (`delivered`). TooLong, before anything is recorded or sent,
        when the learner could not be sent it."""
        check_length(text)
        await self.roles.require(staff_id, Role.STAFF, "enquiry_answer", str(enquiry_id))
        async with self.db.transaction() as conn:
            return await enquiries_repo.add_message(
                conn,
                enquiry_id=enquiry_id,
                direction="staff",
                author_id=staff_id,
                text=text,
                source_key=source_key,
                now=self._now(),
                delivery=Delivery.PENDING,
            )

    async def delivered(
        self, message_id: int, delivery: Delivery, reason: str | None = None
    ) -> None:
        """What became of a staff answer: kept with it, audited, and only a
        delivered answer makes the enquiry "answered"."""
        async with self.db.transaction() as conn:
            found = await enquiries_repo.set_delivery(conn, message_id, delivery, reason)
            if found is None:
                return
            enquiry_id, staff_id, _text = found
            if delivery == Delivery.SENT:
                await enquiries_repo.set_status(
                    conn, enquiry_id, EnquiryStatus.ANSWERED, self._now(), staff_id
                )
            target = f"{enquiry_id}:{reason.partition(':')[0]}" if reason else str(enquiry_id)
            await roles_repo.audit(
                conn, self._now(), staff_id, "enquiry_answer", target, str(delivery)
            )
        if delivery == Delivery.SENT:
            # The status changed: the staff-chat post says so.
            self.changed(enquiry_id)

    async def retry_answer(self, staff_id: int, enquiry_id: int, message_id: int) -> str | None:
        """The text of a refused or uncertain answer to send again (marked on
        its way), or None when it is not one (sent, or on its way already)."""
        await self.roles.require(staff_id, Role.STAFF, "enquiry_answer", str(enquiry_id))
        async with self.db.transaction() as conn:
            found = await enquiries_repo.staff_answer_of(conn, enquiry_id, message_id)
            if found is None or found[1] not in (Delivery.REFUSED, Delivery.UNCERTAIN):
                return None
            await enquiries_repo.set_delivery(conn, message_id, Delivery.PENDING, None)
            return found[0]

    async def follow_up(
        self, user_id: int, enquiry_id: int, text: str, source_key: str
    ) -> int | None:
        """A learner's reply goes into the same enquiry and reopens it."""
        async with self.db.transaction() as conn:
            message_id = await enquiries_repo.add_message(
                conn,
                enquiry_id=enquiry_id,
                direction="learner",
                author_id=user_id,
                text=text[:MAX_TEXT],
                source_key=source_key,
                now=self._now(),
            )
            if message_id is not None:
                await enquiries_repo.set_status(
                    conn, enquiry_id, EnquiryStatus.IN_PROGRESS, self._now()
                )
        if message_id is not None:
            self.changed(enquiry_id)
        return message_id

    async def shown(
        self,
        message_id: int,
        *,
        learner_message_id: int | None = None,
        staff_chat_id: int | None = None,
        staff_message_id: int | None = None,
    ) -> None:
        async with self.db.transaction() as conn:
            await enquiries_repo.message_shown(
                conn,
                message_id,
                learner_message_id=learner_message_id,
                staff_chat_id=staff_chat_id,
                staff_message_id=staff_message_id,
            )

    async def mine(self, user_id: int) -> list[tuple[Enquiry, str | None]]:
        return await enquiries_repo.for_user(self.db.reader, user_id)

    async def overdue(self) -> list[Enquiry]:
        """Enquiries waiting for staff longer than `escalation_hours` working
        hours (Europe/Vilnius, weekends and public holidays not counted),
        each marked so that it is raised only once."""
        now = self.clock.now()
        due = [
            e
            for e in await enquiries_repo.awaiting_staff(self.db.reader)
            if self.working_hours.add(
                dt.datetime.fromisoformat(e.updated_at), self.escalation_hours
            )
            <= now
        ]
        raised = []
        async with self.db.transaction() as conn:
            for enquiry in due:
                if await enquiries_repo.mark_escalated(conn, enquiry.id, self._now()):
                    raised.append(enquiry)
        return raised

    async def purge_finished(self) -> int:
        """Retention: closed and spam enquiries untouched for `retention_days` go."""
        before = (self.clock.now() - dt.timedelta(days=self.retention_days)).astimezone(dt.UTC)
        async with self.db.transaction() as conn:
            return await enquiries_repo.purge_finished(conn, before.isoformat())

    def log(
        self, since: dt.date | None = None, status: str | None = None, programme: str | None = None
    ) -> AsyncIterator[Enquiry]:
        """The enquiry log for admins, streamed oldest first."""
        start = dt.datetime.combine(since, dt.time(0), dt.UTC).isoformat() if since else None
        return enquiries_repo.iterate(
            self.db.reader, since=start, status=status, programme_id=programme
        )

    async def get(self, enquiry_id: int) -> Enquiry | None:
        return await enquiries_repo.get(self.db.reader, enquiry_id)
