"""The console's daily work in Debian's Chromium, each at a phone's width
(390 px) and a desktop's (1280 px), driven as staff drive it: the CSV opened
as a Lithuanian Excel opens it, search by phone and without diacritics, the
unanswered questions worked through to the next catalogue, the catalogue
report, the dashboard's chart key and overdue tile, the broadcast form,
signing in and out and what an unknown address says, the skip link and the
note box (issue 16, items 5 and 7-13). One bot, console and browser serve the
whole module; each test makes its own data, so the two widths do not meet."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from emulator import BotApiEmulator
from services.broadcasts import Audience
from services.clock import FixedClock
from services.container import Services
from storage import enquiries_repo, question_log_repo
from storage.question_log_repo import QuestionRecord
from tests.admin.browser import (
    BOTH_WIDTHS,
    Console,
    chromium,
    needs_chromium,
    open_from_menu,
    running_console,
    sign_in_link,
)
from tests.conftest import ADMIN_ID, DEMO, NOW

pytestmark = [needs_chromium, pytest.mark.asyncio(loop_scope="module")]


@dataclass
class Stack:
    console: Console
    emulator: BotApiEmulator
    browser: Any

    @property
    def services(self) -> Services:
        return self.console.services

    @property
    def base(self) -> str:
        return self.console.base


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    services = Services.create(
        tmp_path_factory.mktemp("console") / "test.db", FixedClock(NOW), admin_ids=[ADMIN_ID]
    )
    await services.start(DEMO)
    emulator = BotApiEmulator()
    await emulator.start()
    try:
        async with running_console(services, emulator) as console, chromium() as browser:
            async with services.db.transaction() as conn:
                for key, text, topic in (
                    ("wifi", "Ar klasėse veikia Wi-Fi?", "other"),
                    ("no-topic", "Sveiki, turiu klausimą", None),
                ):
                    await enquiries_repo.create(
                        conn,
                        user_id=2003,
                        lang="lt",
                        topic=topic,
                        programme_id=None,
                        text=text,
                        name="Petras Petraitis",
                        phone="+37069990000",
                        source_key=f"seed:{key}",
                        now=NOW.isoformat(),
                    )
            yield Stack(console, emulator, browser)
    finally:
        await emulator.stop()
        await services.close()


async def _signed_in(
    s: Stack, viewport: dict[str, int], *, locale: str = "en-GB", user_id: int = ADMIN_ID
) -> Any:
    """A new browser window signed in with a fresh link from the bot."""
    link = await sign_in_link(s.emulator, user_id)
    context = await s.browser.new_context(locale=locale, viewport=viewport, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = await context.new_page()
    await page.goto(link)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(s.base + "/")
    return page


async def _download(page: Any, link: Any) -> bytes:
    async with page.expect_download() as info:
        await link.click()
    path = Path(await (await info.value).path())
    return await asyncio.to_thread(path.read_bytes)


@BOTH_WIDTHS
async def test_the_csv_for_excel_opens_in_a_lithuanian_excel_with_names_intact(
    stack: Stack, viewport: dict[str, int]
) -> None:
    """Item 5: downloaded through the browser from the Lithuanian console."""
    from playwright.async_api import expect

    page = await _signed_in(stack, viewport)
    await page.get_by_role("button", name="Lietuvių").click()
    await open_from_menu(page, "Užklausos")
    await expect(page.get_by_role("heading", name="Užklausos")).to_be_visible()
    # The number column is "Nr." in Lithuanian (not "No.").
    await expect(page.locator("table.enquiries th").first).to_have_text("Nr.")
    content = await _download(
        page, page.get_by_role("link", name="Atsisiųsti Excel programai (CSV)")
    )
    # A Lithuanian Excel takes UTF-8 only after a byte-order mark, and splits on ";".
    assert content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    [night] = [r for r in rows if r["Nr."] == str(stack.console.ids["night"])]
    assert night["Vardas"] == "Žydrūnė Onaitė"
    assert night["Atsakingas"] == "Jonas Petraitis"
    assert night["Gauta (Europe/Vilnius)"] == "2026-11-21 02:29"
    assert night["Būsena"] == "atsakyta"
    assert night["Kalba"] == "lietuvių"
    assert night["Užklausa"] == "Ar dar yra laisvų vietų vakarinėje elektrikų grupėje?"
    await page.context.close()


@BOTH_WIDTHS
async def test_enquiries_are_found_by_phone_and_people_without_diacritics(
    stack: Stack, viewport: dict[str, int]
) -> None:
    """Item 8: typed into the search boxes as staff type."""
    from playwright.async_api import expect

    night = stack.console.ids["night"]
    page = await _signed_in(stack, viewport)
    await open_from_menu(page, "Enquiries")
    for typed in ("37061234567", "+37061234567", "861234567", "+370 612 34567"):
        await page.get_by_label("Search").fill(typed)
        await page.get_by_role("button", name="Filter").click()
        await expect(page.get_by_text("1 enquiry", exact=True)).to_be_visible()
        rows = page.locator("table.enquiries tbody tr")
        await expect(rows.first.get_by_role("link", name=str(night), exact=True)).to_be_visible()
    await page.get_by_label("Search").fill("wifi")
    await page.get_by_role("button", name="Filter").click()
    await expect(page.get_by_text("1 enquiry", exact=True)).to_be_visible()
    await expect(page.get_by_role("link", name="Ar klasėse veikia Wi-Fi?")).to_be_visible()

    await open_from_menu(page, "People")
    search = page.get_by_label("Telegram user id, or a name or phone from an enquiry")
    for typed in ("zydrune", "Zydrune Onaite", "+370 612 34567"):
        await search.fill(typed)
        await page.keyboard.press("Enter")
        await expect(page.locator('a[href="/people/2001"]')).to_be_visible()
    await search.fill("nobody-like-this")
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("Nobody found.")).to_be_visible()
    await page.context.close()


# Each width's own questions, so the two runs do not see each other's.
QUESTIONS = {
    390: (
        "qwzx vbnm",
        "Ar veikia valgykla šeštadieniais?",
        "Kur pastatyti automobilį?",
        "Kur yra bibliotekos raktai?",
    ),
    1280: (
        "plmk trew",
        "Ar dirba kavinė sekmadieniais?",
        "Kur palikti dviratį?",
        "Kada atidaroma sporto salė?",
    ),
}


async def _ask_unanswered(services: Services, texts: tuple[str, ...]) -> None:
    async with services.db.transaction() as conn:
        for n, text in enumerate(texts):
            record = QuestionRecord(
                None,
                None,
                None,
                2200 + n,
                "lt",
                text,
                "other",
                None,
                None,
                None,
                False,
                services.clock.now().isoformat(),
            )
            await question_log_repo.add(conn, record)


@BOTH_WIDTHS
async def test_the_unanswered_questions_are_worked_through_to_the_next_catalogue(
    stack: Stack, viewport: dict[str, int], tmp_path: Path
) -> None:
    """Item 9: dismiss junk, mark one handled, add a wording to an FAQ entry
    found by typing, start a new entry; the downloaded next version keeps the
    file's comments; once it is applied, those questions leave by themselves."""
    from playwright.async_api import expect

    width = viewport["width"]
    junk, handled, wording, new = QUESTIONS[width]
    await _ask_unanswered(stack.services, QUESTIONS[width])
    faq = stack.services.catalogue.view.catalogue.faq[0]
    entry_id = f"sports-hall-{width}"
    page = await _signed_in(stack, viewport)
    await open_from_menu(page, "Unanswered")
    work = page.locator("ol.work > li")

    await work.filter(has_text=junk).get_by_role("button", name="Dismiss").click()
    await expect(page.get_by_text("Dismissed: the question left the list.")).to_be_visible()
    await work.filter(has_text=handled).get_by_role("button", name="Handled").click()
    await expect(page.get_by_text("Marked as handled: the question left the list.")).to_be_visible()
    await expect(work.filter(has_text=junk)).to_have_count(0)
    await expect(work.filter(has_text=handled)).to_have_count(0)

    item = work.filter(has_text=wording)
    # The entry is chosen by typing (a list to search), not preset to the first one.
    box = item.get_by_label("Add as a wording of the FAQ entry")
    await expect(box).to_have_value("")
    await expect(box).to_have_attribute("list", "faq-entries")
    await box.fill(faq.id)
    await item.get_by_role("button", name="Add", exact=True).click()
    await expect(page.get_by_text("Added to the next catalogue version.")).to_be_visible()

    item = work.filter(has_text=new)
    await item.get_by_text("Start a new FAQ entry with this question").click()
    await item.get_by_label("Entry id").fill(entry_id)
    await item.get_by_label("Answer in Lithuanian").fill("Sporto salė atidaroma 8 val.")
    await item.get_by_label("Answer in English").fill("The sports hall opens at 8.")
    await item.get_by_role("button", name="Add to the next catalogue version").click()
    added = page.get_by_text("The new FAQ entry is in the next catalogue version.")
    await expect(added).to_be_visible()

    link = page.get_by_role("link", name="Download the next catalogue version")
    yaml_text = (await _download(page, link)).decode("utf-8")
    comments = [line.strip() for line in DEMO.read_text("utf-8").splitlines() if "#" in line]
    assert comments and all(c in yaml_text for c in comments)
    assert f"- id: {entry_id}" in yaml_text and wording in yaml_text

    next_file = tmp_path / "centre-next.yaml"
    next_file.write_text(yaml_text, encoding="utf-8")
    await open_from_menu(page, "Catalogue")
    await page.get_by_label("Catalogue file (YAML)").set_input_files(str(next_file))
    await page.get_by_role("button", name="Check the file").click()
    await page.get_by_role("button", name="Apply this catalogue").click()
    await expect(page.get_by_role("heading", name="Catalogue applied")).to_be_visible()
    await open_from_menu(page, "Unanswered")
    # Their wordings are in the catalogue now: handled without a click.
    await expect(work.filter(has_text=wording)).to_have_count(0)
    await expect(work.filter(has_text=new)).to_have_count(0)
    await page.context.close()


