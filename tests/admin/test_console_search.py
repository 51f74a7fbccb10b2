"""Finding enquiries and people as staff type: a phone in any common form,
a name without its diacritics, a word without its hyphen."""

from __future__ import annotations

import httpx

from services.container import Services
from storage import enquiries_repo
from tests.admin.conftest import STAFF_ID, add_enquiry, sign_in


async def test_an_enquiry_is_found_by_its_phone_in_any_form(
    console: httpx.AsyncClient, services: Services
) -> None:
    wanted = await add_enquiry(services, "Kiek kainuoja kursai?")  # +37061234567
    async with services.db.transaction() as conn:
        await enquiries_repo.create(
            conn,
            user_id=2002,
            lang="lt",
            topic="other",
            programme_id=None,
            text="Kitas klausimas",
            name="Jonas",
            phone="+37069999999",
            source_key="test:other-phone",
            now=services.clock.now().isoformat(),
        )
    await sign_in(console, services, STAFF_ID)
    for typed in ("37061234567", "+37061234567", "861234567", "+370 612 34567", "8 612 34567"):
        found = await console.get("/enquiries", params={"q": typed})
        assert "1 enquiry" in found.text, typed
        assert f'href="/enquiries/{wanted}"' in found.text, typed
    # A number that is no phone is searched as words: nothing here.
    nothing = await console.get("/enquiries", params={"q": "12345"})
    assert "0 enquiries" in nothing.text


async def test_a_hyphenated_word_is_found_without_its_hyphen(
    console: httpx.AsyncClient, services: Services
) -> None:
    wanted = await add_enquiry(services, "Ar klasėse veikia Wi-Fi?")
    await add_enquiry(services, "Kada prasideda kursai?")
    await sign_in(console, services, STAFF_ID)
    for typed in ("wifi", "wi-fi", "Wi Fi"):
        found = await console.get("/enquiries", params={"q": typed})
        assert "1 enquiry" in found.text, typed
        assert f'href="/enquiries/{wanted}"' in found.text, typed


async def test_people_are_found_by_name_without_diacritics_and_by_phone(
    console: httpx.AsyncClient, services: Services
) -> None:
    async with services.db.transaction() as conn:
        await enquiries_repo.create(
            conn,
            user_id=2003,
            lang="lt",
            topic="other",
            programme_id=None,
            text="Klausimas",
            name="Žydrūnė Čiurlionytė",
            phone="+37061112222",
            source_key="test:zydrune",
            now=services.clock.now().isoformat(),
        )
    await sign_in(console, services, STAFF_ID)
    for typed in ("zydrune", "Žydrūnė", "ciurlionyte", "861112222", "+370 611 12222"):
        found = await console.get("/people", params={"q": typed})
        assert 'href="/people/2003"' in found.text, typed
    nobody = await console.get("/people", params={"q": "petras"})
    assert "Nobody found." in nobody.text
