"""The web console over HTTP (httpx against the ASGI app, no socket)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest

from admin.app import create_app
from domain.enquiries import Delivery, Enquiry
from services.container import Services
from services.form_tokens import issue
from storage import enquiries_repo
from tests.admin.browser import seeded_console as seeded_console  # the browser tests' console
from tests.conftest import ADMIN_ID
from tests.conftest import STAFF_ID as STAFF_ID

LEARNER_ID = 2001
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Deliveries:
    """The bot's delivery as the console sees it: each answer handed over is
    recorded, and its delivery state set as `outcome` says (as the real
    bot/transport/enquiry_delivery.py does)."""

    services: Services
    sent: list[tuple[int, int, str]] = field(default_factory=list)
    outcome: str = "delivered"

    async def __call__(self, enquiry: Enquiry, row: int, text: str) -> str:
        self.sent.append((enquiry.id, row, text))
        states = {
            "delivered": (Delivery.SENT, None),
            "blocked": (Delivery.REFUSED, "blocked"),
            "failed": (Delivery.REFUSED, "failed:Bad Request: chat not found"),
            "uncertain": (Delivery.UNCERTAIN, None),
        }
        state, reason = states[self.outcome]
        await self.services.enquiries.delivered(row, state, reason)
        return self.outcome


@pytest.fixture
def deliveries(services: Services) -> Deliveries:
    return Deliveries(services)


def once(csrf: str) -> str:
    """A fresh one-time form token of the session whose CSRF token is `csrf`,
    as each page's form carries one."""
    return issue(csrf)


@pytest.fixture
async def console(services: Services, deliveries: Deliveries) -> AsyncIterator[httpx.AsyncClient]:
    await services.roles.grant_staff(ADMIN_ID, STAFF_ID)
    app = create_app(services, deliveries)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5000))
    # Pages in English, as a browser set to English asks.
    async with httpx.AsyncClient(
        transport=transport, base_url="http://console.test", headers={"Accept-Language": "en"}
    ) as client:
        yield client


async def post_link(client: httpx.AsyncClient, token: str) -> httpx.Response:
    """Open a sign-in link and press its button, as a browser does."""
    page = await client.get(f"/login/{token}")
    match = CSRF.search(page.text)
    if match is None:
        # An unusable link's page has no button; its form is posted anyway
        # (as a stale tab would), with this browser's sign-in form token.
        match = CSRF.search((await client.get("/login")).text)
    assert match is not None
    return await client.post(f"/login/{token}", data={"csrf": match.group(1)})


async def sign_in(client: httpx.AsyncClient, services: Services, user_id: int) -> str:
    """Sign in with a fresh one-time link; the CSRF token of the session."""
    token = await services.admin_auth.issue_link(user_id)
    response = await post_link(client, token)
    assert response.status_code == 303, response.text
    home = await client.get("/")
    assert home.status_code == 200
    match = CSRF.search(home.text)
    assert match is not None
    return match.group(1)


async def add_enquiry(
    services: Services,
    text: str,
    *,
    user_id: int = LEARNER_ID,
    topic: str = "Kainos",
    lang: str = "lt",
) -> int:
    async with services.db.transaction() as conn:
        return await enquiries_repo.create(
            conn,
            user_id=user_id,
            lang=lang,
            topic=topic,
            programme_id=None,
            text=text,
            name="Ona Onaitė",
            phone="+37061234567",
            source_key=f"test:{text}",
            now=services.clock.now().isoformat(),
        )
