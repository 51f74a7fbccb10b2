"""Staff work on enquiries in the web console: find, read, reply, assign,
note, export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import httpx

from services.clock import FixedClock
from services.container import Services
from storage import enquiries_repo, enquiry_browse_repo
from tests.admin.conftest import STAFF_ID, Deliveries, add_enquiry, once, sign_in


async def test_filter_and_search_ignore_diacritics(
    console: httpx.AsyncClient, services: Services
) -> None:
    wanted = await add_enquiry(services, "Ar dar yra vietų šokių būrelyje?", topic="Būreliai")
    await add_enquiry(services, "Kiek kainuoja B kategorija?", topic="Kainos")
    await add_enquiry(services, "How much is the forklift course?", topic="Kainos", lang="en")
    await sign_in(console, services, STAFF_ID)
    found = await console.get("/enquiries", params={"q": "sokiu"})
    assert "1 enquiry" in found.text or "1 užklausa" in found.text
    assert f'href="/enquiries/{wanted}"' in found.text
    by_lang = await console.get("/enquiries", params={"lang": "en", "topic": "Kainos"})
    assert "How much is the forklift course?" in by_lang.text
    assert "Kiek kainuoja" not in by_lang.text
    # FTS syntax typed into the box is just words.
    odd = await console.get("/enquiries", params={"q": '"kainuoja"*)(:^'})
    assert odd.status_code == 200 and "Kiek kainuoja B kategorija?" in odd.text


async def test_reply_through_the_bot_once_assign_and_note(
    console: httpx.AsyncClient, services: Services, deliveries: Deliveries
) -> None:
    enquiry = await add_enquiry(services, "Kada prasideda kursai?")
    csrf = await sign_in(console, services, STAFF_ID)
    page = await console.get(f"/enquiries/{enquiry}")
    token = page.text.split('name="once" value="')[1].split('"')[0]
    form = {"csrf": csrf, "once": token, "text": "Kursai prasideda sausio 11 d."}
    first = await console.post(f"/enquiries/{enquiry}/reply", data=form)
    assert first.headers["location"] == f"/enquiries/{enquiry}?done=delivered"
    # The same form sent again (a double click, a reload): one answer, and
    # the page says it was done already.
    again = await console.post(f"/enquiries/{enquiry}/reply", data=form)
    assert again.headers["location"] == f"/enquiries/{enquiry}?done=delivered&already=1"
    assert [(e, text) for e, _row, text in deliveries.sent] == [
        (enquiry, "Kursai prasideda sausio 11 d.")
    ]
    shown = await console.get(first.headers["location"])
    assert "The answer was delivered to the learner." in shown.text or "pristatytas" in shown.text
    assert "Kursai prasideda sausio 11 d." in shown.text
    row = await enquiries_repo.get(services.db.reader, enquiry)
    assert row is not None and row.status == "answered"

    assign = {"csrf": csrf, "once": once(csrf), "assignee_id": str(STAFF_ID)}
    await console.post(f"/enquiries/{enquiry}/assign", data=assign)
    note = {"csrf": csrf, "once": once(csrf), "text": "Paskambinti"}
    await console.post(f"/enquiries/{enquiry}/note", data=note)
    row = await enquiries_repo.get(services.db.reader, enquiry)
    assert row is not None and row.assignee_id == STAFF_ID
    assert [n[2] for n in await enquiry_browse_repo.notes(services.db.reader, enquiry)] == [
        "Paskambinti"
    ]
    # A learner id cannot be made the assignee.
    learner = {"csrf": csrf, "once": once(csrf), "assignee_id": "2001"}
    await console.post(f"/enquiries/{enquiry}/assign", data=learner)
    row = await enquiries_repo.get(services.db.reader, enquiry)
    assert row is not None and row.assignee_id == STAFF_ID


async def test_csv_export_of_the_filtered_set(
    console: httpx.AsyncClient, services: Services
) -> None:
    for n in range(3):
        await add_enquiry(services, f"Klausimas apie kainas {n}", topic="Kainos")
    await add_enquiry(services, '=HYPERLINK("http://x","spausk")', topic="Kainos")
    await add_enquiry(services, "Klausimas apie būrelius", topic="Būreliai")
    await sign_in(console, services, STAFF_ID)
    response = await console.get("/enquiries.csv", params={"topic": "Kainos", "form": "raw"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(r["text"] for r in rows) == [
        '\'=HYPERLINK("http://x","spausk")',  # shown as text, never run as a formula
        *(f"Klausimas apie kainas {n}" for n in range(3)),
    ]
    assert {r["phone"] for r in rows} == {"+37061234567"}
    assert {r["created_at"] for r in rows} == {"2026-11-21T10:00:00+00:00"}


async def _excel_lt(content: bytes) -> list[dict[str, str]]:
    """The file as a Lithuanian Excel opens it: UTF-8 only when it starts with
    a byte-order mark (else its own code page), fields split on ";"."""
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


async def test_the_csv_for_people_opens_in_a_lithuanian_excel_with_names_intact(
    console: httpx.AsyncClient, services: Services
) -> None:
    async with services.db.transaction() as conn:
        number = await enquiries_repo.create(
            conn,
            user_id=2002,
            lang="lt",
            topic="other",
            programme_id="cont-electrician",
            text="Ar galima mokytis vakarais; ir savaitgaliais?",
            name="Žydrūnė Čiurlionytė",
            phone="+37061234567",
            source_key="test:excel",
            # 00:29 in UTC is 02:29 in Vilnius.
            now="2026-11-21T00:29:00+00:00",
        )
    await services.roles.remember_name(STAFF_ID, "Rūta", "Kairienė")
    await services.enquiry_console.assign(STAFF_ID, number, STAFF_ID)
    csrf = await sign_in(console, services, STAFF_ID)
    await console.post("/language", data={"csrf": csrf, "lang": "lt", "back": "/"})
    response = await console.get("/enquiries.csv")
    [row] = await _excel_lt(response.content)
    assert row == {
        "Nr.": str(number),
        "Gauta (Europe/Vilnius)": "2026-11-21 02:29",
        "Būsena": "nauja",
        "Kalba": "lietuvių",
        "Tema": "Kita",
        "Programa": "Elektrikas (suaugusiesiems)",
        "Atsakingas": "Rūta Kairienė",
        "Vardas": "Žydrūnė Čiurlionytė",
        "Telefonas": "+37061234567",
        "Užklausa": "Ar galima mokytis vakarais; ir savaitgaliais?",
    }


async def test_the_overdue_tile_opens_the_overdue_enquiries(
    console: httpx.AsyncClient, services: Services, clock: FixedClock
) -> None:
    late = await add_enquiry(services, "Niekas neatsakė jau savaitę")
    clock.advance(dt.timedelta(days=7))
    assert [e.id for e in await services.enquiries.overdue()] == [late]
    await add_enquiry(services, "Ką tik parašiau")
    await sign_in(console, services, STAFF_ID)
    home = await console.get("/")
    assert 'href="/enquiries?overdue=1"' in home.text
    listed = await console.get("/enquiries", params={"overdue": "1"})
    assert "1 enquiry" in listed.text and f'href="/enquiries/{late}"' in listed.text
