"""The feedback survey end to end, through the emulator with the real runner
and console: the group ends (injected clock), the participant is asked once
in their language, answers with buttons and a comment, and the console's
feedback page shows the answer without who gave it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from services.registrations import Outcome
from tests.admin.browser import sign_in_link
from tests.admin.conftest import post_link
from tests.emu_helpers import buttons, next_message, staffed_centre, wait_for_edit
from vtcbot.runner import BotRunner, ConsoleConfig

STAFF_CHAT = -1001555
STAFF = 3101
LEARNER = 2601
NAME = "Ąžuolė Čiurlionytė"
GROUP = "pd-digital-didactics-2027-01"  # confirm: automatic; its last day 20 January 2027
AFTER_END = dt.datetime(2027, 1, 21, 9, 0, tzinfo=dt.UTC)
COMMENT = "Daugiau praktinių užduočių su simuliatoriais."


@pytest.fixture
async def centre(
    tmp_path: Path, clock: FixedClock, emulator: BotApiEmulator
) -> AsyncIterator[tuple[Services, BotRunner]]:
    async with staffed_centre(
        tmp_path / "survey.db",
        clock,
        emulator,
        STAFF_CHAT,
        STAFF,
        console=ConsoleConfig("127.0.0.1", 0),
    ) as running:
        yield running


def _invitations(emulator: BotApiEmulator) -> list[dict[str, Any]]:
    """The survey's first questions the learner was sent (as sent: the bot
    edits the message in place as they answer)."""
    return [
        e["message"]
        for e in emulator.events(0)
        if e["kind"] == "sent"
        and e["chat_id"] == LEARNER
        and "Kiek naudingas buvo mokymų turinys?" in (e["message"].get("text") or "")
    ]


async def _press(emulator: BotApiEmulator, message: dict[str, Any], text: str) -> dict[str, Any]:
    """Press a button of a message the bot edits in place: the message as edited."""
    since = emulator.state.last_event_seq
    emulator.press(LEARNER, message["message_id"], text)
    return await wait_for_edit(emulator, LEARNER, message["message_id"], since)


async def test_a_group_ends_the_learner_answers_once_and_the_console_shows_it_anonymously(
    centre: tuple[Services, BotRunner], emulator: BotApiEmulator, clock: FixedClock
) -> None:
    services, runner = centre
    emulator.send_text(LEARNER, "/start", language_code="lt")
    await next_message(emulator, LEARNER)
    made = await services.registrations.register(
        user_id=LEARNER,
        group_id=GROUP,
        lang="lt",
        details={
            "name": NAME,
            "email": "azuole@example.lt",
            "school": "Alytaus profesinio rengimo centras",
            "subject": "Informacinės technologijos",
        },
        payment="self",
        payment_details=None,
        nonce="survey-e2e",
    )
    assert made.outcome == Outcome.CONFIRMED

    # Before the group ends the round asks nobody.
    await runner.surveys.run()
    assert _invitations(emulator) == []
    clock.at = AFTER_END
    count = len(emulator.messages(LEARNER))
    # The runner's job makes this round every ten minutes; here it is made at
    # once (should the job's own first round take it, the claim keeps it one).
    await runner.surveys.run()
    await emulator.wait_for_messages(LEARNER, count + 1)
    [invitation] = _invitations(emulator)
    assert "Skaitmeninė didaktika profesiniame mokyme" in invitation["text"]
    assert buttons(invitation) == ["1", "2", "3", "4", "5"]

    teacher = await _press(emulator, invitation, "5")
    assert "2/3." in teacher["text"]
    organisation = await _press(emulator, teacher, "4")
    assert "3/3." in organisation["text"]
    comment = await _press(emulator, organisation, "3")
    assert buttons(comment) == ["Praleisti"]
    emulator.send_text(LEARNER, COMMENT)
    thanks = await next_message(emulator, LEARNER)
    assert thanks["text"].startswith("Ačiū!")

    # Asked once: later rounds, days later, ask nothing again.
    clock.at = AFTER_END + dt.timedelta(days=3)
    await runner.surveys.run()
    assert len(_invitations(emulator)) == 1

    # The console (over loopback, signed in with the link the bot sends).
    assert runner.console_url is not None
    link = await sign_in_link(emulator, STAFF)
    async with httpx.AsyncClient(
        base_url=runner.console_url, headers={"Accept-Language": "en"}
    ) as browser:
        signed_in = await post_link(browser, link.split("/login/")[1])
        assert signed_in.status_code == 303
        page = await browser.get(f"/feedback?group={GROUP}")
        assert page.status_code == 200
        shown = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
        assert "1 answer" in shown
        averages = re.findall(r"<td>(\d\.\d\d)</td>", page.text)
        assert averages == ["5.00", "4.00", "3.00"]
        assert COMMENT in shown
        # Nothing says who answered: no name, no e-mail, no Telegram id.
        for identity in (NAME, "Ąžuolė", "azuole@example.lt", str(LEARNER)):
            assert identity not in page.text
        export = await browser.get(f"/feedback.csv?group={GROUP}")
        rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff"))))
        assert len(rows) == 2 and COMMENT in rows[1]
        assert not any(NAME in cell or str(LEARNER) in cell for cell in rows[1])
