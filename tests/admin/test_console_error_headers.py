"""Every error response of the console carries the same security headers as
a page: a 500 from a bug included (Starlette builds its own 500 outside all
middleware, so before this it left with none)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from admin.app import BODY_LIMIT, create_app
from services.container import Services
from tests.admin.conftest import sign_in
from tests.conftest import ADMIN_ID

SECURITY = (
    "content-security-policy",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "cache-control",
)


def security_headers(response: httpx.Response) -> dict[str, str | None]:
    return {name: response.headers.get(name) for name in SECURITY}


async def _bug(request: Request) -> Response:
    raise RuntimeError("a bug in a page")


@pytest.fixture
def app(services: Services) -> Starlette:
    """The console with one more route, which fails as a bug would."""
    console = create_app(services)
    console.router.routes.append(Route("/bug", _bug))
    return console


def client_for(app: Starlette, lang: str = "en", *, raise_errors: bool) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(
        app=app, client=("203.0.113.7", 5000), raise_app_exceptions=raise_errors
    )
    return httpx.AsyncClient(
        transport=transport, base_url="http://console.test", headers={"Accept-Language": lang}
    )


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    # As a browser sees it: the server answers, it does not raise.
    async with client_for(app, raise_errors=False) as c:
        yield c


async def test_a_normal_page_has_every_header(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    assert page.status_code == 200
    headers = security_headers(page)
    assert all(headers.values()), headers
    assert "frame-ancestors 'none'" in (headers["content-security-policy"] or "")


async def test_a_500_carries_the_same_headers_and_says_sorry(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    page = await client.get("/login")
    failed = await client.get("/bug")
    assert failed.status_code == 500
    assert security_headers(failed) == security_headers(page)
    assert failed.headers["content-type"].startswith("text/html")
    assert "something went wrong on our side" in failed.text
    assert "a bug in a page" not in failed.text
    async with client_for(app, "lt", raise_errors=False) as lithuanian:
        said = await lithuanian.get("/bug")
    assert said.status_code == 500 and "mūsų sistemoje įvyko klaida" in said.text
    assert security_headers(said) == security_headers(page)


async def test_the_bug_still_reaches_the_servers_log(app: Starlette) -> None:
    # The page is sent and the exception goes on up, where uvicorn logs it.
    async with client_for(app, raise_errors=True) as strict:
        with pytest.raises(RuntimeError, match="a bug in a page"):
            await strict.get("/bug")


async def test_404_405_413_and_400_carry_the_same_headers(
    client: httpx.AsyncClient, services: Services
) -> None:
    page = await client.get("/login")
    expected = security_headers(page)

    missing = await client.get("/no-such-page")
    assert missing.status_code == 404
    assert security_headers(missing) == expected

    wrong_method = await client.delete("/login")
    assert wrong_method.status_code == 405
    assert security_headers(wrong_method) == expected

    too_large = await client.post("/login", content=b"x" * (BODY_LIMIT + 1))
    assert too_large.status_code == 413
    assert security_headers(too_large) == expected

    csrf = await sign_in(client, services, ADMIN_ID)
    no_file = await client.post("/catalogue/upload", data={"csrf": csrf})
    assert no_file.status_code == 400 and "Choose a catalogue file" in no_file.text
    assert security_headers(no_file) == expected

    broken_form = await client.post(
        "/catalogue/upload",
        content=b"--x\r\nnot a part\r\n",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert broken_form.status_code == 400
    assert security_headers(broken_form) == expected
