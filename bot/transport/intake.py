"""Durable intake on the Telegram side.

Polling: updates are committed to the inbox inside get_updates, before PTB
asks for the next batch (that next call is what confirms them to Telegram).
Webhook: see bot/transport/webhook.py, which commits before answering 200.
Either way an update is marked done only after its handlers have finished,
and unfinished ones are handled again at start-up.

Each update handed to PTB carries its inbox row id in `api_kwargs`
(INBOX_KEY). An update without one is a redelivery of a stored update or a
stand-in for one that could not be parsed: PTB sees it (so its offset moves
on) and nothing handles it.

Replies sent while handling an update are journalled by (inbox id, order)
at the instant their request's bytes leave (after the pacer's turn), so
handling the update again after a crash skips what was sent and sends what
was still queued.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import itertools
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, cast

from telegram import Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import ExtBot

from bot.transport.http import before_bytes_leave
from bot.transport.pacing import Outgoing, Priority
from services import metrics
from services.intake import IntakeService, implausible, update_id_of

log = logging.getLogger(__name__)

# The key under which an update carries its inbox row id through PTB.
INBOX_KEY = "vtcbot_inbox_id"

# Methods whose effect a learner would see twice if repeated.
JOURNALLED = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "editMessageText",
        "editMessageReplyMarkup",
        "deleteMessage",
        "copyMessage",
        "forwardMessage",
    }
)


@dataclass
class _Handling:
    inbox_id: int
    replay: bool
    # The task handling the update. Tasks it starts (a reminder run, a
    # broadcast, the staff-post edits) inherit this context but are not
    # part of its replies: their sends are not journalled under it.
    task: asyncio.Task[Any] | None
    journal: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    # Replies Telegram confirmed, written to the journal with the next one.
    delivered: list[tuple[int, str]] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=itertools.count)


current: contextvars.ContextVar[_Handling | None] = contextvars.ContextVar(
    "vtcbot_current_update", default=None
)


def inbox_id_of(update: Update) -> int | None:
    """The inbox row an update was admitted as; None: not to be handled."""
    value = update.api_kwargs.get(INBOX_KEY)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse(raw: dict[str, Any], bot: ExtBot[None], inbox_id: int) -> Update:
    """The update as PTB's object, carrying its inbox id; raises if it is not
    a well-formed Telegram update."""
    reason = implausible(raw)
    if reason is not None:
        raise ValueError(reason)
    update = Update.de_json({**raw, INBOX_KEY: inbox_id}, bot)
    if update is None:
        raise ValueError("empty update")
    return update


class DurableBot(ExtBot[None]):
    """An ExtBot that commits updates before confirming them and journals replies."""

    def __init__(self, *args: Any, intake: IntakeService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # PTB freezes its objects after __init__; this is set once, here.
        with self._unfrozen():
            self.intake: IntakeService | None = intake
            # Items without an update id, logged once each (Telegram would
            # send them again until a later update moves the offset on).
            self._unusable_seen: set[str] = set()

    async def admit(self, inbox_id: int, raw: dict[str, Any]) -> Update | None:
        """Parse an update, counting each failure; None once it is set aside."""
        assert self.intake is not None
        update_id = int(raw["update_id"])
        while True:
            try:
                return parse(raw, self, inbox_id)
            except Exception as exc:
                if await self.intake.failed_attempt(inbox_id, update_id, type(exc).__name__):
                    return None

    async def _store_batch(self, batch: list[Any]) -> list[dict[str, Any]]:
        """Commit a getUpdates batch before PTB asks for the next one (which
        confirms it to Telegram), and give PTB what it can parse: fresh updates
        with their inbox id, stand-ins for the rest (so that its offset moves
        past them and nothing handles them)."""
        if self.intake is None:
            return batch
        usable = [raw for raw in batch if update_id_of(raw) is not None]
        # One inbox id (or None: stored before) per usable item, in order.
        stored = iter(await self.intake.store(usable) if usable else [])
        handed: list[dict[str, Any]] = []
        for raw in batch:
            if update_id_of(raw) is None:
                handed.extend(self._unusable(raw))
                continue
            inbox_id = next(stored)
            stand_in = {"update_id": raw["update_id"]}
            if inbox_id is None:
                handed.append(stand_in)  # stored before: done or being handled
                continue
            handed.append(
                {**raw, INBOX_KEY: inbox_id}
                if await self.admit(inbox_id, raw) is not None
                else stand_in
            )
        return handed

    def _unusable(self, raw: Any) -> list[dict[str, Any]]:
        """An item with no update id we can store. One with an integer id
        still moves PTB's offset past it (a stand-in), so it is not fetched
        again; one with none cannot, and is only logged, once."""
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if isinstance(update_id, int) and not isinstance(update_id, bool) and update_id >= 0:
            log.warning("an update with an id out of range was ignored")
            return [{"update_id": update_id}]
        key = hashlib.sha256(repr(raw).encode()).hexdigest()
        if key not in self._unusable_seen:
            self._unusable_seen.add(key)
            log.warning("an item without an update id was ignored")
        return []

    async def _do_post(self, endpoint: str, data: Any, *args: Any, **kwargs: Any) -> Any:
        if endpoint == "getUpdates":
            batch = await super()._do_post(endpoint, data, *args, **kwargs)
            if isinstance(batch, list):
                return await self._store_batch(batch)
            return batch
        handling = current.get()
        if (
            handling is None
            or handling.task is not asyncio.current_task()
            or self.intake is None
            or endpoint not in JOURNALLED
        ):
            return await super()._do_post(endpoint, data, *args, **kwargs)
        intake = self.intake
        seq = next(handling.counter)
        inbox_id = handling.inbox_id
        if handling.replay and seq in handling.journal:
            state, recorded = handling.journal[seq]
            if state == "sent" and recorded is not None:
                return json.loads(recorded)  # delivered before the crash
            # On the wire at the instant of the crash: delivered or not, it is
            # not repeated (a double answer is what learners notice most).
            log.warning(
                "update in inbox %s: %s #%s was on its way at the last stop; not repeated",
                inbox_id,
                endpoint,
                seq,
            )
            await intake.uncertain(inbox_id, seq, endpoint)
            return _stand_in(endpoint, data)
        requested = self._extract_rl_kwargs(data)
        if isinstance(requested, Outgoing):
            outgoing = requested
        else:
            priority = Priority.INTERACTIVE if requested is None else Priority(requested)
            outgoing = Outgoing(priority)
        # The bot is typed ExtBot[None] throughout; its limiter takes Outgoing.
        self._merge_api_rl_kwargs(data, cast(Any, outgoing))
        journalled = False

        async def on_wire() -> None:
            # Just before the first bytes leave, after the pacer's turn: a
            # reply still queued at a crash has no record and is sent after
            # the restart. Nothing runs between this commit and the write, so
            # a kill loses a reply only if it lands inside the write itself;
            # recording after the request would double a reply for as long as
            # Telegram's answer takes.
            nonlocal journalled
            if journalled:
                return  # a later chunk, or the retry of a 429: recorded already
            delivered = list(handling.delivered)
            handling.delivered.clear()
            await intake.sending(inbox_id, seq, endpoint, delivered)
            journalled = True

        token = before_bytes_leave.set(on_wire)
        try:
            answer = await super()._do_post(endpoint, data, *args, **kwargs)
        except TelegramError as exc:
            # Telegram refused it (bad request, blocked, slow down): not sent,
            # so a later attempt may send it. A network error or a timeout
            # may come after delivery: the record stays.
            if journalled and not isinstance(exc, NetworkError):
                await intake.not_sent(inbox_id, seq)
            raise
        finally:
            before_bytes_leave.reset(token)
        # Confirmed; recorded with the next reply or forgotten when the update
        # is done. Until then a crash counts it as uncertain, never resends it.
        handling.delivered.append((seq, json.dumps(answer)))
        metrics.replied(inbox_id)
        return answer


def _stand_in(endpoint: str, data: Any) -> Any:
    """What the API returned for a call that is not repeated: handlers only
    need something shaped like it."""
    if endpoint == "deleteMessage":
        return True
    params = dict(getattr(data, "parameters", None) or data or {})
    chat_id = params.get("chat_id", 0)
    return {
        "message_id": int(params.get("message_id", 0) or 0),
        "date": int(time.time()),
        "chat": {
            "id": int(chat_id) if str(chat_id).lstrip("-").isdigit() else 0,
            "type": "private",
        },
        "text": str(params.get("text", "")),
    }


async def begin(intake: IntakeService, inbox_id: int, replay: bool) -> contextvars.Token[Any]:
    journal = await intake.journal(inbox_id) if replay else {}
    return current.set(_Handling(inbox_id, replay, asyncio.current_task(), journal))


def end(token: contextvars.Token[Any]) -> None:
    current.reset(token)
