"""The web console's application: routes, static files, security headers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from admin import (
    attendance_routes,
    auth_routes,
    broadcast_routes,
    catalogue_routes,
    certificate_routes,
    enquiry_routes,
    pages,
    people_routes,
    registration_routes,
    survey_routes,
    unanswered_routes,
)
from admin.certificate_routes import SendCertificate
from domain.enquiries import Enquiry
from services.container import Services

# Delivers a recorded staff answer through the bot: "delivered", "blocked"
# or "erased".
Deliver = Callable[[Enquiry, int, str], Awaitable[str]]
STATIC = Path(__file__).parent / "static"
_HEADERS = [
    # Everything comes from this server; no inline script exists to allow.
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; "
        b"style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", [])
                message["headers"].extend(_HEADERS)
                # Pages hold personal data: never kept by a shared cache.
                message["headers"].append((b"cache-control", b"no-store"))
                if scope.get("scheme") == "https":
                    message["headers"].append((b"strict-transport-security", b"max-age=31536000"))
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception:
            # Starlette's own 500 is sent from outside every middleware, so
            # it would leave without these headers: the page is sent here,
            # and the exception goes on to be logged by the server.
            if not started:
                await _server_error(scope)(scope, receive, with_headers)
            raise


def _server_error(scope: Scope) -> Response:
    """The error page for an unexpected failure, in the reader's language."""
    from admin.session import error_page
    from admin.templating import translator_for

    request = Request(scope)
    try:
        t = translator_for(request, None)
        return error_page(
            request,
            None,
            500,
            t.gettext("Sorry, something went wrong on our side. Please try again in a moment."),
        )
    except Exception:
        # The page itself failed (a broken template): still a 500, in words.
        return PlainTextResponse("Klaida serveryje / Server error", status_code=500)


# Forms are small; only a catalogue file is larger (2 MB and some room).
BODY_LIMIT = 64 * 1024
UPLOAD_LIMIT = 2 * 1024 * 1024 + 64 * 1024
_UPLOAD_PATHS = ("/catalogue/upload",)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over the limit before anything parses them
    (Starlette's form parser would spool them to disk first)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = UPLOAD_LIMIT if scope["path"] in _UPLOAD_PATHS else BODY_LIMIT
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (
            not declared.isascii() or not declared.isdigit() or int(declared) > limit
        ):
            await _refuse(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _refuse(send)


async def _refuse(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send(
        {"type": "http.response.body", "body": "Per didelė užklausa / Request too large".encode()}
    )


async def _not_found(request: Request, exc: Exception) -> Response:
    """An unknown address: the menu and the reader's chosen language stay."""
    from admin.session import current, error_page
    from admin.templating import translator_for

    session = await current(request)
    if session is not None:
        request.state.staff_names = {}
    t = translator_for(request, session.lang if session else None)
    return error_page(request, session, 404, t.gettext("There is no page at this address."))


async def _not_allowed(request: Request, exc: Exception) -> Response:
    """A form's address opened as a page (a bookmark, Back): said in words."""
    from admin.session import current, error_page
    from admin.templating import translator_for

    session = await current(request)
    t = translator_for(request, session.lang if session else None)
    response = error_page(
        request,
        session,
        405,
        t.gettext("This address only takes a form; open the page the form is on instead."),
    )
    # HTTP's Allow header, as Starlette's own 405 has it.
    response.headers.update(getattr(exc, "headers", None) or {})
    return response


def create_app(
    services: Services,
    deliver: Deliver | None = None,
    secure_cookies: bool = False,
    send_certificate: SendCertificate | None = None,
    public_url: str | None = None,
) -> Starlette:
    app = Starlette(
        routes=[
            *pages.ROUTES,
            *auth_routes.ROUTES,
            *enquiry_routes.ROUTES,
            *broadcast_routes.ROUTES,
            *catalogue_routes.ROUTES,
            *people_routes.ROUTES,
            *unanswered_routes.ROUTES,
            *registration_routes.ROUTES,
            *attendance_routes.ROUTES,
            *certificate_routes.ROUTES,
            *survey_routes.ROUTES,
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[Middleware(SecurityHeaders), Middleware(BodyLimit)],
        exception_handlers={404: _not_found, 405: _not_allowed},
    )
    app.state.services = services
    app.state.deliver = deliver
    app.state.secure_cookies = secure_cookies
    app.state.send_certificate = send_certificate
    # The address printed on certificates for their verification page.
    app.state.public_url = public_url
    return app
