"""The catalogue: upload a file, read the validation report and the diff,
apply it; browse programmes, groups and sessions."""

from __future__ import annotations

from babel.numbers import format_decimal
from markupsafe import Markup, escape
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from admin.session import error_page, forbidden, page, services_of
from admin.templating import render, translator_for
from services.admin_auth import Session
from services.catalogue.safe_yaml import Refusal
from services.catalogue.validation import Problem
from services.catalogue_console import MAX_BYTES, NotText, Outdated, TooLarge
from services.roles import NotAllowed, Role
from texts import catalogue_report
from texts.i18n import Translator


async def catalogue_page(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    view = services.catalogue.view
    return render(
        request,
        "catalogue.html",
        t,
        session=session,
        programmes=view.catalogue.programmes,
        can_upload=session.role == Role.ADMIN,
    )


async def programme_page(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    programme = services.catalogue.view.programmes.get(request.path_params["id"])
    if programme is None:
        return error_page(request, session, 404, t.gettext("Not found."))
    return render(request, "programme.html", t, session=session, programme=programme)


async def upload(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    form = await request.form()  # its size was limited by the app (BodyLimit)
    file = form.get("file")
    error = None
    if not isinstance(file, UploadFile) or not file.filename:
        error = t.gettext("Choose a catalogue file to upload.")
    else:
        data = await file.read(MAX_BYTES + 1)
        try:
            preview = await services.catalogue_console.preview(session.user_id, file.filename, data)
        except NotAllowed:
            return forbidden(request, session)
        except TooLarge:
            error = t.gettext("The file is larger than 2 MB; a catalogue is much smaller.")
        except NotText:
            error = t.gettext("The file is not a text (YAML) file in UTF-8.")
        else:
            return render(
                request,
                "catalogue_report.html",
                t,
                status_code=200 if preview.upload_id else 422,
                session=session,
                preview=preview,
                refusal=refusal_text(t, preview.report.refusal),
                problems=preview.report.problems,
                doubts=preview.report.doubts,
                problem_line=lambda p: _problem_line(t, p, preview.report.raw),
                kind_name=lambda kind: catalogue_report.kind_name(t, kind),
            )
    return error_page(request, session, 400, error)


def _problem_line(t: Translator, problem: Problem, raw: object) -> Markup:
    """'Line 1012 · programme “Electrician”, group 2: seats – must not be negative'."""
    found = catalogue_report.describe(t, problem, raw)
    parts = []
    if found.line is not None:
        parts.append(escape(t.gettext("Line {line}").format(line=found.line)))
    head = escape(found.where)
    if found.field:
        field = Markup('<code lang="zxx">{}</code>').format(found.field)
        head = Markup("{}: {}").format(head, field) if found.where else field
    if head:
        parts.append(head)
    return Markup("{} – {}").format(Markup(" · ").join(parts), found.message)


def refusal_text(t: Translator, refusal: Refusal | None) -> str | None:
    """A file refused as a whole, said in the reader's language (the report's
    English text is what `vtcbot import` prints)."""
    if refusal is None:
        return None
    line = refusal.line or 1
    n = format_decimal(refusal.limit, locale=t.locale)
    if refusal.kind == "alias":
        return t.gettext(
            "Line {line}: YAML anchors and aliases (&name, *name) are not allowed in a "
            "catalogue. Write each entry out in full."
        ).format(line=line)
    if refusal.kind == "depth":
        return t.ngettext(
            "Line {line}: the data is nested more than {n} level deep; a catalogue needs "
            "only a few levels.",
            "Line {line}: the data is nested more than {n} levels deep; a catalogue needs "
            "only a few levels.",
            refusal.limit,
        ).format(line=line, n=n)
    if refusal.kind == "nodes":
        return t.ngettext(
            "Line {line}: the file has more than {n} entry; a catalogue has far fewer.",
            "Line {line}: the file has more than {n} entries; a catalogue has far fewer.",
            refusal.limit,
        ).format(line=line, n=n)
    if refusal.kind == "number":
        return t.ngettext(
            "Line {line}: a number longer than {n} digit; write it as text in quotes.",
            "Line {line}: a number longer than {n} digits; write it as text in quotes.",
            refusal.limit,
        ).format(line=line, n=n)
    if refusal.kind == "time":
        return t.ngettext(
            "Checking the file took longer than {n} second, so it was refused. A catalogue "
            "is checked in a few seconds.",
            "Checking the file took longer than {n} seconds, so it was refused. A catalogue "
            "is checked in a few seconds.",
            refusal.limit,
        ).format(n=n)
    return t.gettext("The file is larger than 2 MB; a catalogue is much smaller.")


async def apply(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    try:
        result = await services.catalogue_console.apply(session.user_id, request.path_params["id"])
    except NotAllowed:
        return forbidden(request, session)
    except Outdated:
        return error_page(
            request,
            session,
            409,
            t.gettext(
                "Another catalogue was imported after this file was checked. Upload it again "
                "to see what it would change now."
            ),
        )
    if result is None:
        return error_page(
            request,
            session,
            409,
            t.gettext("This upload was applied already or is no longer kept."),
        )
    report, summary = result
    return render(
        request,
        "catalogue_applied.html",
        t,
        session=session,
        report=report,
        summary=summary,
        kind_name=lambda kind: catalogue_report.kind_name(t, kind),
    )


ROUTES = [
    Route("/catalogue", page(catalogue_page), methods=["GET"]),
    Route("/catalogue/programmes/{id}", page(programme_page), methods=["GET"]),
    Route("/catalogue/upload", page(upload, write=True), methods=["POST"]),
    # Applied once by the service itself (a second press: "applied already").
    Route("/catalogue/apply/{id:id}", page(apply, write=True), methods=["POST"]),
]
