"""Presses that claim a seat act in the order they reached the bot, even
though the bot handles many chats' updates at once."""

from __future__ import annotations

import asyncio
import datetime as dt

from telegram import CallbackQuery, Chat, Message, Update, User

from bot.application import PerChatUpdateProcessor
from bot.handlers.registration import claims_seat
from texts import callbacks
from texts.callbacks import Action, RegisterButton


def _press(update_id: int, data: str) -> Update:
    user = User(update_id, "L", False)
    # Each learner presses in their own private chat.
    menu = Message(1, dt.datetime(2027, 1, 1, tzinfo=dt.UTC), Chat(update_id, Chat.PRIVATE))
    query = CallbackQuery(str(update_id), user, "instance", data=data, message=menu)
    return Update(update_id, callback_query=query)


async def _finish_order(processor: PerChatUpdateProcessor, presses: list[Update]) -> list[int]:
    done: list[int] = []

    async def handle(update: Update, slow_steps: int) -> None:
        # The first press's handler is slow (its transaction waits for the
        # database); the later ones are quick.
        for _ in range(slow_steps):
            await asyncio.sleep(0)
        done.append(update.update_id)

    await asyncio.gather(
        *(
            processor.do_process_update(u, handle(u, 20 if i == 0 else i))
            for i, u in enumerate(presses)
        )
    )
    return done


async def test_seat_presses_finish_in_arrival_order() -> None:
    confirm = callbacks.pack(Action.REGISTER, RegisterButton.CONFIRM, "nonce")
    presses = [_press(n, confirm) for n in (1, 2, 3)]
    assert all(claims_seat(p) for p in presses)
    in_line = PerChatUpdateProcessor(64, claims_seat)
    assert await _finish_order(in_line, presses) == [1, 2, 3]
    # Without the line, the quick ones overtake the slow first press: the
    # order the race benchmark found before the line existed.
    free = PerChatUpdateProcessor(64)
    assert await _finish_order(free, presses) != [1, 2, 3]


def test_only_presses_that_take_or_give_a_seat_wait_in_line() -> None:
    takes = [
        callbacks.pack(Action.REGISTER, RegisterButton.CONFIRM, "n"),
        callbacks.pack(Action.REGISTER, RegisterButton.ACCEPT_OFFER, 5),
        callbacks.pack(Action.MY_COURSES, RegisterButton.DO_CANCEL, 5),
    ]
    others = [
        callbacks.pack(Action.REGISTER, RegisterButton.AGREE, "n"),
        callbacks.pack(Action.MY_COURSES, RegisterButton.ASK_CANCEL, 5),
        callbacks.pack(Action.PRICE, "welder"),
    ]
    assert [claims_seat(_press(1, d)) for d in takes] == [True, True, True]
    assert [claims_seat(_press(1, d)) for d in others] == [False, False, False]
    assert not claims_seat(object())
