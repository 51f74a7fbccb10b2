"""Broadcasts from the console: compose in Lithuanian and English, choose the
audience, preview with the recipient count, send now or schedule, cancel;
the history with delivery figures. The same services as /broadcast."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from admin.session import page, services_of
from admin.telegram_preview import preview
from admin.templating import render, translator_for
from domain.broadcasts import AUDIENCE_KINDS, AudienceKind
from services.admin_auth import Session
from services.broadcast_compose import BadTime
from services.broadcasts import Audience, BadAudience
from services.clock import instant
from services.telegram_html import escape_stray
from texts.broadcast_compose import audience_label, describe_audience, objection_line
from texts.i18n import Translator

HISTORY = 20


@dataclass(frozen=True)
class Form:
    text_lt: str
    text_en: str
    lt_to_all: bool
    kind: str
    target: str
    when: str  # "now" | "at"
    at: str  # datetime-local: 2026-12-01T09:00
    # The compose form's one-time token, carried through the preview: the
    # broadcast it leads to is created once, however often "Send" is pressed.
    once: str = ""


async def _form(request: Request) -> Form:
    data = await request.form()

    def field(name: str) -> str:
        return str(data.get(name, "")).strip()

    return Form(
        text_lt=escape_stray(field("text_lt")),
        text_en=escape_stray(field("text_en")),
        lt_to_all=field("lt_to_all") == "1",
        kind=field("kind"),
        target=field("target"),
        when=field("when") or "now",
        at=field("at"),
        once=field("once")[:200],
    )


async def _problems(request: Request, session: Session, t: Translator, form: Form) -> list[str]:
    """Everything that keeps the form from being sent, as the service finds it."""
    found = await services_of(request).broadcasts.objections(
        session.user_id,
        form.text_lt,
        _text_en(form),
        form.kind,
        form.target,
    )
    return [objection_line(t, objection) for objection in found]


def _time_problem(t: Translator, exc: BadTime) -> str:
    if exc.reason == "past":
        return t.gettext("That time has already passed. Please give a later one.")
    if exc.reason == "too_far":
        return t.gettext("Announcements can be scheduled at most 90 days ahead.")
    return t.gettext("Give the date and time.")


def _text_en(form: Form) -> str | None:
    """None: the Lithuanian text goes to everyone it reaches (chosen so, or
    the audience reads Lithuanian)."""
    return None if form.lt_to_all or form.kind == AudienceKind.LT else form.text_en


def _audience(form: Form) -> Audience:
    return Audience.chosen(form.kind, form.target)


async def broadcasts_page(request: Request, session: Session) -> Response:
    return await _show(request, session, None, [])


async def _show(
    request: Request, session: Session, form: Form | None, problems: list[str], status: int = 200
) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    zone = services.compose.zone
    history = [
        (past.broadcast, past.figures, past.at.astimezone(zone))
        for past in await services.broadcasts.history(session.user_id, HISTORY)
    ]
    view = services.catalogue.view
    return render(
        request,
        "broadcasts.html",
        t,
        status_code=status,
        session=session,
        history=history,
        form=form,
        problems=problems,
        kinds=AUDIENCE_KINDS,
        audience_labels={k: audience_label(t, k) for k in AUDIENCE_KINDS},
        audiences={
            row.id: describe_audience(t, view, Audience.from_json(row.audience))
            for row, _figures, _when in history
        },
        programmes=view.catalogue.programmes,
        groups=sorted(view.groups.items()),
        created=request.query_params.get("created"),
        cancelled=request.query_params.get("cancelled"),
        not_cancelled=request.query_params.get("not_cancelled"),
        unconfirmed=request.query_params.get("unconfirmed"),
    )


def _send_at(request: Request, form: Form) -> dt.datetime | None:
    """None: now. BadTime for a past, too distant or unreadable time."""
    if form.when != "at":
        return None
    compose = services_of(request).compose
    at = instant(compose.parse_local(form.at), compose.zone)
    compose.check_time(at)
    return at


async def preview_page(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    form = await _form(request)
    problems = await _problems(request, session, t, form)
    send_at = None
    if not problems:
        try:
            send_at = _send_at(request, form)
        except BadTime as exc:
            problems.append(_time_problem(t, exc))
    if problems:
        return await _show(request, session, form, problems, status=400)
    audience = _audience(form)
    counts = await services.broadcasts.count(session.user_id, audience)
    return render(
        request,
        "broadcast_preview.html",
        t,
        session=session,
        form=form,
        counts=counts,
        total=sum(counts.values()),
        preview_lt=preview(form.text_lt),
        preview_en=None if _text_en(form) is None else preview(form.text_en),
        send_at=send_at.astimezone(services.compose.zone) if send_at else None,
    )


async def count(request: Request, session: Session) -> Response:
    """Recipients of an audience now, for the compose form's live count."""
    services = services_of(request)
    kind = request.query_params.get("kind", "")
    target = request.query_params.get("target", "")
    try:
        audience = Audience.chosen(kind, target)
    except BadAudience:
        return JSONResponse({"total": None})
    counts = await services.broadcasts.count(session.user_id, audience)
    return JSONResponse({"total": sum(counts.values()), **counts})


async def create(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    form = await _form(request)
    problems = await _problems(request, session, t, form)
    try:
        send_at = None if problems else _send_at(request, form)
    except BadTime as exc:
        problems.append(_time_problem(t, exc))
    if problems:
        return await _show(request, session, form, problems, status=400)
    key = request.state.form_key
    broadcast_id = await services.broadcasts.create(
        session.user_id,
        form.text_lt,
        _text_en(form),
        _audience(form),
        send_at=send_at,
        source_key=f"web:{key}",
    )
    return RedirectResponse(f"/broadcasts?created={broadcast_id}", status_code=303)


async def edit(request: Request, session: Session) -> Response:
    """Back from the preview to the form, with everything typed still in it."""
    return await _show(request, session, await _form(request), [])


async def cancel(request: Request, session: Session) -> Response:
    """Cancel a scheduled or running broadcast, once its box is ticked."""
    form = await request.form()
    broadcast_id = request.path_params["id"]
    if form.get("confirm") != "yes":
        return RedirectResponse(f"/broadcasts?unconfirmed={broadcast_id}", status_code=303)
    cancelled = await services_of(request).broadcasts.cancel(session.user_id, broadcast_id)
    outcome = "cancelled" if cancelled else "not_cancelled"
    return RedirectResponse(f"/broadcasts?{outcome}={broadcast_id}", status_code=303)


ROUTES = [
    Route("/broadcasts", page(broadcasts_page), methods=["GET"]),
    Route("/broadcasts/preview", page(preview_page, write=True), methods=["POST"]),
    Route("/broadcasts/count", page(count), methods=["GET"]),
    Route("/broadcasts/edit", page(edit, write=True), methods=["POST"]),
    Route("/broadcasts", page(create, write=True, once=True), methods=["POST"]),
    Route("/broadcasts/{id:id}/cancel", page(cancel, write=True, once=True), methods=["POST"]),
]