@BOTH_WIDTHS
async def test_the_catalogue_report_names_the_programme_the_line_and_old_and_new_values(
    stack: Stack, viewport: dict[str, int], tmp_path: Path
) -> None:
    """Item 10: a broken file and a changed one, uploaded and not applied."""
    from playwright.async_api import expect

    view = stack.services.catalogue.view
    [welder] = [
        p for p in view.programmes.values() if any(g.id == "welder-2027-09-day" for g in p.groups)
    ]
    text = DEMO.read_text(encoding="utf-8")
    line = text.splitlines().index("        seats: 28") + 1
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("        seats: 28", "        seats: -28", 1), "utf-8")
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        text.replace("starts: 2027-01-11", "starts: 2027-01-18", 1).replace(
            "        seats: 28", "        seats: 30", 1
        ),
        "utf-8",
    )
    page = await _signed_in(stack, viewport)
    await open_from_menu(page, "Catalogue")
    await page.get_by_label("Catalogue file (YAML)").set_input_files(str(broken))
    await page.get_by_role("button", name="Check the file").click()
    error = page.locator("ul.report.errors li")
    await expect(error).to_have_count(1)
    await expect(error).to_contain_text(f"Line {line}")
    await expect(error).to_contain_text(welder.title.get("en"))
    await expect(error).not_to_contain_text("programmes[")
    await expect(page.get_by_role("button", name="Apply this catalogue")).to_have_count(0)

    await open_from_menu(page, "Catalogue")
    await page.get_by_label("Catalogue file (YAML)").set_input_files(str(changed))
    await page.get_by_role("button", name="Check the file").click()
    changes = page.locator("table.changes")
    await expect(changes).to_contain_text("2027-01-11 → 2027-01-18")
    await expect(changes).to_contain_text("28 → 30")
    await expect(page.get_by_role("button", name="Apply this catalogue")).to_be_visible()
    await page.context.close()


