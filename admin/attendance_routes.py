"""Attendance: choose a group and a session; one row per confirmed
participant with Present / Absent / Excused, each press saved at once (a
small form per row, so it works without script and on a phone). A mark that
completes someone's attendance issues their certificate and sends it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin import group_choice
from admin.certificate_routes import deliver_new
from admin.session import error_page, number, page, services_of
from admin.templating import render, translator_for
from services.admin_auth import Session
from services.attendance import STATES, NotOnSheet
from services.certificates.rules import attended_sessions
from texts.labels import attendance_label, session_kind


async def attendance_home(request: Request, session: Session) -> Response:
    """Pick a group; then its sessions, the next one first in view."""
    services = services_of(request)
    t = translator_for(request, session.lang)
    group_id = request.query_params.get("group", "")
    found = services.catalogue.view.groups.get(group_id)
    sessions = []
    if found is not None:
        kept = set(attended_sessions(found[1]))
        sessions = sorted((s for s in found[1].sessions if s.id in kept), key=lambda s: s.starts_at)
    return render(
        request,
        "attendance.html",
        t,
        session=session,
        groups=group_choice.choices(services.catalogue.view, t.lang),
        group_id=group_id,
        found=found,
        sessions=sessions,
        session_kind=lambda kind: session_kind(t, kind),
    )


async def sheet(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    group_id, session_id = request.path_params["group"], request.path_params["session"]
    try:
        data = await services.attendance.sheet(session.user_id, group_id, session_id)
    except NotOnSheet:
        return error_page(request, session, 404, t.gettext("There is no such session."))
    return render(
        request,
        "attendance_sheet.html",
        t,
        session=session,
        sheet=data,
        states=STATES,
        mark_label=lambda state: attendance_label(t, state),
        saved=number(request.query_params.get("saved", "")),
        issued=number(request.query_params.get("issued", "")) or 0,
        session_kind=lambda kind: session_kind(t, kind),
    )


async def mark(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    group_id, session_id = request.path_params["group"], request.path_params["session"]
    registration_id = request.path_params["registration"]
    form = await request.form()
    try:
        issued = await services.attendance.mark(
            session.user_id, group_id, session_id, registration_id, str(form.get("state", ""))
        )
    except NotOnSheet:
        return error_page(request, session, 404, t.gettext("There is no such session."))
    await deliver_new(request, issued)
    back = f"/attendance/{group_id}/{session_id}?saved={registration_id}"
    if issued:
        back += f"&issued={len(issued)}"
    return RedirectResponse(f"{back}#r{registration_id}", status_code=303)


_SLUG = "{group:str}/{session:str}"
ROUTES = [
    Route("/attendance", page(attendance_home), methods=["GET"]),
    Route(f"/attendance/{_SLUG}", page(sheet), methods=["GET"]),
    # Marking twice is harmless (the last mark stands), so no one-time token:
    # a phone's quick taps on row after row all count.
    Route(
        f"/attendance/{_SLUG}/{{registration:id}}",
        page(mark, write=True),
        methods=["POST"],
    ),
]
