"""Every console page as staff see it, in Debian's Chromium: at a phone's
width (390 px) and a desktop's (1280 px) nothing is wider than the window
and the menu folds behind a button; every time is Lithuanian time, said once
per page; each page has its own title. The screenshots in docs/screenshots/
are taken here (`<page>-390.png`, `<page>-1280.png`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from emulator import BotApiEmulator
from services.container import Services
from tests.admin.browser import (
    DESKTOP,
    PHONE,
    REGISTRATIONS_GROUP,
    SCREENSHOTS,
    chromium,
    needs_chromium,
    seed_console,
    sign_in_link,
)
from tests.admin.conftest import STAFF_ID
from tests.conftest import ADMIN_ID, ROOT, TOKEN
from vtcbot.runner import BotRunner, ConsoleConfig

pytestmark = needs_chromium


@dataclass
class Console:
    services: Services
    base: str
    link: str
    ids: dict[str, int]


@pytest.fixture
async def console(services: Services, emulator: BotApiEmulator) -> AsyncIterator[Console]:
    assert emulator.url is not None
    await services.roles.grant_staff(ADMIN_ID, STAFF_ID)
    ids = await seed_console(services)
    runner = BotRunner(
        services, TOKEN, emulator.url, concurrent_updates=8, console=ConsoleConfig("127.0.0.1", 0)
    )
    await runner.start()
    link = await sign_in_link(emulator, ADMIN_ID)
    yield Console(services, link.split("/login/")[0], link, ids)
    await runner.stop()


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


_TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
               && !e.closest('.scroll'))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.name || ''))"""


async def _fits(page: Any) -> bool:
    fits = await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if not fits:
        # Say which elements stick out, to be fixed.
        print(await page.evaluate(_TOO_WIDE))
    return bool(fits)


async def _sign_in(browser: Any, c: Console, viewport: dict[str, int]) -> Any:
    page = await browser.new_page(locale="en-GB", viewport=viewport)
    await page.goto(c.link)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(c.base + "/")
    return page


async def test_every_page_fits_a_phone_and_a_desktop_and_shows_vilnius_time(
    console: Console,
) -> None:
    from playwright.async_api import expect

    c = console
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    titles: dict[str, str] = {}
    async with chromium() as browser:
        page = await _sign_in(browser, c, DESKTOP)
        state = await page.context.storage_state()
        for viewport in (PHONE, DESKTOP):
            width = viewport["width"]
            context = await browser.new_context(
                locale="en-GB", viewport=viewport, storage_state=state
            )
            page = await context.new_page()
            for name, path in pages(c):
                await page.goto(c.base + path)
                assert await _fits(page), f"{name} is wider than {width} px"
                titles[name] = await page.title()
                if name != "not-found":
                    # Every time on the page is Lithuanian time, and it says so once.
                    await expect(page.locator("footer.zone")).to_have_text(
                        "All times are Lithuanian time (Europe/Vilnius)."
                    )
                menu = page.get_by_role("button", name="Menu")
                if width < 700:
                    await expect(menu).to_be_visible()
                    await expect(page.get_by_role("link", name="Audit log")).to_be_hidden()
                    await page.screenshot(
                        path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True
                    )
                    await menu.click()
                    nav = page.get_by_role("navigation", name="Main menu")
                    for item in ("Dashboard", "Enquiries", "Registrations", "People", "Audit log"):
                        link = nav.get_by_role("link", name=item, exact=True)
                        await expect(link).to_be_visible()
                    assert await _fits(page), f"{name}: the open menu is too wide"
                else:
                    await expect(menu).to_be_hidden()
                    await expect(page.get_by_role("link", name="Audit log")).to_be_visible()
                    await page.screenshot(
                        path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True
                    )
            # The enquiry received at 00:29 UTC was received at 02:29 in Vilnius.
            await page.goto(c.base + f"/enquiries/{c.ids['night']}")
            await expect(page.locator(".facts")).to_contain_text("21/11/2026, 02:29")
            await page.goto(c.base + "/enquiries")
            await expect(page.locator("table.enquiries")).to_contain_text("21/11/2026, 02:29")
            await context.close()
    # Each page says which it is (the 404 says what went wrong).
    assert len(set(titles.values())) == len(titles), titles
    assert titles["enquiry"] == f"Enquiry No. {c.ids['night']} – Training centre console"
    assert (ROOT / "docs" / "screenshots" / "enquiry-390.png").exists()
