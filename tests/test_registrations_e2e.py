"""Registrations end to end, the bot running against the emulator with a
staff chat: the deep link and its closed cases, the staff chat's Confirm and
Decline (with the reason as a reply), the console's confirmation reaching
the learner, an offer that lapses by the injected clock and passes on, and a
double tap that makes nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from domain.registrations import RegistrationStatus
from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from tests.admin.browser import sign_in_link
from tests.admin.conftest import CSRF, post_link
from tests.emu_helpers import (
    buttons,
    next_message,
    reply_in_staff_chat,
    staffed_centre,
    until_found,
    wait_for_edit,
)
from tests.registration_helpers import register_learner
from vtcbot.runner import BotRunner, ConsoleConfig

STAFF_CHAT = -1009876
STAFF = 3101
GROUP = "nf-digital-skills-2026-12-evening"  # staff confirm; 14 seats, 12 taken
FULL = "driving-b-2027-01-evening"  # 24 of 24 taken
DEADLINE = "pd-digital-didactics-2027-01"  # deadline 14 Jan, starts 19 Jan

ONCE = re.compile(r'name="once" value="([^"]+)"')


@pytest.fixture
async def centre(
    tmp_path: Path, clock: FixedClock, emulator: BotApiEmulator
) -> AsyncIterator[tuple[Services, BotRunner]]:
    async with staffed_centre(
        tmp_path / "reg.db",
        clock,
        emulator,
        STAFF_CHAT,
        STAFF,
        console=ConsoleConfig("127.0.0.1", 0),
    ) as found:
        yield found


async def _press_for_answer(
    emulator: BotApiEmulator, post: dict[str, Any], data: str
) -> dict[str, Any]:
    """A staff member presses a button of a staff-chat post: the bot's answer."""
    answered = len(emulator.callback_answers())
    emulator.press_button(STAFF, post["message_id"], data, chat_id=STAFF_CHAT)
    await until_found(emulator, lambda: len(emulator.callback_answers()) > answered or None)
    return emulator.callback_answers()[answered]


