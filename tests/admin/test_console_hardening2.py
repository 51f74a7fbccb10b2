"""Sign-in hardening of issue 12: passwords with substance, a throttle that
a stranger cannot turn against an admin, forwarded headers believed only
from the configured proxy, and names shown without bidi controls."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest
from starlette.applications import Starlette

from admin.app import create_app
from admin.server import AdminServer
from domain.enquiries import Enquiry
from services.admin_auth import ACCOUNT_ALERT, ADDRESS_FAILURES, MAX_FAILURES
from services.bidi import BIDI_CONTROLS
from services.container import Services
from storage import enquiries_repo, roles_repo
from tests.admin.conftest import CSRF, Deliveries, post_link, sign_in
from tests.conftest import ADMIN_ID
from texts.enquiries import staff_post
from texts.i18n import translator

PASSWORD = "ilgas slaptažodis 2026"
ADMIN_HOME = "203.0.113.7"  # the console fixture's address
STRANGER = "198.51.100.66"

Browser = Callable[[str], AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def browser_at(services: Services, deliveries: Deliveries) -> Browser:
    """A browser at a given client address, on the same console."""
    app = create_app(services, deliveries)

    @asynccontextmanager
    async def browser(address: str) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app, client=(address, 5000))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://console.test", headers={"Accept-Language": "en"}
        ) as client:
            yield client

    return browser


async def _with_password(console: httpx.AsyncClient, services: Services) -> None:
    csrf = await sign_in(console, services, ADMIN_ID)
    saved = await console.post("/password", data={"csrf": csrf, "password": PASSWORD})
    assert saved.status_code == 200 and "The password was set." in saved.text
    console.cookies.clear()


async def _try(client: httpx.AsyncClient, password: str, user_id: int = ADMIN_ID) -> int:
    form = await client.get("/login")
    match = CSRF.search(form.text)
    assert match is not None
    answer = await client.post(
        "/login", data={"csrf": match.group(1), "user_id": str(user_id), "password": password}
    )
    return answer.status_code


# ---------------------------------------------------------------- lockout


async def test_a_stranger_cannot_lock_an_admin_out(
    console: httpx.AsyncClient, services: Services, browser_at: Browser
) -> None:
    await _with_password(console, services)
    async with browser_at(STRANGER) as stranger:
        codes = [await _try(stranger, f"guess {n}") for n in range(MAX_FAILURES + 3)]
    # The stranger's own guesses are throttled after MAX_FAILURES ...
    assert codes == [401] * MAX_FAILURES + [429] * 3
    # ... but the admin, from their own address, signs in at once.
    assert await _try(console, PASSWORD) == 303


async def test_the_same_address_is_still_throttled(
    console: httpx.AsyncClient, services: Services
) -> None:
    await _with_password(console, services)
    for _ in range(MAX_FAILURES):
        assert await _try(console, "wrong") == 401
    page = await console.get("/login")
    assert page.status_code == 200
    refused = await _try(console, PASSWORD)
    assert refused == 429


async def test_one_address_guessing_many_accounts_is_stopped(
    console: httpx.AsyncClient, services: Services, browser_at: Browser
) -> None:
    await _with_password(console, services)
    accounts = range(ADDRESS_FAILURES // MAX_FAILURES)
    async with browser_at(STRANGER) as stranger:
        for n in accounts:
            for _ in range(MAX_FAILURES):
                assert await _try(stranger, "wrong", 5000 + n) == 401
        # Every account of its own is within its limit; the address is not.
        assert await _try(stranger, "wrong", ADMIN_ID) == 429
    assert await _try(console, PASSWORD) == 303


async def test_a_valid_link_works_from_an_address_throttled_by_strangers(
    console: httpx.AsyncClient, services: Services, browser_at: Browser
) -> None:
    """Strangers behind the same proxy or network as the admin used up the
    address's password attempts: the admin's link from /admin still works,
    while a wrong link is refused as throttled."""
    await _with_password(console, services)
    async with browser_at(STRANGER) as shared:
        for n in range(ADDRESS_FAILURES // MAX_FAILURES):
            for _ in range(MAX_FAILURES):
                assert await _try(shared, "wrong", 5000 + n) == 401
        assert await _try(shared, PASSWORD) == 429
        wrong = await post_link(shared, "not-a-link")
        assert wrong.status_code == 429
        await sign_in(shared, services, ADMIN_ID)  # asserts the 303 and the page


async def test_ipv6_neighbours_share_a_throttle(
    console: httpx.AsyncClient, services: Services, browser_at: Browser
) -> None:
    await _with_password(console, services)
    async with browser_at("2001:db8:0:7::1") as first:
        for _ in range(MAX_FAILURES):
            assert await _try(first, "wrong") == 401
    # Another address of the same /64 (one host usually holds it all).
    async with browser_at("2001:db8:0:7::2") as same_network:
        assert await _try(same_network, "wrong") == 429
    async with browser_at("2001:db8:0:8::1") as other_network:
        assert await _try(other_network, "wrong") == 401


async def test_guessing_from_many_addresses_is_reported_once(
    console: httpx.AsyncClient,
    services: Services,
    browser_at: Browser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _with_password(console, services)
    caplog.set_level(logging.WARNING, logger="services.admin_auth")
    for n in range(ACCOUNT_ALERT + 3):
        async with browser_at(f"198.51.100.{n + 1}") as someone:
            assert await _try(someone, f"guess {n}") == 401
    alerts = [r for r in caplog.records if "sign-in attempts" in r.getMessage()]
    assert len(alerts) == 1
    assert f"user:{ADMIN_ID}" in alerts[0].getMessage()
    assert await _try(console, PASSWORD) == 303


# ---------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    ("password", "lang", "message"),
    [
        (" " * 12, "en", "at least 12 characters besides spaces"),
        ("a b c d e f g h i j k", "en", "at least 12 characters besides spaces"),
        ("password1234", "en", "This password is one of the commonest"),
        (" " * 12, "lt", "bent 12 ženklų, neskaičiuojant tarpų"),
        ("qwertyuiop123", "lt", "Šis slaptažodis yra vienas dažniausių"),
    ],
)
async def test_weak_passwords_are_refused_in_the_admins_language(
    services: Services, browser_at: Browser, password: str, lang: str, message: str
) -> None:
    async with browser_at(ADMIN_HOME) as browser:
        browser.headers["Accept-Language"] = lang
        csrf = await sign_in(browser, services, ADMIN_ID)
        refused = await browser.post("/password", data={"csrf": csrf, "password": password})
        assert refused.status_code == 400
        assert message in refused.text
        assert not await services.admin_auth.has_password(ADMIN_ID)
        accepted = await browser.post("/password", data={"csrf": csrf, "password": PASSWORD})
        assert accepted.status_code == 200
        assert await services.admin_auth.has_password(ADMIN_ID)


# ---------------------------------------------------------------- forwarded headers


@asynccontextmanager
async def _served(app: Starlette, trusted: tuple[str, ...]) -> AsyncIterator[str]:
    """The console on a loopback port, as `vtcbot run` serves it."""
    server = AdminServer(app, "127.0.0.1", 0, trusted)
    assert await server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        await server.stop()


async def _refusal_addresses(services: Services) -> list[str]:
    entries = await roles_repo.audit_entries(services.db.reader)
    return [str(e[3]).rsplit(" from ", 1)[-1] for e in entries if e[2] == "admin_sign_in"]


@pytest.mark.parametrize(
    ("trusted", "counted_as"),
    [((), "127.0.0.1"), (("10.9.9.9",), "127.0.0.1"), (("127.0.0.1",), "1.2.3.4")],
)
async def test_forwarded_for_is_believed_only_from_a_configured_proxy(
    services: Services,
    deliveries: Deliveries,
    trusted: tuple[str, ...],
    counted_as: str,
) -> None:
    app = create_app(services, deliveries)
    async with (
        _served(app, trusted) as url,
        httpx.AsyncClient(base_url=url, headers={"X-Forwarded-For": "1.2.3.4"}) as client,
    ):
        assert await _try(client, "wrong") == 401
    assert await _refusal_addresses(services) == [counted_as]


async def test_a_spoofed_address_does_not_escape_the_throttle(
    services: Services, deliveries: Deliveries
) -> None:
    app = create_app(services, deliveries)
    async with _served(app, ()) as url, httpx.AsyncClient(base_url=url) as client:
        codes = []
        for n in range(MAX_FAILURES + 1):
            # A new made-up address for every guess: all counted as 127.0.0.1.
            client.headers["X-Forwarded-For"] = f"1.2.3.{n}"
            codes.append(await _try(client, "wrong"))
    assert codes == [401] * MAX_FAILURES + [429]


@pytest.mark.parametrize(("trusted", "secure"), [((), False), (("127.0.0.1",), True)])
async def test_forwarded_proto_is_believed_only_from_a_configured_proxy(
    services: Services, deliveries: Deliveries, trusted: tuple[str, ...], secure: bool
) -> None:
    app = create_app(services, deliveries)
    async with (
        _served(app, trusted) as url,
        httpx.AsyncClient(base_url=url, headers={"X-Forwarded-Proto": "https"}) as client,
    ):
        form = await client.get("/login")
    # The sign-in form's cookie is Secure only if the request really came over HTTPS.
    [cookie] = [c for c in form.headers.get_list("set-cookie") if c.startswith("vtc_login=")]
    assert ("secure" in [p.strip().lower() for p in cookie.split(";")]) is secure


# ---------------------------------------------------------------- bidi


async def test_the_console_shows_names_without_bidi_controls(
    console: httpx.AsyncClient, services: Services
) -> None:
    async with services.db.transaction() as conn:
        enquiry = await enquiries_repo.create(
            conn,
            user_id=2001,
            lang="lt",
            topic="Kainos",
            programme_id=None,
            text="Kiek \u202ekainuoja\u202c? \u2067=HYPERLINK()\u2069",
            name="Ona\u202e \u2066Onaitė",
            phone="\u202d+37061234567",
            source_key="test:bidi",
            now=services.clock.now().isoformat(),
        )
    await sign_in(console, services, ADMIN_ID)
    page = await console.get(f"/enquiries/{enquiry}")
    assert page.status_code == 200
    assert not set(page.text) & BIDI_CONTROLS
    assert "<dd>Ona Onaitė</dd>" in page.text and "<dd>+37061234567</dd>" in page.text
    # Every page that shows the learner's words, and the export for a spreadsheet.
    for path in ("/enquiries", "/people/2001", "/unanswered", "/"):
        shown = await console.get(path)
        assert shown.status_code == 200, path
        assert not set(shown.text) & BIDI_CONTROLS, path
    export = await console.get("/enquiries.csv")
    assert not set(export.text) & BIDI_CONTROLS
    assert "Kiek kainuoja? =HYPERLINK()" in export.text


def test_the_staff_post_shows_the_learners_words_without_bidi_controls() -> None:
    enquiry = Enquiry(
        id=7,
        user_id=2001,
        lang="lt",
        topic="Kainos",
        programme_id=None,
        text="Skambinkit \u202e76543210 davai\u202c\nantra eilute \u200f",
        name="Ona",
        phone="+37061234567",
        status="new",
        assignee_id=None,
        staff_chat_id=None,
        staff_message_id=None,
        created_at="2026-12-07T10:00:00+00:00",
        updated_at="2026-12-07T10:00:00+00:00",
    )
    post = staff_post(translator("lt"), enquiry)
    assert not set(post.text) & BIDI_CONTROLS
    assert "Skambinkit 76543210 davai\nantra eilute" in post.text
