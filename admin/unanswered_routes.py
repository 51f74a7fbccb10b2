"""Unanswered questions: grouped, counted, and added to an FAQ entry of the
next catalogue version (downloadable)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.session import forbidden, page, services_of
from admin.templating import render, translator_for
from services.admin_auth import Session
from services.roles import NotAllowed, Role


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
    )


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
    Route("/unanswered/faq", page(add_to_faq, write=True), methods=["POST"]),
    Route("/unanswered/catalogue.yaml", page(download), methods=["GET"]),
]
