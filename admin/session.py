"""The signed-in staff member of a request: session cookie, CSRF, roles."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.templating import render, translator_for
from services.admin_auth import IDLE_TIMEOUT, Session
from services.container import Services
from services.form_tokens import Claim, key_of

# An id in a path or form: ASCII digits that fit SQLite's integers ("²" is a
# digit to str.isdigit, and 10**30 overflows SQLite).
_ID = re.compile(r"[0-9]{1,18}")


def number(text: str) -> int | None:
    return int(text) if _ID.fullmatch(text) else None


class IdConvertor(Convertor[int]):
    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())

COOKIE = "vtc_session"
# The page a signed-out visitor asked for, opened after signing in.
NEXT_COOKIE = "vtc_next"


def safe_path(path: str) -> bool:
    """A path of this site only: never an open redirect."""
    return path.startswith("/") and not path.startswith("//") and "\\" not in path


# The CSRF token of the sign-in form, before there is a session.
LOGIN_COOKIE = "vtc_login"

Handler = Callable[[Request, Session], Awaitable[Response]]


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def secure(request: Request) -> bool:
    """Secure cookies behind HTTPS (or when the settings say the public
    address is HTTPS, as behind a proxy)."""
    return request.url.scheme == "https" or bool(request.app.state.secure_cookies)


def client_of(request: Request) -> str:
    return request.client.host if request.client else "-"


async def current(request: Request) -> Session | None:
    session_id = request.cookies.get(COOKIE)
    if not session_id:
        return None
    return await services_of(request).admin_auth.session(session_id)


def set_session_cookie(request: Request, response: Response, session: Session) -> None:
    response.set_cookie(
        COOKIE,
        session.id,
        # The browser forgets it when the server would: after the idle time
        # (renewed with every page, see `page`).
        max_age=int(IDLE_TIMEOUT.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure(request),
        path="/",
    )


def error_page(request: Request, session: Session | None, status: int, message: str) -> Response:
    """A page saying what went wrong, in the reader's language."""
    t = translator_for(request, session.lang if session else None)
    return render(request, "error.html", t, status_code=status, session=session, message=message)


def forbidden(request: Request, session: Session) -> Response:
    t = translator_for(request, session.lang)
    return error_page(request, session, 403, t.gettext("Only administrators can do this."))


def _with_already(location: str) -> str:
    # Into the query, before a fragment (#r12 keeps the row in view).
    path, hash_, fragment = location.partition("#")
    return path + ("&" if "?" in path else "?") + "already=1" + hash_ + fragment


def page(
    handler: Handler, write: bool = False, once: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    """A route for signed-in staff. `write`: a POST whose form must carry the
    session's CSRF token. `once`: its form carries a one-time token too, so
    sending it again (Back, reload, a double click) does nothing and is shown
    where the first submission led, saying it was done already."""

    async def endpoint(request: Request) -> Response:
        session = await current(request)
        if session is None:
            to_login = RedirectResponse("/login", status_code=303)
            wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            if request.method == "GET" and wanted != "/" and safe_path(wanted):
                to_login.set_cookie(
                    NEXT_COOKIE,
                    wanted[:500],
                    max_age=1800,
                    httponly=True,
                    samesite="lax",
                    secure=secure(request),
                    path="/",
                )
            return to_login
        if write:
            form = await request.form()
            token = form.get("csrf")
            if not services_of(request).admin_auth.csrf_ok(
                session, token if isinstance(token, str) else None
            ):
                return _out_of_date(request, session)
        # Every page names people by name (see templating.staff_name).
        request.state.staff_names = await services_of(request).roles.names()
        if once:
            response = await _once(request, session, handler)
        else:
            response = await handler(request, session)
        if not getattr(request.state, "signed_out", False):
            set_session_cookie(request, response, session)
        return response

    return endpoint


def _out_of_date(request: Request, session: Session) -> Response:
    t = translator_for(request, session.lang)
    return error_page(
        request, session, 403, t.gettext("The form was out of date. Please go back and try again.")
    )


async def _once(request: Request, session: Session, handler: Handler) -> Response:
    forms = services_of(request).forms
    token = (await request.form()).get("once")
    token = token if isinstance(token, str) else None
    used = await forms.claim(session.csrf, session.user_id, token)
    if used.claim == Claim.FORGED or token is None:
        return _out_of_date(request, session)
    if used.claim == Claim.AGAIN:
        # (A first submission that did nothing released its token: this one
        # then claims it anew, above.)
        if used.result is not None:
            return RedirectResponse(_with_already(used.result), status_code=303)
        t = translator_for(request, session.lang)
        return error_page(
            request, session, 409, t.gettext("This form was sent already; nothing was done again.")
        )
    # The handlers use it as the key of what they record.
    request.state.form_key = key_of(token)
    result: str | None = None
    try:
        response = await handler(request, session)
        if response.status_code in (302, 303):
            result = response.headers.get("location")
        return response
    finally:
        await forms.finish(token, result)
