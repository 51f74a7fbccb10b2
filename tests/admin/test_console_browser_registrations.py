"""The Registrations page on a phone (390 px) and a desktop (1280 px), in
Debian's Chromium, with the real bot and console: reached from the menu,
one registration confirmed, one declined with a reason, and the seat counts
follow (the declined seat goes to the first in line as an offer).
Screenshots: docs/screenshots/registrations-390.png, registrations-1280.png."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from domain.registrations import RegistrationStatus
from emulator import BotApiEmulator
from services.container import Services
from tests.admin.browser import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    chromium,
    needs_chromium,
    sign_in_link,
)
from tests.admin.conftest import STAFF_ID
from tests.conftest import ADMIN_ID, TOKEN
from vtcbot.runner import BotRunner, ConsoleConfig

pytestmark = needs_chromium

GROUP = "nf-digital-skills-2026-12-evening"  # 14 seats, 12 taken: 2 free
PEOPLE = {
    5201: ("Ąžuolė Čiurlionytė-Šėgždė", "self", None),
    5202: ("Jonas Jonaitis", "employer", {"company": "UAB „Šviesa“", "code": "302999999"}),
    5203: ("Marija Petrauskienė", "kursuok", None),
}
REASON = "Ši grupė skirta dirbantiems suaugusiesiems; siūlome balandžio grupę."


@pytest.fixture
async def base(
    services: Services, emulator: BotApiEmulator
) -> AsyncIterator[tuple[str, str, dict[int, int]]]:
    assert emulator.url is not None
    await services.roles.grant_staff(ADMIN_ID, STAFF_ID)
    runner = BotRunner(
        services, TOKEN, emulator.url, concurrent_updates=8, console=ConsoleConfig("127.0.0.1", 0)
    )
    await runner.start()
    numbers: dict[int, int] = {}
    for user_id, (name, payment, invoice) in PEOPLE.items():
        made = await services.registrations.register(
            user_id=user_id,
            group_id=GROUP,
            lang="lt",
            details={"name": name, "phone": f"+3706123{user_id:04d}"},
            payment=payment,
            payment_details=invoice,
            nonce=f"browser-{user_id}",
        )
        assert made.registration is not None
        numbers[user_id] = made.registration.id
    link = await sign_in_link(emulator, STAFF_ID)
    yield link.split("/login/")[0], link, numbers
    await runner.stop()


async def test_confirm_and_decline_on_a_phone_and_the_counts_follow(
    base: tuple[str, str, dict[int, int]], services: Services
) -> None:
    from playwright.async_api import expect

    url, link, numbers = base
    first, second, third = (numbers[u] for u in PEOPLE)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with chromium() as browser:
        page = await browser.new_page(locale="en-GB", viewport=PHONE)
        await page.goto(link)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(url + "/")
        # From the folded menu, then the group.
        await page.get_by_role("button", name="Menu").click()
        await page.get_by_role("link", name="Registrations", exact=True).click()
        await page.get_by_role("combobox", name="Group").select_option(GROUP)
        await page.get_by_role("button", name="Show").click()
        await page.wait_for_url(f"{url}/registrations/{GROUP}")

        async def counts() -> dict[str, str]:
            names = ("pending", "confirmed", "offered", "waiting", "free")
            return {n: await page.locator(f"#count-{n}").inner_text() for n in names}

        assert await counts() == {
            "pending": "2",
            "confirmed": "0",
            "offered": "0",
            "waiting": "1",
            "free": "0",
        }
        cards = page.locator("ul.regs > li")
        await expect(cards).to_have_count(3)
        await expect(page.locator(f"#r{third}")).to_contain_text("place in line: 1")

        await page.locator(f"#r{first}").get_by_role("button", name="Confirm").click()
        await expect(page.get_by_role("status")).to_contain_text(
            f"Registration No. {first} is confirmed"
        )
        assert (await counts())["pending"] == "1" and (await counts())["confirmed"] == "1"

        card = page.locator(f"#r{second}")
        await card.get_by_text("Decline…").click()
        await card.get_by_label("Reason (the learner is told it)").fill(REASON)
        await card.get_by_role("button", name="Decline and tell the learner").click()
        await expect(page.get_by_role("status")).to_contain_text(
            f"Registration No. {second} is declined"
        )
        # The freed seat is offered to the first in line.
        assert await counts() == {
            "pending": "0",
            "confirmed": "1",
            "offered": "1",
            "waiting": "0",
            "free": "0",
        }
        await expect(page.locator(f"#r{second}")).to_contain_text(REASON)
        await expect(page.locator(f"#r{third}")).to_contain_text("seat offered")
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # The buttons are big enough for a thumb.
        box = await page.locator(f"#r{third}").get_by_text("Decline…").bounding_box()
        assert box is not None and box["height"] >= 36
        await page.screenshot(path=str(SCREENSHOTS / "registrations-390.png"), full_page=True)

        await page.set_viewport_size(DESKTOP)
        await page.goto(f"{url}/registrations/{GROUP}")
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        await page.screenshot(path=str(SCREENSHOTS / "registrations-1280.png"), full_page=True)

        # In Lithuanian (longer words) on the phone, with a decline form open,
        # nothing is wider than the window either.
        await page.get_by_role("button", name="Lietuvių").click()
        await page.set_viewport_size(PHONE)
        await page.goto(f"{url}/registrations/{GROUP}")
        await page.locator(f"#r{third}").get_by_text("Atmesti…").click()
        await page.locator(f"#r{third}").get_by_text("Perkelti…").click()
        await expect(
            page.locator(f"#r{third}").get_by_role("button", name="Atmesti ir pranešti")
        ).to_be_visible()
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    confirmed = await services.registrations.get(first)
    declined = await services.registrations.get(second)
    assert confirmed is not None and confirmed.status == RegistrationStatus.CONFIRMED
    assert declined is not None and declined.reason == REASON
