"""What a reviewer tried against the console: oversized bodies, odd ids,
setting a password from a borrowed session, applying an outdated catalogue
check, a reply longer than an enquiry message."""

from __future__ import annotations

import datetime as dt

import httpx

from services.clock import FixedClock
from services.container import Services
from tests.admin.conftest import STAFF_ID, Deliveries, add_enquiry, once, sign_in
from tests.conftest import ADMIN_ID, DEMO


async def test_oversized_bodies_and_odd_ids_are_refused_cleanly(
    console: httpx.AsyncClient, services: Services
) -> None:
    big = await console.post("/login", data={"csrf": "x", "password": "p" * 200_000})
    assert big.status_code == 413
    await sign_in(console, services, STAFF_ID)
    for path in ("/enquiries/99999999999999999999999", "/people/²", "/audit?actor=²&offset=10**30"):
        response = await console.get(path)
        assert response.status_code in (403, 404), path
    assert (await console.get("/enquiries", params={"page": "²"})).status_code == 200
    assert (await console.get("/people", params={"q": "9" * 40})).status_code == 200


# Passwords good enough to be accepted (a run of one letter no longer is).
FIRST = "žalias kalnas ir upė 2026"
SECOND = "mėlyna jūra be vėjo 77"


async def test_a_password_needs_a_fresh_sign_in_or_the_current_one(
    console: httpx.AsyncClient, services: Services, clock: FixedClock
) -> None:
    csrf = await sign_in(console, services, ADMIN_ID)
    clock.advance(dt.timedelta(minutes=11))
    late = await console.post("/password", data={"csrf": csrf, "password": FIRST})
    assert late.status_code == 400 and not await services.admin_auth.has_password(ADMIN_ID)
    console.cookies.clear()
    csrf = await sign_in(console, services, ADMIN_ID)
    first = await console.post("/password", data={"csrf": csrf, "password": FIRST})
    assert first.status_code == 200 and await services.admin_auth.has_password(ADMIN_ID)
    # Changing it needs the current one.
    wrong = await console.post(
        "/password", data={"csrf": csrf, "password": SECOND, "current": "nope"}
    )
    assert wrong.status_code == 400
    right = await console.post(
        "/password", data={"csrf": csrf, "password": SECOND, "current": FIRST}
    )
    assert right.status_code == 200


async def test_an_outdated_catalogue_check_cannot_be_applied(
    console: httpx.AsyncClient, services: Services, tmp_path: object
) -> None:
    csrf = await sign_in(console, services, ADMIN_ID)
    good = DEMO.read_text(encoding="utf-8")
    first = services.catalogue.view.catalogue.programmes[0]
    title = first.title.get("en")

    async def check(text: str) -> str:
        page = await console.post(
            "/catalogue/upload",
            data={"csrf": csrf},
            files={"file": ("centre.yaml", text.encode(), "text/yaml")},
        )
        return page.text.split('action="/catalogue/apply/')[1].split('"')[0]

    older = await check(good.replace(title, title + " A", 1))
    newer = await check(good.replace(title, title + " B", 1))
    assert (await console.post(f"/catalogue/apply/{newer}", data={"csrf": csrf})).status_code == 200
    stale = await console.post(f"/catalogue/apply/{older}", data={"csrf": csrf})
    assert stale.status_code == 409
    assert services.catalogue.view.programmes[first.id].title.get("en") == title + " B"


async def test_a_reply_too_long_is_neither_cut_nor_sent(
    console: httpx.AsyncClient, services: Services, deliveries: Deliveries
) -> None:
    enquiry = await add_enquiry(services, "Klausimas")
    csrf = await sign_in(console, services, STAFF_ID)
    sent = await console.post(
        f"/enquiries/{enquiry}/reply", data={"csrf": csrf, "once": once(csrf), "text": "x" * 2001}
    )
    assert sent.headers["location"].endswith("done=too_long")
    assert deliveries.sent == []


async def test_a_reply_too_long_only_in_utf16_units_is_refused_before_sending(
    console: httpx.AsyncClient, services: Services, deliveries: Deliveries
) -> None:
    enquiry = await add_enquiry(services, "Klausimas")
    csrf = await sign_in(console, services, STAFF_ID)
    # 1,800 characters as Python counts them, 2,100 UTF-16 units as Telegram does.
    sent = await console.post(
        f"/enquiries/{enquiry}/reply",
        data={"csrf": csrf, "once": once(csrf), "text": "a" * 1500 + "😀" * 300},
    )
    assert sent.headers["location"].endswith("done=too_long")
    assert deliveries.sent == []
    thread = await services.enquiry_console.thread(STAFF_ID, enquiry)
    assert thread is not None and [m for m in thread.messages if m.direction == "staff"] == []
