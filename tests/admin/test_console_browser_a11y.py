"""Every console page passes axe-core's WCAG 2.1 A and AA rules, in Debian's
Chromium (axe-core from the npm registry: `make browser` fetches it), at a
desktop's and a phone's width; keeps its layout at 200 % zoom; and the work
of the console is done with the keyboard alone."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from emulator import BotApiEmulator
from tests.admin.browser import (
    BOTH_WIDTHS,
    DESKTOP,
    PHONE,
    Console,
    chromium,
    needs_chromium,
    pages,
)
from tests.conftest import DEMO, ROOT

_VERSION = re.search(r"^AXE_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M)
assert _VERSION is not None
AXE = ROOT / "var" / f"axe-core-{_VERSION.group(1)}" / "axe.min.js"
# 200 % zoom of a 1280 px window: 640 CSS pixels.
ZOOMED = {"width": 640, "height": 450}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [
    needs_chromium,
    pytest.mark.skipif(
        not AXE.exists() and not os.environ.get("CI"),
        reason="axe-core is not fetched (make browser fetches it)",
    ),
]


async def _violations(page: Any) -> list[str]:
    """axe-core's findings on the page: rule, and where."""
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]


async def _form_pages(page: Any, c: Console, tmp: Path) -> AsyncIterator[str]:
    """Opens, one after the other, the pages reached through a form: a
    broadcast's preview, a catalogue file's report with its errors."""
    await page.goto(c.base + "/broadcasts")
    await page.get_by_label("Text in Lithuanian").fill("Rytoj pamokų nebus")
    await page.get_by_label("Send the Lithuanian text to everyone").check()
    await page.get_by_role("button", name="Preview and count recipients").click()
    yield "broadcast preview"
    broken = tmp / "centre.yaml"
    text = DEMO.read_text(encoding="utf-8").replace("seats: ", "seats: -", 1)
    broken.write_text(text, encoding="utf-8")
    await page.goto(c.base + "/catalogue")
    await page.get_by_label("Catalogue file (YAML)").set_input_files(str(broken))
    await page.get_by_role("button", name="Check the file").click()
    yield "catalogue report"


async def test_every_page_passes_axe_at_desktop_and_phone_width_and_reflows_when_zoomed(
    seeded_console: Console, tmp_path: Path
) -> None:
    c = seeded_console
    found: dict[str, list[str]] = {}
    async with chromium() as browser:
        first = await browser.new_page(locale="en-GB", bypass_csp=True)
        await first.goto(c.link)
        # The sign-in pages, signed out.
        assert not await _violations(first), "sign-in link page"
        await first.get_by_role("button", name="Sign in").click()
        await first.wait_for_url(c.base + "/")
        state = await first.context.storage_state()
        for viewport in (DESKTOP, PHONE, ZOOMED):
            # The test's own script is injected into the page: the console's
            # Content-Security-Policy (its own files only) is set aside for it.
            context = await browser.new_context(
                locale="en-GB", viewport=viewport, storage_state=state, bypass_csp=True
            )
            page = await context.new_page()
            for name, path in pages(c):
                await page.goto(c.base + path)
                if viewport is ZOOMED:
                    fits = "document.documentElement.scrollWidth <= window.innerWidth"
                    assert await page.evaluate(fits), f"{name} does not reflow at 200 %"
                    continue
                problems = await _violations(page)
                if problems:
                    found[f"{name} at {viewport['width']}"] = problems
            if viewport is DESKTOP:
                async for name in _form_pages(page, c, tmp_path):
                    if problems := await _violations(page):
                        found[name] = problems
            await context.close()
        login = await browser.new_page(locale="en-GB", bypass_csp=True)
        await login.goto(c.base + "/login")
        if problems := await _violations(login):
            found["login"] = problems
        # The check can fail: an image without a text alternative is found.
        await login.evaluate(
            "document.querySelector('main').append(Object.assign("
            "document.createElement('img'), {src: '/static/none.png'}))"
        )
        assert any(p.startswith("image-alt") for p in await _violations(login))
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


async def _tab_to(page: Any, target: Any, most: int = 40) -> None:
    """Press Tab until `target` has the focus (as a keyboard user does)."""
    from playwright.async_api import expect

    for _ in range(most):
        await page.keyboard.press("Tab")
        if await target.evaluate("e => e === document.activeElement"):
            break
    await expect(target).to_be_focused()


@BOTH_WIDTHS
async def test_an_enquiry_is_answered_with_the_keyboard_alone(
    seeded_console: Console, emulator: BotApiEmulator, viewport: dict[str, int]
) -> None:
    from playwright.async_api import expect

    c = seeded_console
    emulator.state.ensure_private_chat(2002)
    async with chromium() as browser:
        page = await browser.new_page(locale="en-GB", viewport=viewport)
        await page.goto(c.link)
        await _tab_to(page, page.get_by_role("button", name="Sign in"))
        await page.keyboard.press("Enter")
        await page.wait_for_url(c.base + "/")
        # The skip link is the first stop, and takes focus to the content.
        await page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to the content")
        await expect(skip).to_be_focused()
        await page.keyboard.press("Enter")
        await expect(page.locator("main")).to_be_focused()
        enquiries = page.get_by_role("link", name="Enquiries", exact=True)
        if viewport["width"] <= 700:
            # On a phone the menu opens from its button, by keyboard.
            await page.keyboard.press("Shift+Tab")
            menu = page.get_by_role("button", name="Menu")
            for _ in range(6):
                if await menu.evaluate("b => b === document.activeElement"):
                    break
                await page.keyboard.press("Shift+Tab")
            await expect(menu).to_be_focused()
            await page.keyboard.press("Enter")
            await expect(menu).to_have_attribute("aria-expanded", "true")
            await page.keyboard.press("Tab")
            await expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_focused()
            await page.keyboard.press("Tab")
        else:
            # On a desktop the menu is open: back to it from the content
            # (past sign-out, language and the menu's later links).
            for _ in range(20):
                await page.keyboard.press("Shift+Tab")
                if await enquiries.evaluate("a => a === document.activeElement"):
                    break
        await expect(enquiries).to_be_focused()
        await page.keyboard.press("Enter")
        await page.wait_for_url(c.base + "/enquiries")
        # To the English enquiry by Tab, then answer it.
        await _tab_to(page, page.get_by_role("link", name="Can I bring my own laptop"))
        await page.keyboard.press("Enter")
        await page.wait_for_url(re.compile(r".*/enquiries/\d+$"))
        await _tab_to(page, page.get_by_label("Answer to the learner"))
        await page.keyboard.type("Yes, bring it along.")
        await page.keyboard.press("Tab")
        await expect(page.get_by_role("button", name="Send the answer")).to_be_focused()
        await page.keyboard.press("Enter")
        await expect(page.get_by_text("The answer was delivered to the learner.")).to_be_visible()
    [got] = await emulator.wait_for_messages(2002, 1, timeout=10)
    assert "Yes, bring it along." in got["text"]
