"""Durable intake on the Telegram side.

Polling: updates are committed to the inbox inside get_updates, before PTB
asks for the next batch (that next call is what confirms them to Telegram).
Webhook: see bot/webhook.py, which commits before answering 200.
Either way an update is marked done only after its handlers have finished,
and unfinished ones are handled again at start-up.

Replies sent while handling an update are journalled by (update id, order)
before they go out, so handling it again after a crash skips them.
"""

from __future__ import annotations

import contextvars
import itertools
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.error import NetworkError, TelegramError
from telegram.ext import ExtBot

from services.intake import IntakeService

log = logging.getLogger(__name__)

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
    update_id: int
    replay: bool
    journal: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    # Replies Telegram confirmed, written to the journal with the next one.
    delivered: list[tuple[int, str]] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=itertools.count)


current: contextvars.ContextVar[_Handling | None] = contextvars.ContextVar(
    "vtcbot_current_update", default=None
)


class DurableBot(ExtBot[None]):
    """An ExtBot that commits updates before confirming them and journals replies."""

    def __init__(
        self, *args: Any, intake: IntakeService, admitted: set[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # PTB freezes its objects after __init__; these are set once, here.
        with self._unfrozen():
            self.intake: IntakeService | None = intake
            # Update ids stored for the first time and not yet handled.
            self.admitted = admitted

    async def _store_batch(self, batch: list[dict[str, Any]]) -> None:
        """Commit a getUpdates batch before PTB asks for the next one (which
        confirms it to Telegram). Ids seen before are done or are being
        handled by the start-up replay; they go back to PTB unadmitted, so
        its offset still moves past them but nothing handles them twice."""
        if not batch or self.intake is None:
            return
        fresh = await self.intake.store(batch)
        self.admitted.update(fresh)

    async def _do_post(self, endpoint: str, data: Any, *args: Any, **kwargs: Any) -> Any:
        if endpoint == "getUpdates":
            batch = await super()._do_post(endpoint, data, *args, **kwargs)
            if isinstance(batch, list):
                await self._store_batch(batch)
            return batch
        handling = current.get()
        if handling is None or self.intake is None or endpoint not in JOURNALLED:
            return await super()._do_post(endpoint, data, *args, **kwargs)
        seq = next(handling.counter)
        update_id = handling.update_id
        if handling.replay and seq in handling.journal:
            state, recorded = handling.journal[seq]
            if state == "sent" and recorded is not None:
                return json.loads(recorded)  # delivered before the crash
            # Handed over at the instant of the crash: delivered or not, it is
            # not repeated (a double answer is what learners notice most).
            log.warning(
                "update %s: %s #%s was in flight at the last stop; not repeated",
                update_id,
                endpoint,
                seq,
            )
            await self.intake.uncertain(update_id, seq, endpoint)
            return _stand_in(endpoint, data)
        # Recorded before the request: a crash right after it must not send
        # the message again. The window where a crash loses a reply is the
        # moment between this commit and the request leaving; the other order
        # would double a reply for as long as the commit after it waits.
        await self.intake.sending(update_id, seq, endpoint, handling.delivered)
        handling.delivered.clear()
        try:
            answer = await super()._do_post(endpoint, data, *args, **kwargs)
        except TelegramError as exc:
            # Telegram refused it (bad request, blocked, slow down): not sent,
            # so a later attempt may send it. A network error or a timeout
            # may come after delivery: the record stays.
            if not isinstance(exc, NetworkError):
                await self.intake.not_sent(update_id, seq)
            raise
        # Confirmed; recorded with the next reply or forgotten when the update
        # is done. Until then a crash counts it as uncertain, never resends it.
        handling.delivered.append((seq, json.dumps(answer)))
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


async def begin(intake: IntakeService, update_id: int, replay: bool) -> contextvars.Token[Any]:
    journal = await intake.journal(update_id) if replay else {}
    return current.set(_Handling(update_id, replay, journal))


def end(token: contextvars.Token[Any]) -> None:
    current.reset(token)
