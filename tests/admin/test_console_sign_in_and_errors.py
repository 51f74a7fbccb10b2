"""Signing in and out, and what the console says when something is not
there: the page asked for is opened after signing in, a used link says so
before its button is pressed, a wrong password keeps the user id, signing
out says so, an unknown address keeps the menu and the chosen language, and a
form's address opened as a page says what it is."""

from __future__ import annotations

import httpx

from services.container import Services
from tests.admin.conftest import STAFF_ID, add_enquiry, post_link, sign_in
from tests.conftest import ADMIN_ID


async def test_the_page_asked_for_opens_after_signing_in(
    console: httpx.AsyncClient, services: Services
) -> None:
    number = await add_enquiry(services, "Kada prasideda kursai?")
    asked = await console.get(f"/enquiries/{number}")
    assert asked.headers["location"] == "/login"
    token = await services.admin_auth.issue_link(STAFF_ID)
    signed_in = await post_link(console, token)
    assert signed_in.headers["location"] == f"/enquiries/{number}"
    # A used link says so when opened, with no button to press.
    used = await console.get(f"/login/{token}")
    assert used.status_code == 403 and "it was used already" in used.text
    assert "<button" not in used.text.split("<main")[1]


async def test_a_wrong_password_keeps_the_user_id_and_signing_out_says_so(
    console: httpx.AsyncClient, services: Services
) -> None:
    form = await console.get("/login")
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    wrong = await console.post(
        "/login", data={"csrf": csrf, "user_id": str(ADMIN_ID), "password": "not it at all"}
    )
    assert wrong.status_code == 401
    assert f'value="{ADMIN_ID}"' in wrong.text
    csrf = await sign_in(console, services, STAFF_ID)
    out = await console.post("/logout", data={"csrf": csrf})
    shown = await console.get(out.headers["location"])
    assert "You are signed out." in shown.text


async def test_unknown_addresses_and_form_addresses_keep_the_menu_and_language(
    console: httpx.AsyncClient, services: Services
) -> None:
    csrf = await sign_in(console, services, STAFF_ID)
    # Chosen in the console: English, though the browser asks for Lithuanian.
    await console.post("/language", data={"csrf": csrf, "lang": "en", "back": "/"})
    missing = await console.get("/no-such-page", headers={"Accept-Language": "lt"})
    assert missing.status_code == 404
    assert "There is no page at this address." in missing.text
    assert 'href="/enquiries"' in missing.text and "Sign out" in missing.text
    form_only = await console.get("/enquiries/1/reply")
    assert form_only.status_code == 405 and form_only.headers["allow"] == "POST"
    assert "This address only takes a form" in form_only.text
    titles = {
        (await console.get(path)).text.split("<title>")[1].split("</title>")[0]
        for path in ("/", "/enquiries", "/broadcasts", "/people", "/unanswered")
    }
    assert len(titles) == 5