@BOTH_WIDTHS
async def test_the_chart_key_sits_beside_its_colour_and_the_overdue_tile_opens_the_list(
    stack: Stack, viewport: dict[str, int]
) -> None:
    """Item 11: each colour square on the line of its topic, in words; an
    enquiry without a topic says so; the overdue tile is a link."""
    from playwright.async_api import expect

    width = viewport["width"]
    async with stack.services.db.transaction() as conn:
        await enquiries_repo.create(
            conn,
            user_id=2004,
            lang="en",
            topic="other",
            programme_id=None,
            text=f"Nobody has answered me for two weeks ({width})",
            name="Tom Smith",
            phone=None,
            source_key=f"test:late-{width}",
            now=(NOW - dt.timedelta(days=14)).isoformat(),
        )
    # What the overdue job does every few minutes: raise it.
    await stack.services.enquiries.overdue()
    page = await _signed_in(stack, viewport)
    keys = page.locator(".chart").first.locator(".key")
    names = [n.strip() for n in await keys.all_inner_texts()]
    assert "no topic" in names and "-" not in names, names
    for key in await keys.all():
        square = await key.locator("svg").bounding_box()
        label = await key.bounding_box()
        assert square is not None and label is not None
        # The square is small, on the label's one line, at its start.
        assert square["width"] <= 12 and label["height"] < 2.5 * square["height"] + 10
        middle = square["y"] + square["height"] / 2
        assert label["y"] <= middle <= label["y"] + label["height"]
        assert square["x"] - label["x"] < 2
    overdue = page.get_by_role("link", name=re.compile(r"\d+ overdue"))
    await expect(overdue).to_be_visible()
    await overdue.click()
    await page.wait_for_url(re.compile(r".*/enquiries\?.*overdue=1"))
    late = page.get_by_role("link", name=f"Nobody has answered me for two weeks ({width})")
    await expect(late).to_be_visible()
    await expect(page.locator("table.enquiries")).not_to_contain_text("Ar dar yra laisvų vietų")
    await page.context.close()


