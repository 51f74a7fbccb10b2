"""Signing in (one-time link or admin password), out, language, password."""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.session import (
    COOKIE,
    LOGIN_COOKIE,
    NEXT_COOKIE,
    client_of,
    current,
    error_page,
    forbidden,
    number,
    page,
    safe_path,
    secure,
    services_of,
    set_session_cookie,
)
from admin.templating import language_of, render, translator_for
from domain.languages import LANGUAGES
from services.admin_auth import (
    MIN_PASSWORD,
    CommonPassword,
    Reauthenticate,
    Session,
    Throttled,
    WeakPassword,
)
from services.roles import NotAllowed, Role


def _throttled(request: Request, password: bool = False) -> Response:
    t = translator_for(request, None)
    message = (
        # A password locked for this address only: a link from the bot still works.
        t.gettext(
            "Too many failed sign-ins from this address. Please wait 15 minutes, or send "
            "/admin to the bot for a sign-in link."
        )
        if password
        else t.gettext("Too many failed sign-ins. Please wait 15 minutes and try again.")
    )
    return error_page(request, None, 429, message)


async def link_page(request: Request) -> Response:
    """A button to sign in: opening the link changes nothing (link previews
    and scanners fetch it too); pressing the button uses it."""
    t = translator_for(request, None)
    if not await services_of(request).admin_auth.link_usable(request.path_params["token"]):
        return _link_invalid(request)
    # The button's form carries a token that must match this browser's
    # cookie: another site cannot submit someone else's link in your browser.
    csrf = secrets.token_urlsafe(32)
    response = render(request, "login_link.html", t, session=None, csrf=csrf)
    response.set_cookie(
        LOGIN_COOKIE, csrf, max_age=1800, httponly=True, samesite="strict", secure=secure(request)
    )
    return response


def _same_browser(request: Request, given: object) -> bool:
    expected = request.cookies.get(LOGIN_COOKIE)
    return (
        bool(expected) and isinstance(given, str) and secrets.compare_digest(str(expected), given)
    )


async def link_sign_in(request: Request) -> Response:
    token = request.path_params["token"]
    services = services_of(request)
    form = await request.form()
    if not _same_browser(request, form.get("csrf")):
        t = translator_for(request, None)
        return error_page(
            request, None, 403, t.gettext("The form was out of date. Please try again.")
        )
    try:
        session = await services.admin_auth.redeem_link(
            token, client_of(request), language_of(request, None)
        )
    except Throttled:
        return _throttled(request)
    if session is None:
        return _link_invalid(request)
    return _signed_in(request, session)


def _link_invalid(request: Request) -> Response:
    t = translator_for(request, None)
    return error_page(
        request,
        None,
        403,
        t.gettext(
            "This sign-in link is not valid: it was used already, it is older than "
            "10 minutes, or it is not for staff. Send /admin to the bot for a new one."
        ),
    )


def _signed_in(request: Request, session: Session) -> Response:
    """Where the staff member was going before signing in, else the dashboard."""
    wanted = request.cookies.get(NEXT_COOKIE, "")
    response = RedirectResponse(wanted if safe_path(wanted) else "/", status_code=303)
    set_session_cookie(request, response, session)
    response.delete_cookie(LOGIN_COOKIE)
    response.delete_cookie(NEXT_COOKIE, path="/")
    return response


def _login_form(
    request: Request, error: str | None = None, status: int = 200, user_id: str = ""
) -> Response:
    t = translator_for(request, None)
    csrf = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        t,
        status_code=status,
        session=None,
        csrf=csrf,
        error=error,
        # A wrong password keeps the user id typed.
        user_id=user_id if number(user_id) is not None else "",
        signed_out=request.query_params.get("signed_out") == "1",
    )
    response.set_cookie(
        LOGIN_COOKIE, csrf, max_age=1800, httponly=True, samesite="strict", secure=secure(request)
    )
    return response


async def login_page(request: Request) -> Response:
    if await current(request) is not None:
        return RedirectResponse("/", status_code=303)
    return _login_form(request)


async def password_sign_in(request: Request) -> Response:
    form = await request.form()
    t = translator_for(request, None)
    if not _same_browser(request, form.get("csrf")):
        return _login_form(request, t.gettext("The form was out of date. Please try again."), 403)
    user = str(form.get("user_id", "")).strip()
    password = str(form.get("password", ""))
    user_id = number(user)
    if user_id is None:
        return _login_form(request, t.gettext("Wrong user id or password."), 401, user)
    services = services_of(request)
    try:
        session = await services.admin_auth.sign_in_password(
            user_id, password, client_of(request), language_of(request, None)
        )
    except Throttled:
        return _throttled(request, password=True)
    if session is None:
        return _login_form(request, t.gettext("Wrong user id or password."), 401, user)
    return _signed_in(request, session)


async def logout(request: Request, session: Session) -> Response:
    await services_of(request).admin_auth.sign_out(session)
    request.state.signed_out = True
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


async def set_language(request: Request, session: Session) -> Response:
    form = await request.form()
    lang = str(form.get("lang", ""))
    if lang in LANGUAGES:
        await services_of(request).admin_auth.set_language(session, lang)
    back = str(form.get("back", "/"))
    # Only a path of this site: never an open redirect.
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    return RedirectResponse(back, status_code=303)


async def password_page(request: Request, session: Session) -> Response:
    t = translator_for(request, session.lang)
    if session.role != Role.ADMIN:
        return forbidden(request, session)
    has = await services_of(request).admin_auth.has_password(session.user_id)
    return render(
        request, "password.html", t, session=session, error=None, done=False, has_password=has
    )


async def set_password(request: Request, session: Session) -> Response:
    t = translator_for(request, session.lang)
    form = await request.form()
    password = str(form.get("password", ""))
    auth = services_of(request).admin_auth
    error = None
    try:
        await auth.set_password(session, password, str(form.get("current", "")))
    except NotAllowed:
        return forbidden(request, session)
    except Reauthenticate:
        error = t.gettext(
            "Give your current password; without one, sign in again with a link from the bot "
            "and set it within 10 minutes."
        )
    except CommonPassword:
        error = t.gettext(
            "This password is one of the commonest, or too close to one: it would be guessed "
            "soon. Choose a few unrelated words, or a longer phrase of your own."
        )
    except WeakPassword:
        error = t.ngettext(
            "The password must have at least {n} character besides spaces.",
            "The password must have at least {n} characters besides spaces.",
            MIN_PASSWORD,
        ).format(n=MIN_PASSWORD)
    return render(
        request,
        "password.html",
        t,
        status_code=400 if error else 200,
        session=session,
        error=error,
        done=error is None,
        has_password=await auth.has_password(session.user_id),
    )


ROUTES = [
    Route("/login", login_page, methods=["GET"]),
    Route("/login", password_sign_in, methods=["POST"]),
    Route("/login/{token}", link_page, methods=["GET"]),
    Route("/login/{token}", link_sign_in, methods=["POST"]),
    Route("/logout", page(logout, write=True), methods=["POST"]),
    Route("/language", page(set_language, write=True), methods=["POST"]),
    Route("/password", page(password_page), methods=["GET"]),
    Route("/password", page(set_password, write=True), methods=["POST"]),
]
