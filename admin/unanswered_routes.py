"""Unanswered questions: grouped, counted, and added to an FAQ entry of the
next catalogue version (downloadable)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.session import forbidden, page, services_of
from admin.templating import render, translator_for
from services.admin_auth import Session
from services.catalogue.schema import TOPICS
from services.roles import NotAllowed, Role
from texts import labels


async def unanswered_page(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    groups = await services.unanswered.groups(session.user_id)
    languages = await services.unanswered.languages(session.user_id, t.lang)
    not_helpful = await services.feedback.not_helpful(session.user_id)
    faq = services.catalogue.view.catalogue.faq
    return render(
        request,
        "unanswered.html",
        t,
        session=session,
        groups=groups,
        languages=languages,
        not_helpful=not_helpful,
        faq=faq,
        is_admin=session.role == Role.ADMIN,
        done=request.query_params.get("done"),
        topics=[(key, labels.topic(t, key)) for key in TOPICS],
    )


async def set_aside(request: Request, session: Session) -> Response:
    """Dismiss a question group (junk) or mark it handled."""
    form = await request.form()
    state = "dismissed" if form.get("action") == "dismiss" else "handled"
    marked = await services_of(request).unanswered.set_aside(
        session.user_id, str(form.get("key", "")), state
    )
    return RedirectResponse(f"/unanswered?done={state if marked else 'gone'}", status_code=303)


async def new_faq(request: Request, session: Session) -> Response:
    """Start a new FAQ entry from an unanswered question."""
    form = await request.form()

    def field(name: str) -> str:
        return str(form.get(name, ""))

    try:
        problem = await services_of(request).unanswered.new_faq(
            session.user_id,
            field("id"),
            field("topic"),
            field("lang"),
            field("question"),
            (field("answer_lt"), field("answer_en")),
        )
    except NotAllowed:
        return forbidden(request, session)
    return RedirectResponse(f"/unanswered?done={problem or 'new_faq'}", status_code=303)


async def add_to_faq(request: Request, session: Session) -> Response:
    form = await request.form()
    try:
        added = await services_of(request).unanswered.add_to_faq(
            session.user_id,
            str(form.get("faq_id", "")),
            str(form.get("lang", "")),
            str(form.get("text", "")),
        )
    except NotAllowed:
        return forbidden(request, session)
    return RedirectResponse(f"/unanswered?done={'added' if added else 'same'}", status_code=303)


async def download(request: Request, session: Session) -> Response:
    try:
        text = await services_of(request).unanswered.next_catalogue(session.user_id)
    except NotAllowed:
        return forbidden(request, session)
    return Response(
        text.encode(),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="centre-next.yaml"'},
    )


ROUTES = [
    Route("/unanswered", page(unanswered_page), methods=["GET"]),
    Route("/unanswered/faq", page(add_to_faq, write=True, once=True), methods=["POST"]),
    Route("/unanswered/new-faq", page(new_faq, write=True, once=True), methods=["POST"]),
    Route("/unanswered/set-aside", page(set_aside, write=True, once=True), methods=["POST"]),
    Route("/unanswered/catalogue.yaml", page(download), methods=["GET"]),
]