async def _console_confirm(emulator: BotApiEmulator, runner: BotRunner, number: int) -> None:
    """A staff member signs in to the console with the link the bot sends and
    presses Confirm on the group's Registrations page."""
    assert runner.console_url is not None
    link = await sign_in_link(emulator, STAFF)
    async with httpx.AsyncClient(base_url=runner.console_url) as browser:
        assert (await post_link(browser, link.split("/login/")[1])).status_code == 303
        page = await browser.get(f"/registrations/{GROUP}")
        action = f'action="/registrations/{GROUP}/{number}/confirm"'
        form = page.text.split(action)[1]
        csrf, once = CSRF.search(form), ONCE.search(form)
        assert csrf is not None and once is not None
        done = await browser.post(
            f"/registrations/{GROUP}/{number}/confirm",
            data={"csrf": csrf.group(1), "once": once.group(1)},
        )
        assert done.status_code == 303, done.text


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
        elif text.startswith("This group is full"):
            continue  # said before the form; the first question follows
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

    [post] = await until_found(emulator, lambda: _staff_posts(emulator, "Nauja registracija 1"))
    assert "Vardas: Ona <b>Onaitė</b> & Co" in post["text"]
    assert "Vietos: laisva 1 iš 14" in post["text"]
    assert buttons(post) == ["Patvirtinti", "Atmesti (nurodyti priežastį)"]

    # A double tap on the learner's Confirm makes nothing new, nor a second post.
    confirm = summary["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    answered = len(emulator.callback_answers())
    emulator.press_button(2601, summary["message_id"], confirm)
    await until_found(emulator, lambda: len(emulator.callback_answers()) > answered)
    assert len(await services.registrations.list_for_user(2601)) == 1

    # Staff confirm: the post shows it, the learner is told and follows the group.
    emulator.press(STAFF, post["message_id"], "Patvirtinti", chat_id=STAFF_CHAT)
    note = await until_found(
        emulator,
        lambda: next((t for t in _texts(emulator, 2601) if "is confirmed" in t), None),
    )
    assert note.startswith("Your registration 1 for Digital skills for adults is confirmed.")
    [calendar] = await until_found(emulator, lambda: emulator.documents(2601))
    assert calendar["file_name"].endswith(".ics")
    assert await services.reminders.subscriptions(2601)
    edited = emulator.message(STAFF_CHAT, post["message_id"])
    assert "patvirtinta" in edited["text"] and buttons(edited) == []

    # The old Confirm and Decline, pressed again, say how things stand and
    # change nothing (no reason is asked for a confirmed registration).
    for old_button in post["reply_markup"]["inline_keyboard"][0]:
        answer = await _press_for_answer(emulator, post, old_button["callback_data"])
        assert answer["text"] == "Registracija 1: patvirtinta."
    assert _staff_posts(emulator, "Kodėl registracija 1") == []
    made = await services.registrations.get(1)
    assert made is not None and made.status == RegistrationStatus.CONFIRMED

    # A second learner, declined with a reason written as a reply.
    await _register(emulator, 2602, GROUP, "Jonas Jonaitis")
    [post2] = await until_found(emulator, lambda: _staff_posts(emulator, "Nauja registracija 2"))
    emulator.press(STAFF, post2["message_id"], "Atmesti (nurodyti priežastį)", chat_id=STAFF_CHAT)
    [prompt] = await until_found(emulator, lambda: _staff_posts(emulator, "Kodėl registracija 2"))
    # Someone in the chat who is not staff cannot decline it.
    reply_in_staff_chat(emulator, STAFF_CHAT, 4999, prompt, "Nepatinka.")
    assert await until_found(
        emulator, lambda: _staff_posts(emulator, "Tai skirta tik centro darbuotojams.")
    )
    pending = await services.registrations.get(2)
    assert pending is not None and pending.status == RegistrationStatus.PENDING
    reply_in_staff_chat(emulator, STAFF_CHAT, STAFF, prompt, "Grupė skirta <dirbantiems>.")
    declined = await until_found(
        emulator, lambda: next((t for t in _texts(emulator, 2602) if "declined" in t), None)
    )
    assert declined == (
        "The centre declined your registration 2 for Digital skills for adults. "
        "Reason: Grupė skirta <dirbantiems>."
    )
    assert await until_found(emulator, lambda: _staff_posts(emulator, "Registracija 2 atmesta"))
    refreshed = await until_found(
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
    assert result["text"].startswith(
        "The group is full, so you are on the waiting list (registration number 4)"
    )
    assert result["text"].endswith("You are number 2 in line.")

    # Staff confirm in the web console: the learner hears of it from the bot.
    await _console_confirm(emulator, runner, 1)
    note = await until_found(
        emulator, lambda: next((t for t in _texts(emulator, 2701) if "is confirmed" in t), None)
    )
    assert note.startswith("Your registration 1 for Digital skills for adults is confirmed.")
    assert await until_found(emulator, lambda: emulator.documents(2701))

    # The second learner cancels: the first in line is offered the seat.
    emulator.send_text(2702, "/my_courses", language_code="en")
    mine = await next_message(emulator, 2702)
    emulator.press(2702, mine["message_id"], "Cancel registration 2")
    sure = await next_message(emulator, 2702)
    emulator.press(2702, sure["message_id"], "Yes, cancel it")
    offer = await until_found(
        emulator,
        lambda: next(
            (m for m in emulator.messages(2703) if "held for you until" in m["text"]), None
        ),
    )
    # Held 24 hours from 21 Nov 10:00 UTC: shown in Vilnius time (UTC+2).
    assert "A seat is free in Digital skills for adults (registration 3)" in offer["text"]
    assert "until 22/11/2026, 12:00." in offer["text"]
    assert buttons(offer) == ["Accept", "Decline"]
    moved = await until_found(
        emulator, lambda: _staff_posts(emulator, "Laukiančiųjų eilė pajudėjo")
    )
    assert "registracijai 3" in moved[0]["text"]
    assert "Vietos: laisvų 0 iš 14" in moved[0]["text"]
    assert "patvirtinta 1, pasiūlyta 1, eilėje 1" in moved[0]["text"]

    # Nobody answers; a day later the minute's job passes the offer on.
    clock.at = clock.at + dt.timedelta(hours=24, minutes=1)
    await _offer_job(runner)
    lapsed = await until_found(
        emulator, lambda: next((t for t in _texts(emulator, 2703) if "lapsed" in t), None)
    )
    assert lapsed == "Your offer for registration 3 lapsed and passed to the next in line."
    second = await until_found(
        emulator,
        lambda: next(
            (m for m in emulator.messages(2704) if "held for you until" in m["text"]), None
        ),
    )
    # The lapsed offer's buttons no longer take the seat.
    emulator.press(2703, offer["message_id"], "Accept")
    stale = await until_found(
        emulator,
        lambda: "lapsed" in emulator.message(2703, offer["message_id"])["text"] or None,
    )
    assert stale
    emulator.press(2704, second["message_id"], "Accept")
    taken = await until_found(
        emulator,
        lambda: (
            "centre will confirm" in emulator.message(2704, second["message_id"])["text"] or None
        ),
    )
    assert taken
    # Staff see that the seat was taken, under the registration's post, which
    # now has its buttons.
    [note4] = await until_found(
        emulator, lambda: _staff_posts(emulator, "Registracija 4: pasiūlyta")
    )
    [post4] = _staff_posts(emulator, "Nauja registracija 4")
    assert note4["reply_to_message"]["message_id"] == post4["message_id"]
    assert await until_found(
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
    assert result["text"].startswith(
        "The group is full, so you are on the waiting list (registration number 1)"
    )
    assert result["text"].endswith("You are number 1 in line.")
    # ... and was told before the form that it would be the waiting list.
    assert any(t.startswith("This group is full.") for t in _texts(emulator, 2802))
    [post] = await until_found(emulator, lambda: _staff_posts(emulator, "Nauja registracija 1"))
    assert "laukiančiųjų eilėje" in post["text"] and buttons(post) == []

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
    [post] = await until_found(emulator, lambda: _staff_posts(emulator, "Nauja registracija 1"))
    assert name in post["text"]
    # A staff press stores an update that quotes the post.
    emulator.press(STAFF, post["message_id"], "Patvirtinti", chat_id=STAFF_CHAT)
    await until_found(
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
    offer = await until_found(
        emulator,
        lambda: next(
            (m for m in emulator.messages(2903) if "held for you until" in m["text"]), None
        ),
    )
    assert "(registration 3)" in offer["text"]
    # Its staff post says so (the erasure's offer refreshes it too).
    [post3] = _staff_posts(emulator, "Nauja registracija 3")
    assert await until_found(
        emulator,
        lambda: (
            "pasiūlyta vieta, laukiama besimokančiojo atsakymo"
            in emulator.message(STAFF_CHAT, post3["message_id"])["text"]
            or None
        ),
    )
    assert await services.registrations.list_for_user(2901) == []
    async with services.db.reader.execute(
        "SELECT COUNT(*) FROM inbox WHERE instr(payload, ?) > 0", (name,)
    ) as cur:
        row = await cur.fetchone()
    assert row is not None and row[0] == 0


async def test_an_offer_that_lapsed_while_the_bot_was_away_is_neither_sent_nor_said_to_lapse(
    emulator: BotApiEmulator, centre: tuple[Services, BotRunner], clock: FixedClock
) -> None:
    services, runner = centre
    for learner in (3001, 3002, 3003, 3004):
        emulator.send_text(learner, "/start", language_code="en")  # the chat exists
        await next_message(emulator, learner)
        await register_learner(services, learner, GROUP, lang="en", nonce=f"away-{learner}")
    await runner.registrations.run()
    # The sender stands still (as if the bot were down) while a seat is
    # offered and the offer lapses.
    runner.registrations.paused = True
    assert (await services.registrations.cancel(1, 3001)).done
    clock.at = clock.at + dt.timedelta(hours=25)
    assert await services.registrations.expire_offers() == [3]
    runner.registrations.paused = False
    await runner.registrations.run()
    offer = await until_found(
        emulator,
        lambda: next(
            (m for m in emulator.messages(3004) if "held for you until" in m["text"]), None
        ),
    )
    assert "(registration 4)" in offer["text"]
    # Only the /start menu: neither the offer nor its lapse.
    assert len(emulator.messages(3003)) == 1


async def test_an_offer_is_not_held_back_by_the_staff_chats_backlog(
    emulator: BotApiEmulator, centre: tuple[Services, BotRunner]
) -> None:
    """The staff chat takes 20 messages a minute: ten new registrations' posts
    take half a minute, and an offer made meanwhile goes out at once."""
    services, runner = centre
    emulator.send_text(3203, "/start", language_code="en")  # the chat exists
    await next_message(emulator, 3203)
    # Ten registrations at once: their posts are handed over in one round.
    runner.registrations.paused = True
    for learner in range(3201, 3211):
        await register_learner(services, learner, GROUP, lang="en", nonce=f"backlog-{learner}")
    runner.registrations.paused = False
    posting = asyncio.ensure_future(runner.registrations.run())
    await until_found(emulator, lambda: _staff_posts(emulator, "Nauja registracija 1"))
    assert (await services.registrations.cancel(1, 3201)).done
    offer = await until_found(
        emulator,
        lambda: next(
            (m for m in emulator.messages(3203) if "held for you until" in m["text"]), None
        ),
    )
    assert "(registration 3)" in offer["text"]
    # Sent while most of the posts still wait their turn (3 s apart).
    assert len(_staff_posts(emulator, "Nauja registracija")) <= 3
    runner.registrations.paused = True  # the rest is not waited for
    await posting


async def test_a_learner_moved_by_staff_is_told_and_the_reminders_follow(
    emulator: BotApiEmulator, centre: tuple[Services, BotRunner]
) -> None:
    services, _runner = centre
    later = "nf-digital-skills-2027-04-day"
    _summary, _result = await _register(emulator, 2901, GROUP, "Rasa Rasienė")
    [made] = await services.registrations.list_for_user(2901)
    await services.registrations.confirm(made.id, STAFF)
    await until_found(emulator, lambda: emulator.documents(2901))
    assert [s.group.id for s in await services.reminders.subscriptions(2901)] == [GROUP]

    moved = await services.registrations.move(made.id, later, STAFF)
    assert moved.done
    note = await until_found(
        emulator,
        lambda: next((t for t in _texts(emulator, 2901) if "moved your registration" in t), None),
    )
    assert note.startswith(
        f"The centre moved your registration No. {made.id} to another group: "
        "Digital skills for adults, the group from 6 April 2027."
    )
    assert "/my_courses" in note
    # The reminders are the new group's (moved before the learner was told).
    subscriptions = [s.group.id for s in await services.reminders.subscriptions(2901)]
    assert subscriptions == [later]
