"""An answer or a broadcast reaches the learner once, whatever the browser
sends again (Back, a double click), and an answer Telegram refused leaves the
enquiry unanswered, with the reason shown and a way to send it again. In
Debian's Chromium against the bot and the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from emulator import BotApiEmulator
from services.container import Services
from storage import enquiries_repo, roles_repo
from tests.admin.browser import BOTH_WIDTHS, chromium, needs_chromium, open_from_menu, sign_in_link
from tests.admin.conftest import LEARNER_ID, STAFF_ID, add_enquiry
from tests.conftest import ADMIN_ID, TOKEN
from vtcbot.runner import BotRunner, ConsoleConfig

pytestmark = needs_chromium


@pytest.fixture
async def stack(services: Services, emulator: BotApiEmulator) -> AsyncIterator[Services]:
    assert emulator.url is not None
    await services.roles.grant_staff(ADMIN_ID, STAFF_ID)
    runner = BotRunner(
        services, TOKEN, emulator.url, concurrent_updates=8, console=ConsoleConfig("127.0.0.1", 0)
    )
    await runner.start()
    yield services
    await runner.stop()


@BOTH_WIDTHS
async def test_back_and_send_or_a_double_click_deliver_one_answer(
    stack: Services, emulator: BotApiEmulator, viewport: dict[str, int]
) -> None:
    from playwright.async_api import expect

    services = stack
    emulator.state.ensure_private_chat(LEARNER_ID)
    number = await add_enquiry(services, "Ar yra vietų vakarinėje grupėje?")
    link = await sign_in_link(emulator, STAFF_ID)
    async with chromium() as browser:
        page = await browser.new_page(locale="en-GB", viewport=viewport)
        await page.goto(link)
        await page.get_by_role("button", name="Sign in").click()
        await page.goto(link.split("/login/")[0] + f"/enquiries/{number}")
        box = page.get_by_label("Answer to the learner")
        await box.fill("Taip, dar yra 3 vietos.")
        await page.get_by_role("button", name="Send the answer").dblclick()
        await expect(page.get_by_text("The answer was delivered to the learner.")).to_be_visible()
        # Back to the form: the box is not refilled with what was sent, and
        # the thread shows the answer as delivered.
        await page.go_back()
        await expect(page.get_by_text("Delivered to the learner", exact=True)).to_be_visible()
        await expect(page.get_by_label("Answer to the learner")).to_have_value("")
        # Pressing Send now sends nothing (the browser asks for a text).
        await page.get_by_role("button", name="Send the answer").click()
        await expect(page).to_have_url(f"{link.split('/login/')[0]}/enquiries/{number}")
        # The same form posted again, as a reload after Back would: done once.
        token = await page.locator('form[action$="/reply"] input[name="once"]').input_value()
        csrf = await page.locator('form[action$="/reply"] input[name="csrf"]').input_value()
        form = {"csrf": csrf, "once": token, "text": "Antras kartas"}
        reply = f"{link.split('/login/')[0]}/enquiries/{number}/reply"
        first = await page.request.post(reply, form=form)
        again = await page.request.post(reply, form=form)
        assert first.ok and again.ok
        assert "already=1" in again.url
        assert "This was done already" in await again.text()
    texts = [m["text"] for m in emulator.messages(LEARNER_ID)]
    assert sum("Taip, dar yra 3 vietos." in t for t in texts) == 1
    assert sum("Antras kartas" in t for t in texts) == 1


@BOTH_WIDTHS
async def test_a_refused_answer_leaves_the_enquiry_unanswered_until_it_is_sent_again(
    stack: Services, emulator: BotApiEmulator, viewport: dict[str, int]
) -> None:
    from playwright.async_api import expect

    services = stack
    emulator.state.ensure_private_chat(LEARNER_ID)
    number = await add_enquiry(services, "Kiek kainuoja kursai?")
    link = await sign_in_link(emulator, STAFF_ID)
    emulator.block_user(LEARNER_ID)
    async with chromium() as browser:
        page = await browser.new_page(locale="en-GB", viewport=viewport)
        await page.goto(link)
        await page.get_by_role("button", name="Sign in").click()
        await page.goto(link.split("/login/")[0] + f"/enquiries/{number}")
        await page.get_by_label("Answer to the learner").fill("Kursai kainuoja 450 €.")
        await page.get_by_role("button", name="Send the answer").click()
        await expect(page.get_by_role("alert")).to_contain_text("has blocked the bot")
        # Still waiting for an answer; the thread says why this one is not one.
        await expect(page.locator(".facts .status")).to_have_text("new")
        await expect(page.locator(".delivery.refused")).to_have_text(
            "Not delivered: the learner has blocked the bot"
        )
        row = await enquiries_repo.get(services.db.reader, number)
        assert row is not None and row.status == "new"
        audit = await roles_repo.audit_entries(services.db.reader)
        assert ("enquiry_answer", f"{number}:blocked", "refused") in [
            (e[2], e[3], e[4]) for e in audit
        ]

        # Unblocked, the same answer goes again with one press.
        emulator.unblock_user(LEARNER_ID)
        await page.get_by_role("button", name="Send this answer again").click()
        await expect(page.get_by_text("The answer was delivered to the learner.")).to_be_visible()
        await expect(page.locator(".facts .status")).to_have_text("answered")
        await expect(page.locator(".delivery.sent")).to_have_text("Delivered to the learner")
        await expect(page.get_by_role("button", name="Send this answer again")).to_have_count(0)
    texts = [m["text"] for m in emulator.messages(LEARNER_ID)]
    assert sum("Kursai kainuoja 450 €." in t for t in texts) == 1


@BOTH_WIDTHS
async def test_a_broadcast_goes_out_once_after_edit_double_click_and_back(
    stack: Services, emulator: BotApiEmulator, viewport: dict[str, int]
) -> None:
    from playwright.async_api import expect

    services = stack
    emulator.state.ensure_private_chat(3001)
    emulator.send_text(3001, "Labas", language_code="lt")
    await emulator.wait_for_messages(3001, 1, timeout=10)
    link = await sign_in_link(emulator, STAFF_ID)
    async with chromium() as browser:
        page = await browser.new_page(locale="en-GB", viewport=viewport)
        await page.goto(link)
        await page.get_by_role("button", name="Sign in").click()
        await open_from_menu(page, "Broadcasts")
        # For Lithuanian readers no English text is asked for.
        await page.get_by_label("Text in Lithuanian").fill("Rytoj pamokos nebus")
        await page.locator('select[name="kind"]').select_option("lt")
        await page.get_by_role("button", name="Preview and count recipients").click()
        await expect(page.locator(".bubble")).to_have_text("Rytoj pamokos nebus")
        # Edit keeps what was typed.
        await page.get_by_role("button", name="Edit").click()
        await expect(page.get_by_label("Text in Lithuanian")).to_have_value("Rytoj pamokos nebus")
        await page.get_by_label("Text in Lithuanian").fill("Rytoj pamokų nebus")
        await page.get_by_role("button", name="Preview and count recipients").click()
        sent_form = await page.locator('form[action="/broadcasts"]').evaluate(
            "f => Object.fromEntries(new FormData(f))"
        )
        await page.get_by_role("button", name="Send it now").dblclick()
        await expect(page.get_by_text("Broadcast No. 1 was created.")).to_be_visible()
        # Back to the preview is a page that came from a form: Chromium
        # offers to post it again ("Confirm Form Resubmission"), which sends
        # the very same form, token and all. Posted so again, and its page:
        base = link.split("/login/")[0]
        again = await page.request.post(f"{base}/broadcasts", form=sent_form)
        assert again.ok and "already=1" in again.url
        await page.goto(again.url)
        await expect(page.get_by_text("This was done already")).to_be_visible()
        await expect(page.get_by_text("Broadcast No. 1 was created.")).to_be_visible()
    [*_, got] = await emulator.wait_for_messages(3001, 2, timeout=20)
    assert got["text"] == "Rytoj pamokų nebus"
    assert [b.id for b in await services.broadcasts.recent(ADMIN_ID)] == [1]
    assert sum(m.get("text") == "Rytoj pamokų nebus" for m in emulator.messages(3001)) == 1
