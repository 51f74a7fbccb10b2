"""Durable intake on the Telegram side.

Polling: updates are committed to the inbox inside get_updates, before PTB
asks for the next batch (that next call is what confirms them to Telegram).
Webhook: see bot/webhook.py, which commits before answering 200.
Either way an update is marked done only after its handlers have finished,
and unfinished ones are handled again at start-up.

Replies sent while handling an update are journalled by (update id, order),
so handling it again after a crash skips what already went out.
"""

from __future__ import annotations

import contextvars
import itertools
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

from services.intake import IntakeService

log = logging.getLogger(__name__)

# Methods whose effect a learner would see twice if repeated.
JOURNALLED = frozenset(
    {
        "sendMessage", "sendDocument", "sendPhoto", "editMessageText",
        "editMessageReplyMarkup", "deleteMessage", "copyMessage", "forwardMessage",
    }
)


@dataclass
class _Handling:
    update_id: int
    replay: bool
    journal: dict[int, tuple[str, str]] = field(default_factory=dict)
    counter: itertools.count[int] = field(default_factory=itertools.count)


current: contextvars.ContextVar[_Handling | None] = contextvars.ContextVar(
    "vtcbot_current_update", default=None
)


class DurableBot(ExtBot[None]):
    """An ExtBot that commits updates before confirming them and journals replies."""

    def __init__(self, *args: Any, intake: IntakeService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # PTB freezes its objects after __init__; this is set once, here.
        with self._unfrozen():
            self.intake: IntakeService | None = intake

    async def get_updates(  # type: ignore[override]
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: Any = None,
        allowed_updates: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> tuple[Update, ...]:
        updates = await super().get_updates(
            offset=offset, limit=limit, timeout=timeout, allowed_updates=allowed_updates, **kwargs
        )
        if not updates or self.intake is None:
            return updates
        fresh = await self.intake.store(
            [(u.update_id, json.dumps(u.to_dict(), ensure_ascii=False)) for u in updates]
        )
        # Known ids are either done or were handed over by the start-up replay.
        return tuple(u for u in updates if u.update_id in fresh)

    async def _do_post(self, endpoint: str, data: Any, *args: Any, **kwargs: Any) -> Any:
        handling = current.get()
        if handling is None or self.intake is None or endpoint not in JOURNALLED:
            return await super()._do_post(endpoint, data, *args, **kwargs)
        seq = next(handling.counter)
        if handling.replay and seq in handling.journal:
            log.info("update %s: %s #%s was already sent", handling.update_id, endpoint, seq)
            return json.loads(handling.journal[seq][1])
        result = await super()._do_post(endpoint, data, *args, **kwargs)
        await self.intake.sent(handling.update_id, seq, endpoint, json.dumps(result))
        return result


async def begin(intake: IntakeService, update_id: int, replay: bool) -> contextvars.Token[Any]:
    journal = await intake.journal(update_id) if replay else {}
    return current.set(_Handling(update_id, replay, journal))


def end(token: contextvars.Token[Any]) -> None:
    current.reset(token)
