"""Enquiries: the filtered table, CSV export, one enquiry's thread and the
actions on it (reply through the bot, assign, status, internal note)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.csv_response import csv_download
from admin.session import error_page, number, page, services_of
from admin.templating import render, translator_for
from domain.enquiries import Enquiry, EnquiryFilter
from services.admin_auth import Session
from services.enquiries import MAX_TEXT, TooLong
from services.enquiry_console import STATUSES
from texts import enquiry_export
from texts.csv_form import CsvForm

FILTERS = ("status", "topic", "programme_id", "lang", "created_from", "created_to", "assignee_id")


def _filter(request: Request) -> EnquiryFilter:
    q = request.query_params
    assignee = q.get("assignee_id", "")
    return EnquiryFilter(
        status=q.get("status") or None,
        topic=q.get("topic") or None,
        programme_id=q.get("programme_id") or None,
        lang=q.get("lang") or None,
        created_from=q.get("created_from") or None,
        created_to=q.get("created_to") or None,
        assignee_id=number(assignee),
        search=(q.get("q") or "").strip()[:200] or None,
        overdue=q.get("overdue") == "1",
    )


def _query(request: Request, **change: str | int) -> str:
    """The current filters as a query string, with some values changed."""
    params = {k: v for k, v in request.query_params.items() if v and k != "page"}
    params.update({k: str(v) for k, v in change.items()})
    return urlencode(params)


async def enquiry_list(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    page_number = request.query_params.get("page", "1")
    result = await services.enquiry_console.search(
        session.user_id, _filter(request), number(page_number) or 1
    )
    return render(
        request,
        "enquiries.html",
        t,
        session=session,
        result=result,
        values=request.query_params,
        choices=await services.enquiry_console.choices(session.user_id),
        statuses=STATUSES,
        query=lambda **change: _query(request, **change),
        programmes=services.catalogue.view.programmes,
    )


async def enquiry_csv(request: Request, session: Session) -> Response:
    """For people (the reader's language, Excel's separator, local times), or
    `?form=raw` for a program."""
    services = services_of(request)
    rows = await services.enquiry_console.export(session.user_id, _filter(request))
    form: CsvForm[Enquiry]
    if request.query_params.get("form") == "raw":
        form, name = enquiry_export.raw(), "enquiries-raw.csv"
    else:
        t = translator_for(request, session.lang)
        titles = {pid: p.title.get(t.lang) for pid, p in services.catalogue.view.programmes.items()}
        form = enquiry_export.for_people(
            t, services.catalogue.view.zone, request.state.staff_names, titles
        )
        name = "enquiries.csv"
    return csv_download(rows, form, name)


async def enquiry_page(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    enquiry_id = request.path_params["id"]
    thread = await services.enquiry_console.thread(session.user_id, enquiry_id)
    if thread is None:
        return error_page(request, session, 404, t.gettext("There is no enquiry with this number."))
    flash = request.query_params.get("done")
    return render(
        request,
        "enquiry.html",
        t,
        session=session,
        thread=thread,
        statuses=STATUSES,
        flash=flash,
        max_text=MAX_TEXT,
        staff=await services.roles.staff_ids(),
        programmes=services.catalogue.view.programmes,
    )


async def retry(request: Request, session: Session) -> Response:
    """Send a refused or uncertain answer again, as it was written."""
    services = services_of(request)
    enquiry_id = request.path_params["id"]
    enquiry = await services.enquiries.get(enquiry_id)
    if enquiry is None:
        return _back(enquiry_id, "missing")
    row = request.path_params["row"]
    text = await services.enquiry_console.retry(session.user_id, enquiry_id, row)
    if text is None:
        return _back(enquiry_id, "already")
    deliver = request.app.state.deliver
    if deliver is None:
        return _back(enquiry_id, "offline")
    return _back(enquiry_id, await deliver(enquiry, row, text))


def _back(enquiry_id: int, done: str) -> Response:
    return RedirectResponse(f"/enquiries/{enquiry_id}?done={done}", status_code=303)


async def reply(request: Request, session: Session) -> Response:
    services = services_of(request)
    enquiry_id = request.path_params["id"]
    form = await request.form()
    text = str(form.get("text", "")).strip()
    # The form's one-time key: submitting it twice records and sends one answer.
    key = "web:" + request.state.form_key
    if not text:
        return _back(enquiry_id, "empty")
    enquiry = await services.enquiries.get(enquiry_id)
    if enquiry is None:
        return _back(enquiry_id, "missing")
    try:
        row = await services.enquiry_console.reply(session.user_id, enquiry_id, text, key)
    except TooLong:
        # Stored and sent whole or not at all: never cut without saying so.
        return _back(enquiry_id, "too_long")
    if row is None:
        # This form was sent before (a reload, a second click): nothing new.
        return _back(enquiry_id, "already")
    deliver = request.app.state.deliver
    if deliver is None:
        return _back(enquiry_id, "offline")
    outcome = await deliver(enquiry, row, text)
    return _back(enquiry_id, outcome)


async def set_status(request: Request, session: Session) -> Response:
    enquiry_id = request.path_params["id"]
    form = await request.form()
    await services_of(request).enquiry_console.set_status(
        session.user_id, enquiry_id, str(form.get("status", ""))
    )
    return _back(enquiry_id, "status")


async def assign(request: Request, session: Session) -> Response:
    enquiry_id = request.path_params["id"]
    form = await request.form()
    raw = str(form.get("assignee_id", ""))
    assignee = number(raw)
    await services_of(request).enquiry_console.assign(session.user_id, enquiry_id, assignee)
    return _back(enquiry_id, "assigned")


async def note(request: Request, session: Session) -> Response:
    enquiry_id = request.path_params["id"]
    form = await request.form()
    await services_of(request).enquiry_console.note(
        session.user_id, enquiry_id, str(form.get("text", ""))
    )
    return _back(enquiry_id, "noted")


ROUTES = [
    Route("/enquiries", page(enquiry_list), methods=["GET"]),
    Route("/enquiries.csv", page(enquiry_csv), methods=["GET"]),
    Route("/enquiries/{id:id}", page(enquiry_page), methods=["GET"]),
    Route("/enquiries/{id:id}/reply", page(reply, write=True, once=True), methods=["POST"]),
    Route(
        "/enquiries/{id:id}/answers/{row:id}/retry",
        page(retry, write=True, once=True),
        methods=["POST"],
    ),
    Route("/enquiries/{id:id}/status", page(set_status, write=True, once=True), methods=["POST"]),
    Route("/enquiries/{id:id}/assign", page(assign, write=True, once=True), methods=["POST"]),
    Route("/enquiries/{id:id}/note", page(note, write=True, once=True), methods=["POST"]),
]
