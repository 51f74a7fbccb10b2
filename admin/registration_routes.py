"""Registrations: choose a group; its seat counts and registrations (filtered
by status, payment and day), each with confirm, decline with a reason, and
move to another group of the same programme; the CSV export."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin import group_choice
from admin.csv_response import csv_download
from admin.session import error_page, forbidden, number, page, services_of
from admin.templating import render, translator_for
from domain.registrations import Registration, RegistrationStatus
from services.admin_auth import Session
from services.catalogue.schema import PAYMENTS
from services.registration_console import (
    MAX_REASON,
    SOON_DAYS,
    NoSuchGroup,
    NoSuchRegistration,
    ReasonMissing,
    ReasonTooLong,
    RegistrationFilter,
    can_change,
    can_confirm,
)
from services.roles import NotAllowed
from texts import registration_console as texts
from texts.csv_form import CsvForm

FILTERS = ("status", "payment", "created_from", "created_to")


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _filter(values: dict[str, str]) -> RegistrationFilter:
    status = values.get("status") or None
    payment = values.get("payment") or None
    return RegistrationFilter(
        status=status if status in set(RegistrationStatus) else None,
        payment=payment if payment in PAYMENTS else None,
        created_from=_day(values.get("created_from")),
        created_to=_day(values.get("created_to")),
    )


def _filters_of(values: dict[str, str]) -> str:
    """The page's filters as a query string (only known keys, non-empty)."""
    return urlencode({k: values[k] for k in FILTERS if values.get(k)})


async def registrations_home(request: Request, session: Session) -> Response:
    """Pick a group; the chosen one opens its own page."""
    services = services_of(request)
    t = translator_for(request, session.lang)
    group_id = request.query_params.get("group", "")
    if group_id in services.catalogue.view.groups:
        return RedirectResponse(f"/registrations/{group_id}", status_code=303)
    return render(
        request,
        "registrations.html",
        t,
        session=session,
        groups=group_choice.choices(services.catalogue.view, t.lang),
        group_id=group_id,
        unknown=bool(group_id),
        soon=await services.registration_console.starting_soon(session.user_id),
        soon_days=SOON_DAYS,
    )


async def _group_page(
    request: Request,
    session: Session,
    values: dict[str, str],
    problem: tuple[int, str] | None = None,
    typed: str = "",
) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    group_id = request.path_params["group"]
    try:
        data = await services.registration_console.group_page(
            session.user_id, group_id, _filter(values)
        )
    except NoSuchGroup:
        return error_page(request, session, 404, t.gettext("There is no such group."))
    except NotAllowed:
        return forbidden(request, session)
    q = request.query_params
    done, n = q.get("done", ""), number(q.get("n", ""))
    filters = _filters_of(values)
    return render(
        request,
        "registrations_group.html",
        t,
        status_code=400 if problem else 200,
        session=session,
        page=data,
        values=values,
        filters=filters,
        statuses=list(RegistrationStatus),
        payments=PAYMENTS,
        reg_status=lambda s: texts.status_label(t, s),
        payment_label=lambda p: texts.payment_label(t, p),
        field_label=lambda f: texts.field_label(t, f),
        details=texts.DETAILS,
        invoice_text=texts.invoice_text,
        can_confirm=can_confirm,
        can_change=can_change,
        flash=texts.change_message(t, done, n, q.get("extra", "")) if n is not None else "",
        flash_ok=done in ("confirmed", "declined", "moved"),
        flash_id=n,
        problem=problem,
        typed=typed,
        max_reason=MAX_REASON,
    )


async def group_page(request: Request, session: Session) -> Response:
    return await _group_page(request, session, dict(request.query_params))


async def group_csv(request: Request, session: Session) -> Response:
    """For people (the reader's language, Excel's separator, local times), or
    `?form=raw` for a program."""
    services = services_of(request)
    t = translator_for(request, session.lang)
    group_id = request.path_params["group"]
    try:
        rows = await services.registration_console.export(
            session.user_id, group_id, _filter(dict(request.query_params))
        )
    except NoSuchGroup:
        return error_page(request, session, 404, t.gettext("There is no such group."))
    except NotAllowed:
        return forbidden(request, session)
    form: CsvForm[tuple[Registration, int | None]]
    if request.query_params.get("form") == "raw":
        form, name = texts.raw(), f"registrations-{group_id}-raw.csv"
    else:
        form = texts.for_people(t, services.catalogue.view.zone)
        name = f"registrations-{group_id}.csv"
    return csv_download(((r.registration, r.place) for r in rows), form, name)


def _back(
    group_id: str, form: FormData, done: str, registration_id: int, extra: str = ""
) -> Response:
    """To the group's page with the filters it was on, saying what was done."""
    kept = dict(parse_qsl(str(form.get("filters", ""))))
    params = {k: kept[k] for k in FILTERS if kept.get(k)}
    params.update(done=done, n=str(registration_id))
    if extra:
        params["extra"] = extra
    return RedirectResponse(
        f"/registrations/{group_id}?{urlencode(params)}#r{registration_id}", status_code=303
    )


async def _act(request: Request, session: Session, action: str) -> Response:
    services = services_of(request)
    console = services.registration_console
    t = translator_for(request, session.lang)
    group_id = request.path_params["group"]
    registration_id: int = request.path_params["id"]
    form = await request.form()
    try:
        if action == "confirm":
            result = await console.confirm(session.user_id, group_id, registration_id)
            done, extra = texts.outcome_code(result, "confirmed")
        elif action == "decline":
            reason = str(form.get("reason", ""))
            try:
                result = await console.decline(session.user_id, group_id, registration_id, reason)
            except (ReasonMissing, ReasonTooLong) as exc:
                # Shown again with the problem (the form's token is released).
                kept = dict(parse_qsl(str(form.get("filters", ""))))
                said = texts.reason_problem(
                    t, isinstance(exc, ReasonMissing), len(reason.strip()), MAX_REASON
                )
                return await _group_page(
                    request, session, kept, (registration_id, said), reason[:2000]
                )
            done, extra = texts.outcome_code(result, "declined")
        else:
            target = str(form.get("group", ""))
            result = await console.move(session.user_id, group_id, registration_id, target)
            done, extra = texts.outcome_code(result, "moved")
            if result.done:
                found = services.catalogue.view.groups.get(target)
                extra = found[1].starts.isoformat() if found else target
    except NoSuchGroup:
        return error_page(request, session, 404, t.gettext("There is no such group."))
    except NoSuchRegistration:
        return error_page(
            request, session, 404, t.gettext("There is no such registration in this group.")
        )
    except NotAllowed:
        return forbidden(request, session)
    return _back(group_id, form, done, registration_id, extra)


async def confirm(request: Request, session: Session) -> Response:
    return await _act(request, session, "confirm")


async def decline(request: Request, session: Session) -> Response:
    return await _act(request, session, "decline")


async def move(request: Request, session: Session) -> Response:
    return await _act(request, session, "move")


_ONE = "/registrations/{group:str}/{id:id}"
ROUTES = [
    Route("/registrations", page(registrations_home), methods=["GET"]),
    Route("/registrations/{group:str}", page(group_page), methods=["GET"]),
    Route("/registrations/{group:str}/export.csv", page(group_csv), methods=["GET"]),
    # One-time tokens: a double click confirms, declines or moves once.
    Route(f"{_ONE}/confirm", page(confirm, write=True, once=True), methods=["POST"]),
    Route(f"{_ONE}/decline", page(decline, write=True, once=True), methods=["POST"]),
    Route(f"{_ONE}/move", page(move, write=True, once=True), methods=["POST"]),
]
