"""Every console page as staff see it, in Debian's Chromium: at a phone's
width (390 px) and a desktop's (1280 px) nothing is wider than the window
and the menu folds behind a button; every time is Lithuanian time, said once
per page; each page has its own title. The screenshots in docs/screenshots/
are taken here (`<page>-390.png`, `<page>-1280.png`)."""

from __future__ import annotations

from typing import Any

from tests.admin.browser import (
    BOTH_WIDTHS,
    SCREENSHOTS,
    Console,
    chromium,
    needs_chromium,
    pages,
)
from tests.conftest import ROOT, STAFF_ID

pytestmark = needs_chromium


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


# The pages that name staff, and the names they show (issue 15: staff by
# name, never by number): the screenshots show them.
NAMED = {
    "enquiries": ["Jonas Petraitis"],
    "enquiry": ["Jonas Petraitis", "Rūta Kairienė"],
    "people": ["Žydrūnė Onaitė", "Jonas Petraitis", "Rūta Kairienė"],
    "staff-member": ["Jonas Petraitis"],
    "audit": ["Rūta Kairienė", "Jonas Petraitis", "1: Jonas Petraitis"],
}


@BOTH_WIDTHS
async def test_every_page_fits_and_shows_vilnius_time(
    seeded_console: Console, viewport: dict[str, int]
) -> None:
    from playwright.async_api import expect

    c = seeded_console
    width = viewport["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    titles: dict[str, str] = {}
    async with chromium() as browser:
        page = await browser.new_page(locale="en-GB", viewport=viewport)
        await page.goto(c.link)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(c.base + "/")
        for name, path in pages(c):
            await page.goto(c.base + path)
            assert await _fits(page), f"{name} is wider than {width} px"
            titles[name] = await page.title()
            if name != "not-found":
                # Every time on the page is Lithuanian time, and it says so once.
                await expect(page.locator("footer.zone")).to_have_text(
                    "All times are Lithuanian time (Europe/Vilnius)."
                )
            for staff_name in NAMED.get(name, []):
                await expect(page.locator("main")).to_contain_text(staff_name)
            if name in NAMED and name != "staff-member":
                # Nobody is a number there (the staff member's own page gives
                # their Telegram id, as it should).
                assert str(STAFF_ID) not in await page.locator("main").inner_text(), name
            await page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
            menu = page.get_by_role("button", name="Menu")
            if width < 700:
                await expect(menu).to_be_visible()
                await expect(page.get_by_role("link", name="Audit log")).to_be_hidden()
                await menu.click()
                nav = page.get_by_role("navigation", name="Main menu")
                for item in ("Dashboard", "Enquiries", "Registrations", "People", "Audit log"):
                    link = nav.get_by_role("link", name=item, exact=True)
                    await expect(link).to_be_visible()
                assert await _fits(page), f"{name}: the open menu is too wide"
            else:
                await expect(menu).to_be_hidden()
                await expect(page.get_by_role("link", name="Audit log")).to_be_visible()
        # The enquiry received at 00:29 UTC was received at 02:29 in Vilnius.
        await page.goto(c.base + f"/enquiries/{c.ids['night']}")
        await expect(page.locator(".facts")).to_contain_text("21/11/2026, 02:29")
        await page.goto(c.base + "/enquiries")
        await expect(page.locator("table.enquiries")).to_contain_text("21/11/2026, 02:29")
    # Each page says which it is (the 404 says what went wrong).
    assert len(set(titles.values())) == len(titles), titles
    assert titles["enquiry"] == f"Enquiry No. {c.ids['night']} – Training centre console"
    assert (ROOT / "docs" / "screenshots" / f"enquiry-{width}.png").exists()