# Where a box is against the first words of its label: the difference of
# their vertical middles, and the gap from the box to the words.
_BESIDE = """input => {
  const words = [...input.closest('label').childNodes]
    .find(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  const range = document.createRange();
  range.selectNodeContents(words);
  const t = range.getClientRects()[0], b = input.getBoundingClientRect();
  return {dy: Math.abs((t.top + t.bottom) / 2 - (b.top + b.bottom) / 2), gap: t.left - b.right};
}"""


@BOTH_WIDTHS
async def test_the_broadcast_forms_labels_sit_beside_their_boxes_and_cancel_asks_first(
    stack: Stack, viewport: dict[str, int]
) -> None:
    """Item 7: the checkbox and the Now/At radios on their labels' line; a
    scheduled broadcast is cancelled only with the box ticked, and says so."""
    from playwright.async_api import expect

    services = stack.services
    text = f"Susirinkimas {viewport['width']}"
    number = await services.broadcasts.create(
        ADMIN_ID,
        text,
        "A meeting",
        Audience("everyone"),
        send_at=services.clock.now() + dt.timedelta(days=2),
    )
    page = await _signed_in(stack, viewport)
    await open_from_menu(page, "Broadcasts")
    for label in ("Send the Lithuanian text to everyone", "Now", "At (Lithuanian time)"):
        # Beside its words (their first line), not centred above them.
        place = await page.get_by_label(label, exact=True).evaluate(_BESIDE)
        assert place["dy"] < 6 and 0 <= place["gap"] < 20, (label, place)

    row = page.locator("tr").filter(has_text=text)
    await row.get_by_role("button", name="Cancel").click()
    await expect(page.get_by_role("alert")).to_have_text("Tick the box beside Cancel to confirm.")
    broadcast = await services.broadcasts.get(number)
    assert broadcast is not None and broadcast.state == "scheduled"
    await row.get_by_label("Yes, stop it").check()
    await row.get_by_role("button", name="Cancel").click()
    await expect(page.get_by_text(f"Broadcast No. {number} was cancelled")).to_be_visible()
    await expect(row).to_contain_text("cancelled")
    await page.context.close()


