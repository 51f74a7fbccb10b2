"""The reply journal: a reply is recorded when its request leaves, under the
update being handled, and only the handling task's own sends count."""

from __future__ import annotations

import asyncio

from bot.transport import intake
from services.container import Services
from tests.offline import offline_application

LEARNER = 6100


def _update(update_id: int) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 3,
            "date": 1_790_000_000,
            "text": "labas",
            "chat": {"id": LEARNER, "type": "private"},
            "from": {"id": LEARNER, "is_bot": False, "first_name": "Ona"},
        },
    }


async def test_a_task_started_while_handling_is_not_journalled_under_the_update(
    services: Services,
) -> None:
    app, emu = await offline_application(services)
    emu.send_text(LEARNER, "/start")  # the chat exists
    try:
        [inbox_id] = await services.intake.store([_update(41)])
        assert inbox_id is not None
        token = await intake.begin(services.intake, inbox_id, replay=False)
        try:
            await app.bot.send_message(LEARNER, "the reply")
            # Something the handler starts (a reminder run, a broadcast):
            # not one of this update's replies, whatever context it inherits.
            await asyncio.create_task(app.bot.send_message(LEARNER, "from a task"))
            await app.bot.send_message(LEARNER, "the second reply")
        finally:
            intake.end(token)
        journal = await services.intake.journal(inbox_id)
    finally:
        await app.shutdown()
    # Recorded when each left: the first confirmed with the second, which is
    # the last one (its confirmation would come with a third, or "done").
    assert sorted(journal) == [0, 1]
    assert journal[0][0] == "sent" and journal[1] == ("sending", None)
    assert [m["text"] for m in emu.messages(LEARNER)][-3:] == [
        "the reply",
        "from a task",
        "the second reply",
    ]


async def test_a_replay_skips_what_was_sent_and_sends_what_was_queued(
    services: Services,
) -> None:
    """After a crash: seq 0 was confirmed, seq 1 never left the process (no
    record). Handling again returns 0's recorded result and sends 1 once."""
    app, emu = await offline_application(services)
    emu.send_text(LEARNER, "/start")
    try:
        [inbox_id] = await services.intake.store([_update(42)])
        assert inbox_id is not None
        token = await intake.begin(services.intake, inbox_id, replay=False)
        try:
            await app.bot.send_message(LEARNER, "first")
            await app.bot.send_message(LEARNER, "second")  # confirms "first"
        finally:
            intake.end(token)
        # As if the process died with "second" still queued: forget its record.
        await services.intake.not_sent(inbox_id, 1)
        before = len(emu.messages(LEARNER))
        token = await intake.begin(services.intake, inbox_id, replay=True)
        try:
            first = await app.bot.send_message(LEARNER, "first")
            await app.bot.send_message(LEARNER, "second")
        finally:
            intake.end(token)
    finally:
        await app.shutdown()
    assert first.text == "first"  # the recorded answer, not a new message
    assert [m["text"] for m in emu.messages(LEARNER)][before:] == ["second"]
