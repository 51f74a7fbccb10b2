"""What the browser tests share: the bot and console running against the
emulator, Debian's Chromium, signing in with the link the bot sends."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from emulator import BotApiEmulator
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "docs" / "screenshots"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/login/\S+")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (make test installs it)",
)


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


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            await browser.close()
