"""The attendance sheet on a phone (390 px), in Debian's Chromium, with the
real bot: each press is saved at once, and the press that completes a
participant's attendance sends them their certificate. Screenshots:
docs/screenshots/attendance-390.png, certificates-390.png."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator

import pytest
from pypdf import PdfReader

from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from tests.admin.browser import PHONE, SCREENSHOTS, chromium, needs_chromium, sign_in_link
from tests.admin.conftest import STAFF_ID
from tests.conftest import ADMIN_ID, TOKEN
from tests.registration_helpers import add_registration, give_certificate
from vtcbot.runner import BotRunner, ConsoleConfig

pytestmark = needs_chromium

PROGRAMME = "pd-digital-didactics"
GROUP = "pd-digital-didactics-2027-01"
DAY1, DAY2 = f"{GROUP}-day1", f"{GROUP}-day2"
AFTER = dt.datetime(2027, 1, 20, 11, 30, tzinfo=dt.UTC)
PEOPLE = {
    5101: "Ąžuolė Čiurlionytė-Šėgždė",
    5102: "Jonas Jonaitis",
    5103: "Marija Petrauskienė",
}


@pytest.fixture
async def base(
    services: Services, emulator: BotApiEmulator, clock: FixedClock
) -> AsyncIterator[tuple[str, str]]:
    assert emulator.url is not None
    clock.at = AFTER
    await services.roles.grant_staff(ADMIN_ID, STAFF_ID)
    give_certificate(services, PROGRAMME, hours=8, min_attendance=100)
    runner = BotRunner(
        services, TOKEN, emulator.url, concurrent_updates=8, console=ConsoleConfig("127.0.0.1", 0)
    )
    await runner.start()
    for user_id, name in PEOPLE.items():
        # They registered through the bot: it has their chats.
        emulator.send_text(user_id, "/start", language_code="lt")
        await emulator.wait_for_messages(user_id, 1, timeout=10)
        await add_registration(services, user_id, GROUP, name=name, lang="lt")
    await add_registration(services, 5104, GROUP, name="Laukianti Eilėje", status="waiting")
    link = await sign_in_link(emulator, STAFF_ID)
    yield link.split("/login/")[0], link
    await runner.stop()


async def test_the_attendance_sheet_works_on_a_phone(
    base: tuple[str, str], emulator: BotApiEmulator, services: Services
) -> None:
    from playwright.async_api import expect

    url, link = base
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with chromium() as browser:
        page = await browser.new_page(locale="en-GB", viewport=PHONE)
        await page.goto(link)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(url + "/")
        await page.goto(url + "/attendance")
        await page.get_by_label("Group").select_option(GROUP)
        await page.get_by_role("button", name="Show").click()
        await page.get_by_role("link", name="Seminar day 1", exact=False).click()
        await page.wait_for_url(f"{url}/attendance/{GROUP}/{DAY1}")

        rows = page.locator("ul.sheet > li")
        await expect(rows).to_have_count(3)  # confirmed participants only
        for index, state in enumerate(("Present", "Absent", "Excused")):
            await rows.nth(index).get_by_role("button", name=state).click()
            row = page.locator("ul.sheet > li").nth(index)
            await expect(row.get_by_role("button", name=state)).to_have_attribute(
                "aria-pressed", "true"
            )
            await expect(row.get_by_role("status")).to_have_text("Saved")
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # Each button is big enough for a thumb, and the three fit in one row.
        boxes = [
            await rows.nth(0).get_by_role("button", name=s).bounding_box()
            for s in ("Present", "Absent", "Excused")
        ]
        assert all(b is not None and b["height"] >= 44 for b in boxes)
        assert len({round(b["y"]) for b in boxes if b is not None}) == 1
        await page.screenshot(path=str(SCREENSHOTS / "attendance-390.png"), full_page=True)

        # Day 2: the first participant's second presence earns the certificate.
        await page.get_by_role("link", name="Next session").click()
        await page.locator("ul.sheet > li").nth(0).get_by_role("button", name="Present").click()
        await expect(page.get_by_text("1 certificate issued and sent.")).to_be_visible()
        [document] = [
            m for m in await emulator.wait_for_messages(5101, 2, timeout=10) if "document" in m
        ]
        assert document["document"]["file_name"].startswith("certificate-")
        assert "Skaitmeninė didaktika profesiniame mokyme" in document["caption"]
        # The PDF the learner received, read back: Lithuanian letters intact.
        received = emulator.file_bytes(document["document"]["file_id"])
        pdf_text = PdfReader(io.BytesIO(received)).pages[0].extract_text()
        assert PEOPLE[5101] in pdf_text and "baigė mokymus" in pdf_text
        assert "Skaitmeninė didaktika profesiniame mokyme" in pdf_text

        await page.goto(f"{url}/certificates?group={GROUP}")
        await expect(page.locator("table.certificates")).to_contain_text(PEOPLE[5101])
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        await page.screenshot(path=str(SCREENSHOTS / "certificates-390.png"), full_page=True)
    [certificate] = await services.certificates.listed(ADMIN_ID, GROUP)
    assert certificate.sent_at is not None
