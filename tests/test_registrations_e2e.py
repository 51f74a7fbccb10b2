"""Registrations end to end, the bot running against the emulator with a
staff chat: the deep link and its closed cases, the staff chat's Confirm and
Decline (with the reason as a reply), the console's confirmation reaching
the learner, an offer that lapses by the injected clock and passes on, and a
double tap that makes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from domain.registrations import RegistrationStatus
from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from tests.emu_helpers import (
    buttons,
    next_message,
    reply_in_staff_chat,
    staffed_centre,
    wait_for_edit,
)
from vtcbot.runner import BotRunner

STAFF_CHAT = -1009876
STAFF = 3101
GROUP = "nf-digital-skills-2026-12-evening"  # staff confirm; 14 seats, 12 taken
FULL = "driving-b-2027-01-evening"  # 24 of 24 taken
DEADLINE = "pd-digital-didactics-2027-01"  # deadline 14 Jan, starts 19 Jan

T = TypeVar("T")


@pytest.fixture
async def centre(
    tmp_path: Path, clock: FixedClock, emulator: BotApiEmulator
) -> AsyncIterator[tuple[Services, BotRunner]]:
    async with staffed_centre(tmp_path / "reg.db", clock, emulator, STAFF_CHAT, STAFF) as found:
        yield found


async def _until(emulator: BotApiEmulator, check: Callable[[], T | None]) -> T:
    """What `check` finds once the bot has done it (it is tried after each event)."""
    seq = emulator.state.last_event_seq
    while True:
        found = check()
        if found:
            return found
        events = await emulator.wait_for_events(seq, timeout=5)
        assert events, "the bot did nothing more"
        seq = events[-1]["seq"]


def _staff_posts(emulator: BotApiEmulator, start: str) -> list[dict[str, Any]]:
    return [m for m in emulator.messages(STAFF_CHAT) if m.get("text", "").startswith(start)]


def _texts(emulator: BotApiEmulator, chat_id: int) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in emulator.messages(chat_id)]


async def _register(
    emulator: BotApiEmulator, learner: int, group: str, name: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An English learner registers through the poster's link, paying
    themselves: (the summary, as confirmed; the result message)."""
    emulator.send_text(learner, f"/start reg-{group}", language_code="en")
    answers = {
        "first name and surname": name,
        "phone number?": "8 612 34567",
        "e-mail address?": f"learner{learner}@example.lt",
        "school or institution": "Alytaus profesinio rengimo centras",
        "subject or field": "Informacinės technologijos",
    }
    while True:
        message = await next_message(emulator, learner)
        text = message["text"]
        typed = next((v for k, v in answers.items() if k in text), None)
        if typed is not None:
            emulator.send_text(learner, typed, language_code="en")
        elif text.startswith("Who will pay"):
            emulator.press(learner, message["message_id"], "I pay myself")
        elif "/privacy" in text:
            emulator.press(learner, message["message_id"], "I agree")
        elif text.startswith("Please check your registration"):
            seq = emulator.state.last_event_seq
            emulator.press(learner, message["message_id"], "Confirm")
            result = await wait_for_edit(emulator, learner, message["message_id"], seq)
            return message, result
        else:
            raise AssertionError(f"unexpected step: {text!r}")


