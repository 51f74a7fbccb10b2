"""The attendance sheet, certificates and the public verification page over HTTP."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from pypdf import PdfReader

from admin.app import create_app
from services.certificates import Certificate
from services.clock import FixedClock
from services.container import Services
from tests.admin.conftest import STAFF_ID, sign_in
from tests.conftest import ADMIN_ID
from tests.registration_helpers import add_registration, give_certificate

PROGRAMME = "pd-digital-didactics"
GROUP = "pd-digital-didactics-2027-01"
DAY1, DAY2 = f"{GROUP}-day1", f"{GROUP}-day2"
AFTER = dt.datetime(2027, 1, 20, 11, 30, tzinfo=dt.UTC)
NAME = "Ąžuolė Čiurlionytė"


class Sent:
    """The bot's sending of certificates, as the console sees it."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.codes: list[str] = []

    async def __call__(self, certificate: Certificate) -> str:
        self.codes.append(certificate.code)
        await self.services.certificates.sent(certificate.code)
        return "delivered"


@pytest.fixture
def sent(services: Services) -> Sent:
    return Sent(services)


@pytest.fixture
async def web(services: Services, sent: Sent) -> AsyncIterator[httpx.AsyncClient]:
    await services.roles.grant_staff(ADMIN_ID, STAFF_ID)
    app = create_app(services, None, send_certificate=sent, public_url="https://vtc.example.lt")
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5000))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://console.test", headers={"Accept-Language": "en"}
    ) as client:
        yield client


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


async def test_marking_attendance_issues_and_sends_the_certificate(
    web: httpx.AsyncClient, services: Services, clock: FixedClock, sent: Sent
) -> None:
    give_certificate(services, PROGRAMME, min_attendance=100)
    ona = await add_registration(services, 5001, GROUP, name=NAME, lang="lt")
    jonas = await add_registration(services, 5002, GROUP, name="Jonas Jonaitis")
    await add_registration(services, 5003, GROUP, name="Laukianti Eilėje", status="waiting")
    clock.at = AFTER
    csrf = await sign_in(web, services, STAFF_ID)

    groups = await web.get(f"/attendance?group={GROUP}")
    assert f'href="/attendance/{GROUP}/{DAY1}"' in groups.text
    page = await web.get(f"/attendance/{GROUP}/{DAY1}")
    assert page.status_code == 200
    shown = _text(page.text)
    # Confirmed participants only; each with three buttons.
    assert NAME in shown and "Jonas Jonaitis" in shown
    assert "Laukianti" not in shown
    assert page.text.count('name="state" value="present"') == 2
    assert "A certificate needs 2 sessions attended." in shown

    for session_id, registration, state in (
        (DAY1, ona, "present"),
        (DAY1, jonas, "absent"),
        (DAY2, jonas, "excused"),
    ):
        response = await web.post(
            f"/attendance/{GROUP}/{session_id}/{registration}",
            data={"csrf": csrf, "state": state},
        )
        assert response.status_code == 303
        assert response.headers["location"].endswith(f"saved={registration}#r{registration}")
    assert sent.codes == []
    last = await web.post(
        f"/attendance/{GROUP}/{DAY2}/{ona}", data={"csrf": csrf, "state": "present"}
    )
    assert "issued=1" in last.headers["location"]
    sheet = await web.get(last.headers["location"])
    assert "1 certificate issued and sent." in _text(sheet.text)
    assert 'aria-pressed="true">Present' in sheet.text
    assert len(sent.codes) == 1
    code = sent.codes[0]

    listing = _text((await web.get(f"/certificates?group={GROUP}")).text)
    assert code in listing and NAME in listing and "Send again" in listing
    pdf = await web.get(f"/certificates/{code}.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert NAME in text and f"https://vtc.example.lt/verify/{code}" in text


async def test_a_forged_mark_changes_nothing(web: httpx.AsyncClient, services: Services) -> None:
    waiting = await add_registration(services, 5003, GROUP, status="waiting")
    csrf = await sign_in(web, services, STAFF_ID)
    refused = await web.post(
        f"/attendance/{GROUP}/{DAY1}/{waiting}", data={"csrf": csrf, "state": "present"}
    )
    assert refused.status_code == 404
    confirmed = await add_registration(services, 5004, GROUP)
    odd = await web.post(
        f"/attendance/{GROUP}/{DAY1}/{confirmed}", data={"csrf": csrf, "state": "asleep"}
    )
    assert odd.status_code == 404
    no_csrf = await web.post(f"/attendance/{GROUP}/{DAY1}/{confirmed}", data={"state": "present"})
    assert no_csrf.status_code == 403
    sheet = await web.get(f"/attendance/{GROUP}/{DAY1}")
    assert 'aria-pressed="true"' not in sheet.text


async def test_the_public_page_verifies_with_initials_only(
    web: httpx.AsyncClient, services: Services, clock: FixedClock
) -> None:
    give_certificate(services, PROGRAMME, min_attendance=50)
    registration = await add_registration(services, 5001, GROUP, name=NAME)
    clock.at = AFTER
    [certificate] = await services.attendance.mark(ADMIN_ID, GROUP, DAY1, registration, "present")
    # Nobody is signed in.
    page = await web.get(f"/verify/{certificate.code}")
    assert page.status_code == 200
    shown = _text(page.text)
    assert "This certificate is valid." in shown
    assert "Digital didactics in VET" in shown
    assert "19 January 2027 – 20 January 2027" in shown
    assert "Ą. Č." in shown
    for private in ("Ąžuolė", "Čiurlionytė", "5001", "+370", "Onaitė"):
        assert private not in page.text
    typed = await web.get("/verify", params={"code": certificate.code.lower().replace("-", "")})
    assert "Ą. Č." in _text(typed.text)

    wrong = await web.get("/verify/AAAA-BBBB-CCCC-DDDD")
    assert wrong.status_code == 404
    wrong_text = _text(wrong.text)
    assert "No certificate has this code." in wrong_text
    assert "Digital didactics" not in wrong_text and "valid" not in wrong_text
    empty = await web.get("/verify")
    assert empty.status_code == 200 and "No certificate has this code" not in empty.text


async def test_sign_in_is_needed_for_everything_but_verification(
    web: httpx.AsyncClient,
) -> None:
    for path in ("/attendance", f"/attendance/{GROUP}/{DAY1}", "/certificates", "/feedback"):
        response = await web.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/login"
