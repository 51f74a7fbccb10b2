"""Every page of the console for each role: what an admin, a staff member
and someone signed out get."""

from __future__ import annotations

import httpx
import pytest

from services.container import Services
from tests.admin.conftest import LEARNER_ID, STAFF_ID, add_enquiry, sign_in
from tests.conftest import ADMIN_ID

# path -> (admin, staff)
PAGES = {
    "/": (200, 200),
    "/enquiries": (200, 200),
    "/enquiries.csv": (200, 200),
    "/enquiries/{enquiry}": (200, 200),
    "/enquiries/999999": (404, 404),
    "/broadcasts": (200, 200),
    "/catalogue": (200, 200),
    "/catalogue/programmes/{programme}": (200, 200),
    "/unanswered": (200, 200),
    "/unanswered/catalogue.yaml": (200, 403),
    "/people": (200, 200),
    "/people/{learner}": (200, 200),
    "/audit": (200, 403),
    "/password": (200, 403),
}


@pytest.mark.parametrize("user", [ADMIN_ID, STAFF_ID], ids=["admin", "staff"])
async def test_every_page_for_each_role(
    console: httpx.AsyncClient, services: Services, user: int
) -> None:
    enquiry = await add_enquiry(services, "Klausimas")
    programme = services.catalogue.view.catalogue.programmes[0].id
    await sign_in(console, services, user)
    for template, expected in PAGES.items():
        path = template.format(enquiry=enquiry, programme=programme, learner=LEARNER_ID)
        response = await console.get(path)
        want = expected[0] if user == ADMIN_ID else expected[1]
        assert response.status_code == want, path
    assert (await console.get("/no-such-page")).status_code == 404


async def test_language_switch_stays_on_the_page_and_refuses_other_sites(
    console: httpx.AsyncClient, services: Services
) -> None:
    csrf = await sign_in(console, services, STAFF_ID)
    switched = await console.post(
        "/language", data={"csrf": csrf, "lang": "lt", "back": "/enquiries"}
    )
    assert switched.headers["location"] == "/enquiries"
    assert "Užklausos" in (await console.get("/enquiries")).text
    elsewhere = await console.post(
        "/language", data={"csrf": csrf, "lang": "en", "back": "//evil.example/"}
    )
    assert elsewhere.headers["location"] == "/"
    assert "Enquiries" in (await console.get("/enquiries")).text