@BOTH_WIDTHS
async def test_signing_in_and_out_and_addresses_that_are_no_page(
    stack: Stack, viewport: dict[str, int]
) -> None:
    """Item 12: the page asked for opens after signing in; a used link says so
    at once; an unknown address keeps the menu and the chosen language; a
    form's address says what it is; a wrong password keeps the user id;
    signing out says so."""
    from playwright.async_api import expect

    s = stack
    night = s.console.ids["night"]
    # A Lithuanian browser; English is chosen in the console.
    context = await s.browser.new_context(locale="lt-LT", viewport=viewport)
    context.set_default_timeout(10_000)
    page = await context.new_page()
    await page.goto(f"{s.base}/enquiries/{night}")
    await page.wait_for_url(f"{s.base}/login")
    link = await sign_in_link(s.emulator, ADMIN_ID)
    await page.goto(link)
    await page.get_by_role("button", name="Prisijungti").click()
    await page.wait_for_url(f"{s.base}/enquiries/{night}")
    # Opened again, the used link says so at once, with no button to press
    # (in the browser's language: the page does not know the one chosen).
    await page.goto(link)
    await expect(page.locator("main")).to_contain_text("ji jau panaudota")
    await expect(page.locator("main").get_by_role("button")).to_have_count(0)

    await page.goto(f"{s.base}/enquiries/{night}")
    await page.get_by_role("button", name="English").click()
    await expect(page.get_by_role("heading", name=f"Enquiry No. {night}")).to_be_visible()
    await page.goto(f"{s.base}/no-such-page")
    await expect(page.get_by_text("There is no page at this address.")).to_be_visible()
    await open_from_menu(page, "Enquiries")
    await page.wait_for_url(f"{s.base}/enquiries")
    await page.goto(f"{s.base}/enquiries/{night}/reply")
    await expect(page.get_by_text("This address only takes a form")).to_be_visible()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    await page.get_by_role("button", name="Sign out").click()
    # Signed out, the page is in the browser's language again.
    await expect(page.get_by_role("status")).to_have_text("Jūs atsijungėte.")
    user_id = page.get_by_label("Telegram naudotojo ID (nurodytas jūsų puslapyje „Slaptažodis“)")
    await user_id.fill(str(ADMIN_ID))
    await page.get_by_label("Slaptažodis", exact=True).fill("not the password at all")
    await page.locator("main").get_by_role("button", name="Prisijungti").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    await expect(user_id).to_have_value(str(ADMIN_ID))
    await context.close()


@BOTH_WIDTHS
async def test_the_skip_link_the_note_box_and_the_user_id_for_a_password(
    stack: Stack, viewport: dict[str, int]
) -> None:
    """Item 13: the skip link is the first tab stop; the note box says notes
    are in the learner's data copy; the Password page shows the user id the
    password sign-in asks for."""
    from playwright.async_api import expect

    s = stack
    page = await _signed_in(s, viewport)
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the content")
    await expect(skip).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("main")).to_be_focused()

    await page.goto(f"{s.base}/enquiries/{s.console.ids['other']}")
    note = page.get_by_label(
        "Note for staff (not sent to the learner; it is in their data if they ask for a copy)"
    )
    text = f"Paskambinti rytoj ({viewport['width']})"
    await note.fill(text)
    await page.get_by_role("button", name="Add note").click()
    await expect(page.locator("ul.notes li").filter(has_text=text)).to_contain_text("Rūta Kairienė")

    await open_from_menu(page, "Password")
    await expect(page.locator("main")).to_contain_text(
        f"Your Telegram user id, asked for when you sign in with a password: {ADMIN_ID}"
    )
    await page.context.close()
