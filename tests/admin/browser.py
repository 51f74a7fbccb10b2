"""What the browser tests share: the bot and console running against the
emulator, Debian's Chromium, signing in with the link the bot sends."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from emulator import BotApiEmulator
from services.container import Services
from tests.conftest import ADMIN_ID, ROOT, STAFF_ID, TOKEN
from vtcbot.runner import BotRunner, ConsoleConfig

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "docs" / "screenshots"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/login/\S+")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# The group whose registrations the seeded console shows.
REGISTRATIONS_GROUP = "nf-digital-skills-2026-12-evening"

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (make test installs it)",
)


@dataclass
class Console:
    """A running bot and console with the seeded data, and the admin's
    one-time sign-in link."""

    services: Services
    base: str
    link: str
    ids: dict[str, int]


@asynccontextmanager
async def running_console(services: Services, emulator: BotApiEmulator) -> AsyncIterator[Console]:
    """The bot and its console against the emulator, seeded as after a few
    weeks of use (seed_console), with a sign-in link for the admin."""
    assert emulator.url is not None
    await services.roles.grant_staff(ADMIN_ID, STAFF_ID)
    ids = await seed_console(services)
    runner = BotRunner(
        services, TOKEN, emulator.url, concurrent_updates=8, console=ConsoleConfig("127.0.0.1", 0)
    )
    await runner.start()
    try:
        link = await sign_in_link(emulator, ADMIN_ID)
        yield Console(services, link.split("/login/")[0], link, ids)
    finally:
        await runner.stop()


@pytest.fixture
async def seeded_console(services: Services, emulator: BotApiEmulator) -> AsyncIterator[Console]:
    """The seeded bot and console for one test."""
    async with running_console(services, emulator) as console:
        yield console


def pages(c: Console) -> list[tuple[str, str]]:
    """(name, address) of every page a signed-in admin can open."""
    return [
        ("dashboard", "/"),
        ("enquiries", "/enquiries"),
        ("enquiry", f"/enquiries/{c.ids['night']}"),
        ("broadcasts", "/broadcasts"),
        ("catalogue", "/catalogue"),
        ("programme", "/catalogue/programmes/cont-electrician"),
        ("unanswered", "/unanswered"),
        ("registrations-groups", "/registrations"),
        ("registrations-group", f"/registrations/{REGISTRATIONS_GROUP}"),
        ("people", "/people?q=Onait"),
        ("person", "/people/2001"),
        ("staff-member", f"/people/{STAFF_ID}"),
        ("audit", "/audit"),
        ("password", "/password"),
        ("not-found", "/no-such-page"),
    ]


async def sign_in_link(
    emulator: BotApiEmulator, user_id: int, lang: str = "en", name: str = "Rūta Kairienė"
) -> str:
    """What a staff member does first: /admin to the bot, which sends a link
    (and keeps the name Telegram gives them)."""
    before = len(emulator.messages(user_id))
    first, _, last = name.partition(" ")
    emulator.send_text(
        user_id, "/admin", language_code=lang, first_name=first, last_name=last or None
    )
    [message] = (await emulator.wait_for_messages(user_id, before + 1, timeout=10))[before:]
    match = LINK.search(message["text"])
    assert match is not None, message["text"]
    return match.group(0)


# Each browser test runs at both widths.
BOTH_WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])


async def open_from_menu(page: Any, item: str) -> None:
    """Open a page from the menu, as staff do: on a phone the menu is folded
    behind its button first."""
    if page.viewport_size["width"] <= 700:
        await page.get_by_role("button", name=re.compile("^(Menu|Meniu)$")).click()
    await page.locator("#menu").get_by_role("link", name=item, exact=True).click()


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            await browser.close()


async def seed_console(services: Services) -> dict[str, int]:
    """What a console has after a few weeks: enquiries (one received at 02:29
    Vilnius time), a delivered answer, a note, unanswered questions, a
    scheduled broadcast, named staff."""
    import datetime as dt

    from domain.enquiries import Delivery
    from services.broadcasts import Audience
    from storage import enquiries_repo, learners_repo, question_log_repo
    from storage.question_log_repo import QuestionRecord

    await services.roles.remember_name(ADMIN_ID, "Rūta", "Kairienė")
    await services.roles.remember_name(STAFF_ID, "Jonas", "Petraitis")
    async with services.db.transaction() as conn:
        await learners_repo.touch(conn, 2001, "lt", services.clock.now().isoformat())
        night = await enquiries_repo.create(
            conn,
            user_id=2001,
            lang="lt",
            topic="programmes",
            programme_id="cont-electrician",
            text="Ar dar yra laisvų vietų vakarinėje elektrikų grupėje?",
            name="Žydrūnė Onaitė",
            phone="+37061234567",
            source_key="seed:night",
            now="2026-11-21T00:29:00+00:00",
        )
        other = await enquiries_repo.create(
            conn,
            user_id=2002,
            lang="en",
            topic="other",
            programme_id=None,
            text="Can I bring my own laptop to the course?",
            name="Ona Jonaitienė",
            phone="+37061234568",
            source_key="seed:other",
            now="2026-11-20T09:15:00+00:00",
        )
        for n, text in enumerate(("ar galima atsivesti šunį", "kada atostogos")):
            await question_log_repo.add(
                conn,
                QuestionRecord(
                    None,
                    None,
                    None,
                    2100 + n,
                    "lt",
                    text,
                    "other",
                    None,
                    None,
                    None,
                    False,
                    services.clock.now().isoformat(),
                ),
            )
    row = await services.enquiries.staff_answer(
        STAFF_ID, night, "Taip, dar yra 3 vietos.", "seed:a"
    )
    assert row is not None
    await services.enquiries.delivered(row, Delivery.SENT)
    await services.enquiry_console.assign(ADMIN_ID, night, STAFF_ID)
    await services.enquiry_console.note(ADMIN_ID, night, "Paskambinti pirmadienį")
    await services.broadcasts.create(
        ADMIN_ID,
        "Gruodžio 24 d. centras nedirbs.",
        "The centre is closed on 24 December.",
        Audience("everyone"),
        send_at=services.clock.now() + dt.timedelta(days=3),
    )
    # Registrations for the December evening group (2 free seats): two hold
    # them, the third waits in line.
    for user_id, name, payment in (
        (2003, "Gintarė Žukauskienė", "employment_service"),
        (2004, "Tomas Čepulis", "self"),
        (2005, "Eglė Šimkutė", "kursuok"),
    ):
        await services.registrations.register(
            user_id=user_id,
            group_id=REGISTRATIONS_GROUP,
            lang="lt",
            details={"name": name, "phone": f"+3706999{user_id:04d}"},
            payment=payment,
            payment_details=None,
            nonce=f"seed:{user_id}",
        )
    return {"night": night, "other": other}
