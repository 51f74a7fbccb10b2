"""Certificates: the issued ones per group, their PDF, sending (again) to the
holder through the bot; and the public verification page (no sign-in), which
shows only the programme, the dates and the holder's initials."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin import group_choice
from admin.session import error_page, page, services_of
from admin.templating import render, translator_for
from services.admin_auth import Session
from services.certificates import Certificate
from texts import certificates as texts

# Sends a certificate's PDF to its holder through the bot: "delivered",
# "blocked", "failed", "uncertain" (see bot/transport/certificate_delivery.py).
SendCertificate = Callable[[Certificate], Awaitable[str]]


def verify_base(request: Request) -> str:
    """The address printed on certificates: the console's public one."""
    public: str | None = getattr(request.app.state, "public_url", None)
    return public or str(request.base_url)


async def deliver_new(request: Request, issued: list[Certificate]) -> None:
    """Certificates just issued go to their holders at once (when the bot runs)."""
    send: SendCertificate | None = request.app.state.send_certificate
    if send is None:
        return
    for certificate in issued:
        await send(certificate)


async def certificate_list(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    group_id = request.query_params.get("group") or None
    certificates = await services.certificates.listed(session.user_id, group_id)
    view = services.catalogue.view
    return render(
        request,
        "certificates.html",
        t,
        session=session,
        certificates=certificates,
        groups=group_choice.choices(view, t.lang),
        group_id=group_id or "",
        titles={pid: p.title.get(t.lang) for pid, p in view.programmes.items()},
        done=request.query_params.get("done"),
        issued=request.query_params.get("issued"),
    )


async def certificate_pdf(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    certificate = await services.certificates.for_sending(
        session.user_id, request.path_params["code"]
    )
    subject = services.certificates.subject(certificate) if certificate else None
    if certificate is None or subject is None:
        return error_page(request, session, 404, t.gettext("There is no such certificate."))
    body = texts.pdf(certificate, *subject, verify_base(request), services.certificates.font)
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{texts.file_name(certificate)}"'},
    )


async def send(request: Request, session: Session) -> Response:
    """Send the certificate to its holder (again)."""
    services = services_of(request)
    certificate = await services.certificates.for_sending(
        session.user_id, request.path_params["code"]
    )
    back = f"/certificates?group={certificate.group_id}" if certificate else "/certificates?"
    if certificate is None:
        return RedirectResponse(back + "&done=missing", status_code=303)
    deliver: SendCertificate | None = request.app.state.send_certificate
    if deliver is None:
        return RedirectResponse(back + "&done=offline", status_code=303)
    return RedirectResponse(back + f"&done={await deliver(certificate)}", status_code=303)


async def issue(request: Request, session: Session) -> Response:
    """Issue the group's earned certificates now (after marks made before the end)."""
    services = services_of(request)
    group_id = str((await request.form()).get("group", ""))
    issued = await services.certificates.issue_now(session.user_id, group_id)
    await deliver_new(request, issued)
    return RedirectResponse(f"/certificates?group={group_id}&issued={len(issued)}", status_code=303)


async def verify(request: Request) -> Response:
    """Public: a certificate's programme, dates and holder's initials by its
    code, or "not found" and nothing else."""
    services = services_of(request)
    t = translator_for(request, None)
    typed = request.path_params.get("code") or request.query_params.get("code", "")
    typed = typed[:64]
    found = await services.certificates.verify(typed) if typed else None
    return render(
        request,
        "verify.html",
        t,
        status_code=404 if typed and found is None else 200,
        session=None,
        typed=typed,
        found=found,
        dates=texts.dates(t, found.group) if found else "",
    )


ROUTES = [
    Route("/certificates", page(certificate_list), methods=["GET"]),
    Route("/certificates/{code:str}.pdf", page(certificate_pdf), methods=["GET"]),
    Route("/certificates/{code:str}/send", page(send, write=True, once=True), methods=["POST"]),
    Route("/certificates/issue", page(issue, write=True, once=True), methods=["POST"]),
    Route("/verify", verify, methods=["GET"]),
    Route("/verify/{code:str}", verify, methods=["GET"]),
]
