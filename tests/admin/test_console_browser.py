"""The web console in a real headless Chromium (Debian's, driven by Playwright):
sign in with the link the bot sends, find an enquiry, answer it, and see the
answer arrive in the learner's chat in the emulator. The screenshots it takes
are the ones in docs/screenshots/."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from services.container import Services
from tests.admin.conftest import STAFF_ID, add_enquiry
from tests.conftest import ADMIN_ID, ROOT, TOKEN
from vtcbot.runner import BotRunner, ConsoleConfig

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "docs" / "screenshots"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/login/\S+")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (make test installs it)",
)


@pytest.fixture
async def stack(
    services: Services, emulator: BotApiEmulator
) -> AsyncIterator[tuple[Services, BotRunner]]:
    assert emulator.url is not None
    await services.roles.grant_staff(ADMIN_ID, STAFF_ID)
    runner = BotRunner(
        services,
        TOKEN,
        emulator.url,
        concurrent_updates=8,
        console=ConsoleConfig("127.0.0.1", 0),
    )
    await runner.start()
    yield services, runner
    await runner.stop()


async def _link(emulator: BotApiEmulator, user_id: int) -> str:
    """What a staff member does first: /admin to the bot, which sends a link."""
    before = len(emulator.messages(user_id))
    emulator.send_text(user_id, "/admin", language_code="en")
    [message] = (await emulator.wait_for_messages(user_id, before + 1, timeout=10))[before:]
    match = LINK.search(message["text"])
    assert match is not None, message["text"]
    return match.group(0)


async def test_sign_in_find_an_enquiry_and_answer_it(
    stack: tuple[Services, BotRunner], emulator: BotApiEmulator, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright, expect

    services, _runner = stack
    learner = 2001
    emulator.state.ensure_private_chat(learner)
    await add_enquiry(services, "Kiek kainuoja B kategorijos kursai?", topic="Kainos")
    wanted = await add_enquiry(
        services, "Ar dar yra laisvų vietų šokių būrelyje vaikams?", topic="Būreliai"
    )
    await add_enquiry(services, "How long is the forklift course?", topic="Trukmė", lang="en")
    link = await _link(emulator, STAFF_ID)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = await browser.new_page(locale="en-GB", viewport={"width": 1200, "height": 820})
        await page.goto(link)
        await page.get_by_role("button", name="Sign in").click()
        await expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        await page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)

        await page.get_by_role("link", name="Enquiries", exact=True).first.click()
        # Typed as learners and staff type: without diacritics.
        await page.get_by_label("Search").fill("sokiu")
        await page.get_by_role("button", name="Filter").click()
        await expect(page.get_by_text("1 enquiry", exact=True)).to_be_visible()
        await page.screenshot(path=str(SCREENSHOTS / "enquiries.png"), full_page=True)

        await page.get_by_role("link", name="Ar dar yra laisvų vietų").click()
        await expect(page.get_by_role("heading", name=f"Enquiry No. {wanted}")).to_be_visible()
        answer = "Taip, vietų dar yra: registruokitės iki gruodžio 1 d."
        await page.get_by_label("Answer to the learner").fill(answer)
        await page.get_by_role("button", name="Send the answer").click()
        await expect(page.get_by_text("The answer was delivered to the learner.")).to_be_visible()
        await page.screenshot(path=str(SCREENSHOTS / "enquiry.png"), full_page=True)
        await browser.close()

    [delivered] = await emulator.wait_for_messages(learner, 1, timeout=10)
    assert answer in delivered["text"]
    assert f"{wanted}" in delivered["text"]


async def test_compose_and_preview_a_broadcast_then_upload_a_broken_catalogue(
    stack: tuple[Services, BotRunner], emulator: BotApiEmulator, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright, expect

    _services, _runner = stack
    for user in (3001, 3002):
        emulator.state.ensure_private_chat(user)
        emulator.send_text(user, "Labas", language_code="lt")
        await emulator.wait_for_messages(user, 1, timeout=10)
    link = await _link(emulator, ADMIN_ID)
    broken = tmp_path / "centre.yaml"
    text = (ROOT / "data" / "centre.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("starts: 2027-01-11", "starts: 2027-13-45", 1), "utf-8")

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = await browser.new_page(locale="en-GB", viewport={"width": 1200, "height": 900})
        await page.goto(link)
        await page.get_by_role("button", name="Sign in").click()
        await page.get_by_role("link", name="Broadcasts").click()
        await page.get_by_label("Text in Lithuanian").fill("<b>Rytoj</b> pamokos nebus")
        await page.get_by_label("Send the Lithuanian text to everyone").check()
        await page.locator('select[name="kind"]').select_option("everyone")
        # The live count (the app's own script), before any preview.
        await expect(page.locator("#recipients")).to_have_text("Recipients now: 3")
        await page.get_by_role("button", name="Preview and count recipients").click()
        # Two learners and the admin, who wrote /admin.
        await expect(page.get_by_text("3 recipients now")).to_be_visible()
        bold = page.locator(".bubble b")
        await expect(bold).to_have_text("Rytoj")
        await page.screenshot(path=str(SCREENSHOTS / "broadcast-preview.png"), full_page=True)
        await page.get_by_role("button", name="Send it now").click()
        await expect(page.get_by_text("Broadcast No. 1 was created.")).to_be_visible()

        await page.get_by_role("link", name="Catalogue").click()
        await page.get_by_label("Catalogue file (YAML)").set_input_files(str(broken))
        await page.get_by_role("button", name="Check the file").click()
        await expect(page.get_by_text("nothing was changed")).to_be_visible()
        await expect(page.get_by_text("not a date (YYYY-MM-DD)")).to_be_visible()
        await page.screenshot(path=str(SCREENSHOTS / "catalogue-report.png"), full_page=True)
        await browser.close()

    # The broadcast went out through the bot.
    [*_, got] = await emulator.wait_for_messages(3001, 2, timeout=20)
    assert got["text"] == "Rytoj pamokos nebus"
