"""A learner's 👎 in the bot reaches the console: the question on the
unanswered page beside the answer it got, and the weekly 👎 share on the
dashboard."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.application import VtcApplication
from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from tests.admin.conftest import LEARNER_ID, STAFF_ID, sign_in
from tests.handlers.conftest import Chat
from tests.offline import offline_application

HELPED = "how much is the forklift course?"
NOT_HELPED = "is there an evening electrician course?"
LATER = "is the March evening MAG welding group full already?"


@pytest.fixture
async def bot(services: Services) -> AsyncIterator[tuple[VtcApplication, BotApiEmulator]]:
    app, emu = await offline_application(services)
    yield app, emu
    await app.shutdown()


def _rows(html: str, marker: str) -> list[str]:
    """The table rows (as text without tags) of the rows with this class."""
    rows = re.findall(rf'<tr class="{marker}">(.*?)</tr>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in rows]


async def _answer_and_vote(chat: Chat, question: str, label: str) -> None:
    [answer] = await chat.say(question)
    await chat.press(answer, label)


async def test_not_helpful_answers_reach_the_unanswered_page_and_the_dashboard(
    console: httpx.AsyncClient,
    services: Services,
    clock: FixedClock,
    bot: tuple[VtcApplication, BotApiEmulator],
) -> None:
    learner = Chat(*bot, LEARNER_ID, "en")
    # Week from 16 November: one 👍, one 👎 (50 %).
    await _answer_and_vote(learner, HELPED, "👍 Helpful")
    await _answer_and_vote(learner, NOT_HELPED, "👎 Not helpful")
    # Week from 23 November: one 👎 (100 %).
    clock.advance(dt.timedelta(days=7))
    await _answer_and_vote(learner, LATER, "👎 Not helpful")

    await sign_in(console, services, STAFF_ID)
    page = await console.get("/unanswered")
    assert page.status_code == 200
    assert "Answered, but not helpful" in page.text
    # Newest vote first; each question beside the catalogue entry it was given.
    assert _rows(page.text, "not-helpful") == [
        "28/11/2026, 12:00 English is the March evening MAG welding group full already? "
        "MAG/MIG welding of steel (for adults), 2027-03-01 (cont-welder-mag-2027-03-evening)",
        "21/11/2026, 12:00 English is there an evening electrician course? "
        "Electrician (for adults) (cont-electrician)",
    ]
    assert HELPED not in page.text

    home = await console.get("/")
    assert home.status_code == 200
    share = home.text[home.text.index('id="not-helpful"') :]
    assert "2026-11-16 · Not helpful: 1/2 (50 %)" in share
    assert "2026-11-23 · Not helpful: 1/1 (100 %)" in share
    assert "highest week: 100 %" in share
    # The same figures as a table, for readers who cannot see the chart.
    table = " ".join(re.sub(r"<[^>]+>", " ", share[: share.index("</table>")]).split())
    assert "2026-11-16 2 1 50 %" in table
    assert "2026-11-23 1 1 100 %" in table