async def test_staff_confirm_and_decline_in_the_staff_chat_reach_the_learner(
    emulator: BotApiEmulator, centre: tuple[Services, BotRunner]
) -> None:
    services, _runner = centre
    # HTML-like words in a name are shown as written, never as markup.
    summary, result = await _register(emulator, 2601, GROUP, "Ona <b>Onaitė</b> & Co")
    assert "Name: Ona <b>Onaitė</b> & Co" in summary["text"]
    assert result["text"].startswith("Registered, number 1. A seat is held for you")

    [post] = await _until(emulator, lambda: _staff_posts(emulator, "Nauja registracija 1"))
    assert "Vardas: Ona <b>Onaitė</b> & Co" in post["text"]
    assert "Vietos: laisva 1 iš 14" in post["text"]
    assert buttons(post) == ["Patvirtinti", "Atmesti su priežastimi"]

    # A double tap on the learner's Confirm makes nothing new, nor a second post.
    confirm = summary["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    answered = len(emulator.callback_answers())
    emulator.press_button(2601, summary["message_id"], confirm)
    await _until(emulator, lambda: len(emulator.callback_answers()) > answered)
    assert len(await services.registrations.list_for_user(2601)) == 1

    # Staff confirm: the post shows it, the learner is told and follows the group.
    emulator.press(STAFF, post["message_id"], "Patvirtinti", chat_id=STAFF_CHAT)
    note = await _until(
        emulator,
        lambda: next((t for t in _texts(emulator, 2601) if "is confirmed" in t), None),
    )
    assert note.startswith("Your registration 1 for Digital skills for adults is confirmed.")
    [calendar] = await _until(emulator, lambda: emulator.documents(2601))
    assert calendar["file_name"].endswith(".ics")
    assert await services.reminders.subscriptions(2601)
    edited = emulator.message(STAFF_CHAT, post["message_id"])
    assert "patvirtinta" in edited["text"] and buttons(edited) == []

    # The old Confirm, pressed again, says how things stand and changes nothing.
    answered = len(emulator.callback_answers())
    emulator.press_button(
        STAFF,
        post["message_id"],
        post["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        chat_id=STAFF_CHAT,
    )
    answer = await _until(emulator, lambda: emulator.callback_answers()[answered:] or None)
    assert answer[0]["text"] == "Registracija 1: patvirtinta."

    # A second learner, declined with a reason written as a reply.
    await _register(emulator, 2602, GROUP, "Jonas Jonaitis")
    [post2] = await _until(emulator, lambda: _staff_posts(emulator, "Nauja registracija 2"))
    emulator.press(STAFF, post2["message_id"], "Atmesti su priežastimi", chat_id=STAFF_CHAT)
    [prompt] = await _until(emulator, lambda: _staff_posts(emulator, "Kodėl registracija 2"))
    reply_in_staff_chat(emulator, STAFF_CHAT, STAFF, prompt, "Grupė skirta <dirbantiems>.")
    declined = await _until(
        emulator, lambda: next((t for t in _texts(emulator, 2602) if "declined" in t), None)
    )
    assert declined == (
        "The centre declined your registration 2 for Digital skills for adults. "
        "Reason: Grupė skirta <dirbantiems>."
    )
    assert await _until(emulator, lambda: _staff_posts(emulator, "Registracija 2 atmesta"))
    refreshed = await _until(
        emulator,
        lambda: "atmesta" in emulator.message(STAFF_CHAT, post2["message_id"])["text"] or None,
    )
    assert refreshed
    made = await services.registrations.get(2)
    assert made is not None and made.status == RegistrationStatus.DECLINED


async def _offer_job(runner: BotRunner) -> None:
    """The minute's job that passes lapsed offers on, run now."""
    assert runner.app.job_queue is not None
    [job] = runner.app.job_queue.get_jobs_by_name("registration-offers")
    await job.run(runner.app)


async def test_the_console_confirms_and_an_offer_lapses_by_the_clock_to_the_next_in_line(
    emulator: BotApiEmulator, centre: tuple[Services, BotRunner], clock: FixedClock
) -> None:
    services, runner = centre
    for learner in (2701, 2702, 2703, 2704):
        _summary, result = await _register(emulator, learner, GROUP, f"Learner {learner}")
    assert result["text"].startswith("The group is full, so you are on the waiting list, number 4")
    assert result["text"].endswith("You are number 2 in line.")

    # What the console's Confirm calls: the learner hears of it from the bot.
    confirmed = await services.registrations.confirm(1, STAFF)
    assert confirmed.done
    note = await _until(
        emulator, lambda: next((t for t in _texts(emulator, 2701) if "is confirmed" in t), None)
    )
    assert note.startswith("Your registration 1 for Digital skills for adults is confirmed.")
    assert await _until(emulator, lambda: emulator.documents(2701))

    # The second learner cancels: the first in line is offered the seat.
    emulator.send_text(2702, "/my_courses", language_code="en")
    mine = await next_message(emulator, 2702)
    emulator.press(2702, mine["message_id"], "Cancel registration 2")
    sure = await next_message(emulator, 2702)
    emulator.press(2702, sure["message_id"], "Yes, cancel it")
    offer = await _until(
        emulator,
        lambda: next(
            (m for m in emulator.messages(2703) if "held for you until" in m["text"]), None
        ),
    )
    # Held 24 hours from 21 Nov 10:00 UTC: shown in Vilnius time (UTC+2).
    assert "A seat is free in Digital skills for adults (registration 3)" in offer["text"]
    assert "until 22/11/2026, 12:00." in offer["text"]
    assert buttons(offer) == ["Accept", "Decline"]
    moved = await _until(emulator, lambda: _staff_posts(emulator, "Laukiančiųjų eilė pajudėjo"))
    assert "registracijai 3" in moved[0]["text"]
    assert "Vietos: laisvų 0 iš 14" in moved[0]["text"]

    # Nobody answers; a day later the minute's job passes the offer on.
    clock.at = clock.at + dt.timedelta(hours=24, minutes=1)
    await _offer_job(runner)
    lapsed = await _until(
        emulator, lambda: next((t for t in _texts(emulator, 2703) if "lapsed" in t), None)
    )
    assert lapsed == "Your offer for registration 3 lapsed and passed to the next in line."
    second = await _until(
        emulator,
        lambda: next(
            (m for m in emulator.messages(2704) if "held for you until" in m["text"]), None
        ),
    )
    # The lapsed offer's buttons no longer take the seat.
    emulator.press(2703, offer["message_id"], "Accept")
    stale = await _until(
        emulator,
        lambda: "lapsed" in emulator.message(2703, offer["message_id"])["text"] or None,
    )
    assert stale
    emulator.press(2704, second["message_id"], "Accept")
    taken = await _until(
        emulator,
        lambda: (
            "centre will confirm" in emulator.message(2704, second["message_id"])["text"] or None
        ),
    )
    assert taken
    # Staff see that the seat was taken, under the registration's post, which
    # now has its buttons.
    [note4] = await _until(emulator, lambda: _staff_posts(emulator, "Registracija 4: pasiūlyta"))
    [post4] = _staff_posts(emulator, "Nauja registracija 4")
    assert note4["reply_to_message"]["message_id"] == post4["message_id"]
    assert await _until(
        emulator, lambda: buttons(emulator.message(STAFF_CHAT, post4["message_id"]))
    )
    statuses = [r.status for r in await services.registrations.list_for_group(GROUP)]
    assert statuses == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CANCELLED,
        RegistrationStatus.EXPIRED,
        RegistrationStatus.PENDING,
    ]


async def test_the_deep_link_to_unknown_closed_and_full_groups(
    emulator: BotApiEmulator, centre: tuple[Services, BotRunner], clock: FixedClock
) -> None:
    services, _runner = centre
    emulator.send_text(2801, "/start reg-no-such-group", language_code="en")
    unknown = await next_message(emulator, 2801)
    assert unknown["text"] == "There is no such group. Here is what the centre offers:"

    # Full: the waiting list, with the place in line; staff see it without buttons.
    _summary, result = await _register(emulator, 2802, FULL, "Petras Petraitis")
    assert result["text"].startswith("The group is full, so you are on the waiting list, number 1")
    assert result["text"].endswith("You are number 1 in line.")
    [post] = await _until(emulator, lambda: _staff_posts(emulator, "Nauja registracija 1"))
    assert "laukiančiųjų sąraše" in post["text"] and buttons(post) == []

    clock.at = dt.datetime(2027, 1, 15, 9, 0, tzinfo=dt.UTC)
    count = len(emulator.messages(2803))
    emulator.send_text(2803, f"/start reg-{DEADLINE}", language_code="en")
    closed, card = (await emulator.wait_for_messages(2803, count + 2))[-2:]
    assert closed["text"].startswith(
        "Registration for this group is closed: the deadline has passed. Contact the centre:"
    )
    assert "Digital didactics in VET" in card["text"]

    clock.at = dt.datetime(2027, 1, 19, 9, 0, tzinfo=dt.UTC)
    count = len(emulator.messages(2803))
    emulator.send_text(2803, f"/start reg-{DEADLINE}", language_code="en")
    started, _card = (await emulator.wait_for_messages(2803, count + 2))[-2:]
    assert started["text"].startswith(
        "Registration for this group is closed: the group has started."
    )
    assert [r.user_id for r in await services.registrations.list_for_group(DEADLINE)] == []


async def test_forget_edits_the_registration_post_and_frees_the_seat(
    emulator: BotApiEmulator, centre: tuple[Services, BotRunner]
) -> None:
    services, _runner = centre
    name = "Ona Užmirštoji"
    for learner, who in ((2901, name), (2902, "Jonas Jonaitis"), (2903, "Eilė Laukiančioji")):
        await _register(emulator, learner, GROUP, who)
    [post] = await _until(emulator, lambda: _staff_posts(emulator, "Nauja registracija 1"))
    assert name in post["text"]
    # A staff press stores an update that quotes the post.
    emulator.press(STAFF, post["message_id"], "Patvirtinti", chat_id=STAFF_CHAT)
    await _until(
        emulator, lambda: next((t for t in _texts(emulator, 2901) if "is confirmed" in t), None)
    )

    emulator.send_text(2901, "/forget", language_code="en")
    confirm = await next_message(emulator, 2901)
    seq = emulator.state.last_event_seq
    emulator.press(2901, confirm["message_id"], "Yes, erase my data")
    erased = await wait_for_edit(emulator, STAFF_CHAT, post["message_id"], seq)
    assert erased["text"] == "Registracija 1 ištrinta besimokančiojo prašymu."
    assert not erased.get("reply_markup")
    # The freed seat goes to the first in line.
    offer = await _until(
        emulator,
        lambda: next(
            (m for m in emulator.messages(2903) if "held for you until" in m["text"]), None
        ),
    )
    assert "(registration 3)" in offer["text"]
    assert await services.registrations.list_for_user(2901) == []
    async with services.db.reader.execute(
        "SELECT COUNT(*) FROM inbox WHERE instr(payload, ?) > 0", (name,)
    ) as cur:
        row = await cur.fetchone()
    assert row is not None and row[0] == 0
