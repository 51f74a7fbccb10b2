"""The console's Registrations page end to end: learners register through
the poster's link (the real bot against the emulator), a staff member signs
in with the link the bot sends and, over loopback HTTP, confirms one and
declines one with a reason; the bot tells each learner, and the declined
seat is offered to the first in line."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from tests.admin.browser import sign_in_link
from tests.admin.conftest import post_link
from tests.emu_helpers import buttons, staffed_centre, until_found
from tests.test_registrations_e2e import _register as register_by_link
from vtcbot.runner import BotRunner, ConsoleConfig

STAFF_CHAT = -1009877
STAFF = 3102
GROUP = "nf-digital-skills-2026-12-evening"  # staff confirm; 2 seats free
REASON = "Šiai grupei reikia darbo su kompiuteriu pagrindų pažymėjimo."
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
ONCE = re.compile(r'name="once" value="([^"]+)"')


@pytest.fixture
async def centre(
    tmp_path: Path, clock: FixedClock, emulator: BotApiEmulator
) -> AsyncIterator[tuple[Services, BotRunner]]:
    async with staffed_centre(
        tmp_path / "console.db",
        clock,
        emulator,
        STAFF_CHAT,
        STAFF,
        console=ConsoleConfig("127.0.0.1", 0),
    ) as running:
        yield running


def _said(emulator: BotApiEmulator, chat_id: int, words: str) -> str | None:
    return next(
        (m["text"] for m in emulator.messages(chat_id) if words in (m.get("text") or "")), None
    )


def _form(page: str, action: str) -> dict[str, str]:
    """The hidden fields of the form posting to `action`, as the page gives them."""
    form = page.split(f'action="{action}"')[1].split("</form>")[0]
    csrf, once = CSRF.search(form), ONCE.search(form)
    assert csrf is not None and once is not None
    return {"csrf": csrf.group(1), "once": once.group(1)}


async def test_staff_confirm_and_decline_in_the_console_reach_the_learners(
    emulator: BotApiEmulator, centre: tuple[Services, BotRunner]
) -> None:
    services, runner = centre
    for learner in (2801, 2802, 2803):
        await register_by_link(emulator, learner, GROUP, f"Learner {learner}")
    first, second, third = (r.id for r in await services.registrations.list_for_group(GROUP))

    assert runner.console_url is not None
    link = await sign_in_link(emulator, STAFF)
    async with httpx.AsyncClient(
        base_url=runner.console_url, headers={"Accept-Language": "en"}
    ) as browser:
        assert (await post_link(browser, link.split("/login/")[1])).status_code == 303
        page = (await browser.get(f"/registrations/{GROUP}")).text
        assert re.search(r'id="count-pending">2<', page) and re.search(
            r'id="count-waiting">1<', page
        )

        confirm = f"/registrations/{GROUP}/{first}/confirm"
        done = await browser.post(confirm, data=_form(page, confirm))
        assert done.status_code == 303
        decline = f"/registrations/{GROUP}/{second}/decline"
        declined = await browser.post(decline, data={**_form(page, decline), "reason": REASON})
        assert declined.status_code == 303
        after = (await browser.get(declined.headers["location"])).text
        assert re.search(r'id="count-confirmed">1<', after)
        assert re.search(r'id="count-offered">1<', after)

    # The bot tells each learner: the confirmation, the reason, the offer.
    confirmed = await until_found(emulator, lambda: _said(emulator, 2801, "is confirmed"))
    assert confirmed.startswith(f"Your registration {first} for Digital skills for adults")
    told = await until_found(emulator, lambda: _said(emulator, 2802, REASON))
    assert told == (
        f"The centre declined your registration {second} for Digital skills for adults. "
        f"Reason: {REASON}"
    )
    offer = await until_found(emulator, lambda: _said(emulator, 2803, "held for you until"))
    assert f"(registration {third})" in offer

    # The staff chat's post of the confirmed registration says so, without
    # its Confirm / Decline buttons now (a change from the console is a change).
    def confirmed_post() -> dict[str, Any] | None:
        return next(
            (
                m
                for m in emulator.messages(STAFF_CHAT)
                if m.get("text", "").startswith(f"Nauja registracija {first}")
                and "patvirtinta" in m["text"]
            ),
            None,
        )

    post = await until_found(emulator, confirmed_post)
    assert buttons(post) == []
