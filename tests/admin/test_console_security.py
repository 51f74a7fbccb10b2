"""Who can sign in to the web console and how: one-time links, sessions,
CSRF, timeouts, sign-out, throttling, roles, and text shown as text."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from services.clock import FixedClock
from services.container import Services
from services.roles import NotAllowed
from storage import enquiries_repo, roles_repo
from tests.admin.conftest import (
    LEARNER_ID,
    STAFF_ID,
    add_enquiry,
    once,
    post_link,
    sign_in,
)
from tests.conftest import ADMIN_ID


async def test_a_link_signs_in_once_with_a_safe_cookie(
    console: httpx.AsyncClient, services: Services
) -> None:
    token = await services.admin_auth.issue_link(STAFF_ID)
    # Opening the link (as a link preview would) changes nothing.
    shown = await console.get(f"/login/{token}")
    assert shown.status_code == 200 and '<form method="post">' in shown.text
    # Pressed without the page's token (another site submitting the link in
    # this browser): refused, and the link is not used up.
    assert (await console.post(f"/login/{token}", data={"csrf": "forged"})).status_code == 403
    signed_in = await post_link(console, token)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/"
    [cookie] = [c for c in signed_in.headers.get_list("set-cookie") if c.startswith("vtc_session=")]
    flags = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert "secure" not in flags  # plain http on loopback; https makes it Secure
    session_id = cookie.split(";")[0].split("=", 1)[1]
    assert len(session_id) >= 22  # 128 random bits, base64
    assert (await console.get("/")).status_code == 200

    # The same link again: refused, in a fresh browser too.
    console.cookies.clear()
    reused = await post_link(console, token)
    assert reused.status_code == 403
    assert "vtc_session" not in reused.headers.get("set-cookie", "")
    assert (await console.get("/")).headers["location"] == "/login"


async def test_https_makes_the_cookie_secure(services: Services) -> None:
    from admin.app import create_app

    await services.roles.grant_staff(ADMIN_ID, STAFF_ID)
    app = create_app(services, None, secure_cookies=True)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://console.test"
    ) as client:
        token = await services.admin_auth.issue_link(STAFF_ID)
        response = await post_link(client, token)
        [cookie] = [
            c for c in response.headers.get_list("set-cookie") if c.startswith("vtc_session=")
        ]
        assert "secure" in [p.strip().lower() for p in cookie.split(";")]


async def test_expired_and_learner_links_fail(
    console: httpx.AsyncClient, services: Services, clock: FixedClock
) -> None:
    token = await services.admin_auth.issue_link(STAFF_ID)
    clock.advance(dt.timedelta(minutes=10, seconds=1))
    assert (await post_link(console, token)).status_code == 403
    with pytest.raises(NotAllowed):
        await services.admin_auth.issue_link(LEARNER_ID)
    # A staff member who lost the role before using their link.
    token = await services.admin_auth.issue_link(STAFF_ID)
    await services.roles.revoke_staff(ADMIN_ID, STAFF_ID)
    assert (await post_link(console, token)).status_code == 403
    refused = [e for e in await roles_repo.audit_entries(services.db.reader) if e[4] == "refused"]
    assert [e[2] for e in refused] == ["admin_sign_in", "admin_link", "admin_sign_in"]


async def test_a_post_without_csrf_changes_nothing(
    console: httpx.AsyncClient, services: Services
) -> None:
    enquiry = await add_enquiry(services, "Kiek kainuoja kursas?")
    csrf = await sign_in(console, services, STAFF_ID)
    for form in ({"status": "closed"}, {"status": "closed", "csrf": "forged"}):
        refused = await console.post(f"/enquiries/{enquiry}/status", data=form)
        assert refused.status_code == 403
    row = await enquiries_repo.get(services.db.reader, enquiry)
    assert row is not None and row.status == "new"
    done = await console.post(
        f"/enquiries/{enquiry}/status", data={"status": "closed", "csrf": csrf, "once": once(csrf)}
    )
    assert done.status_code == 303
    row = await enquiries_repo.get(services.db.reader, enquiry)
    assert row is not None and row.status == "closed"


async def test_idle_and_absolute_timeouts(
    console: httpx.AsyncClient, services: Services, clock: FixedClock
) -> None:
    await sign_in(console, services, STAFF_ID)
    for _ in range(4):  # active for 2 hours: still signed in
        clock.advance(dt.timedelta(minutes=29))
        assert (await console.get("/")).status_code == 200
    clock.advance(dt.timedelta(minutes=31))
    assert (await console.get("/")).headers["location"] == "/login"
    # Busy all day: after 12 hours the session ends anyway.
    await sign_in(console, services, STAFF_ID)
    for _ in range(25):
        clock.advance(dt.timedelta(minutes=29))
        if (await console.get("/")).status_code != 200:
            break
    assert (await console.get("/")).headers["location"] == "/login"
    assert services.clock.now() - dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC) < dt.timedelta(
        hours=15
    )


async def test_sign_out_ends_the_session(console: httpx.AsyncClient, services: Services) -> None:
    csrf = await sign_in(console, services, STAFF_ID)
    cookie = console.cookies.get("vtc_session")
    out = await console.post("/logout", data={"csrf": csrf})
    assert out.status_code == 303 and out.headers["location"] == "/login?signed_out=1"
    assert "vtc_session=" in out.headers["set-cookie"] and "Max-Age=0" in out.headers["set-cookie"]
    # The old cookie, kept by an attacker, is worth nothing.
    assert cookie is not None
    console.cookies.set("vtc_session", cookie)
    assert (await console.get("/")).headers["location"] == "/login"


async def test_failed_password_sign_ins_are_throttled(
    console: httpx.AsyncClient, services: Services, clock: FixedClock
) -> None:
    csrf = await sign_in(console, services, ADMIN_ID)
    saved = await console.post(
        "/password", data={"csrf": csrf, "password": "ilgas slaptažodis 2026"}
    )
    assert saved.status_code == 200 and "The password was set." in saved.text
    console.cookies.clear()

    async def attempt(password: str) -> httpx.Response:
        form = await console.get("/login")
        token = form.text.split('name="csrf" value="')[1].split('"')[0]
        return await console.post(
            "/login", data={"csrf": token, "user_id": str(ADMIN_ID), "password": password}
        )

    for _ in range(5):
        assert (await attempt("wrong")).status_code == 401
    # Now even the right password waits.
    assert (await attempt("ilgas slaptažodis 2026")).status_code == 429
    clock.advance(dt.timedelta(minutes=16))
    right = await attempt("ilgas slaptažodis 2026")
    assert right.status_code == 303


async def test_staff_cannot_do_what_only_admins_may(
    console: httpx.AsyncClient, services: Services
) -> None:
    csrf = await sign_in(console, services, STAFF_ID)
    assert (await console.get("/audit")).status_code == 403
    assert (await console.get("/password")).status_code == 403
    refused = await console.post("/password", data={"csrf": csrf, "password": "x" * 20})
    assert refused.status_code == 403
    home = await console.get("/")
    assert 'href="/audit"' not in home.text


async def test_every_page_needs_a_session(console: httpx.AsyncClient, services: Services) -> None:
    enquiry = await add_enquiry(services, "Klausimas")
    for path in (
        "/",
        "/enquiries",
        "/enquiries.csv",
        f"/enquiries/{enquiry}",
        "/audit",
        "/password",
    ):
        response = await console.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/login", path
    for path in ("/logout", "/language", f"/enquiries/{enquiry}/reply", "/password"):
        response = await console.post(path, data={"csrf": "x"})
        assert response.status_code == 303 and response.headers["location"] == "/login", path


async def test_enquiry_text_is_shown_as_text(
    console: httpx.AsyncClient, services: Services
) -> None:
    enquiry = await add_enquiry(
        services, '<script>alert("x")</script><img src=x onerror=alert(1)> <b>bold</b>'
    )
    await sign_in(console, services, STAFF_ID)
    for path in ("/enquiries", f"/enquiries/{enquiry}"):
        page = (await console.get(path)).text
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    headers = (await console.get("/")).headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"


async def test_a_burst_of_guesses_is_throttled_too(
    console: httpx.AsyncClient, services: Services
) -> None:
    import asyncio

    csrf = await sign_in(console, services, ADMIN_ID)
    await console.post("/password", data={"csrf": csrf, "password": "ilgas slaptažodis 2026"})
    console.cookies.clear()
    form = await console.get("/login")
    token = form.text.split('name="csrf" value="')[1].split('"')[0]
    guesses = [f"guess {n}" for n in range(20)] + ["ilgas slaptažodis 2026"]
    answers = await asyncio.gather(
        *(
            console.post(
                "/login", data={"csrf": token, "user_id": str(ADMIN_ID), "password": guess}
            )
            for guess in guesses
        )
    )
    codes = [a.status_code for a in answers]
    # However they interleave, at most five passwords were tried.
    assert sum(1 for c in codes if c != 429) <= 5, codes
