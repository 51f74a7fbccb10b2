"""The console's words for registrations (staff's view: statuses and
payments as the centre names them, the outcome of each action) and the
registrations' CSV export, for people or raw."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping

from domain.registrations import Registration, RegistrationStatus
from services.bidi import spreadsheet_cell, strip_bidi
from services.registrations import Change, ChangeResult
from texts import csv_form
from texts.csv_form import CsvForm
from texts.i18n import N_, NC_, Translator
from texts.labels import language_name
from texts.registration import LABELS as FIELD_LABELS
from texts.registration import STATUS_CONTEXT

STATUS_LABELS: dict[str, str] = {
    RegistrationStatus.PENDING: NC_("registration status", "to confirm"),
    RegistrationStatus.CONFIRMED: NC_("registration status", "confirmed"),
    RegistrationStatus.OFFERED: NC_("registration status", "seat offered"),
    RegistrationStatus.WAITING: NC_("registration status", "on the waiting list"),
    RegistrationStatus.DECLINED: NC_("registration status", "declined"),
    RegistrationStatus.CANCELLED: NC_("registration status", "cancelled"),
    RegistrationStatus.EXPIRED: NC_("registration status", "the offer lapsed"),
}
PAYMENT_LABELS = {
    "self": N_("pays themselves"),
    "employer": N_("employer (invoice)"),
    "employment_service": N_("Employment Service"),
    "kursuok": N_("KURSUOK"),
}
# The details a registration may hold, in the order they are asked.
DETAILS = ("name", "phone", "email", "school", "subject", "workplace")
# The machine form, column for column what `vtcbot registrations list` writes.
RAW_COLUMNS = (
    "id",
    "group_id",
    "programme_id",
    "status",
    "lang",
    *DETAILS,
    "payment",
    "payment_details",
    "created_at",
    "updated_at",
)


# The dashboard's weekly chart groups the statuses in three.
_WEEK_SERIES = {
    RegistrationStatus.PENDING: N_("holding a seat"),
    RegistrationStatus.CONFIRMED: N_("holding a seat"),
    RegistrationStatus.OFFERED: N_("holding a seat"),
    RegistrationStatus.WAITING: N_("on the waiting list"),
    RegistrationStatus.DECLINED: N_("declined, cancelled or lapsed"),
    RegistrationStatus.CANCELLED: N_("declined, cancelled or lapsed"),
    RegistrationStatus.EXPIRED: N_("declined, cancelled or lapsed"),
}


def week_series(t: Translator, rows: list[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    """(week, status, count) rows as the chart's series: name -> week -> count."""
    series: dict[str, dict[str, int]] = {}
    for week, status, n in rows:
        name = t.gettext(_WEEK_SERIES.get(RegistrationStatus(status), status))
        counts = series.setdefault(name, {})
        counts[week] = counts.get(week, 0) + n
    return series


def status_label(t: Translator, status: str) -> str:
    label = STATUS_LABELS.get(status)
    return t.pgettext(STATUS_CONTEXT, label) if label else status


def payment_label(t: Translator, payment: str) -> str:
    return t.gettext(PAYMENT_LABELS.get(payment, payment))


def field_label(t: Translator, field: str) -> str:
    return t.gettext(FIELD_LABELS.get(field, field))


def invoice_text(details: Mapping[str, str] | None) -> str:
    """An employer's invoice details on one line, as typed."""
    return "; ".join(v for v in (details or {}).values() if v)


def raw_row(r: Registration) -> dict[str, str | int | None]:
    """The stored values (times ISO in UTC), by RAW_COLUMNS."""
    return {
        "id": r.id,
        "group_id": r.group_id,
        "programme_id": r.programme_id,
        "status": str(r.status),
        "lang": r.lang,
        **{key: r.details.get(key) for key in DETAILS},
        "payment": r.payment,
        "payment_details": (
            json.dumps(r.payment_details, ensure_ascii=False) if r.payment_details else None
        ),
        "created_at": r.created_at,
        "updated_at": r.updated_at,
    }


def _cell(column: str, value: object) -> object:
    # The phone is ours (normalised to +370...); the rest is as typed.
    if column == "phone":
        return strip_bidi(str(value or ""))
    return spreadsheet_cell(value)


def raw() -> CsvForm[tuple[Registration, int | None]]:
    def row(item: tuple[Registration, int | None]) -> list[object]:
        values = raw_row(item[0])
        return [_cell(c, values[c]) for c in RAW_COLUMNS]

    return csv_form.raw(list(RAW_COLUMNS), row)


def for_people(t: Translator, zone: dt.tzinfo) -> CsvForm[tuple[Registration, int | None]]:
    """Headers in the reader's language, local times with the zone named."""
    header = [
        t.gettext("No."),
        t.gettext("Registered ({zone})").format(zone=str(zone)),
        t.gettext("Status"),
        t.gettext("Place in line"),
        *(field_label(t, d) for d in DETAILS),
        t.gettext("Payment"),
        t.gettext("Invoice details"),
        t.gettext("Language"),
    ]

    def row(item: tuple[Registration, int | None]) -> list[object]:
        r, place = item
        return [
            r.id,
            t.moment(r.created_at, zone),
            status_label(t, r.status),
            "" if place is None else place,
            *(_cell(d, r.details.get(d, "")) for d in DETAILS),
            payment_label(t, r.payment),
            spreadsheet_cell(invoice_text(r.payment_details)),
            language_name(t, r.lang),
        ]

    return csv_form.for_people(t.lang, header, row)


def change_message(t: Translator, done: str, number: int, extra: str = "") -> str:
    """What an action did (or why it did nothing), for the page it leads to.
    `extra`: the status (wrong_state) or the target's start (moved)."""
    messages: dict[str, Callable[[], str]] = {
        "confirmed": lambda: t.gettext(
            "Registration No. {n} is confirmed; the learner is told."
        ).format(n=number),
        "declined": lambda: t.gettext(
            "Registration No. {n} is declined; the learner is told the reason."
        ).format(n=number),
        "moved": lambda: t.gettext(
            "Registration No. {n} moved to the group starting {date}."
        ).format(n=number, date=extra),
        Change.FULL: lambda: t.gettext(
            "That group has no free seat now: registration No. {n} was not moved."
        ).format(n=number),
        Change.OTHER_PROGRAMME: lambda: t.gettext(
            "A registration can only move to a group of the same programme: "
            "registration No. {n} was not moved."
        ).format(n=number),
        Change.WRONG_STATE: lambda: t.gettext(
            "Registration No. {n} is “{status}” now: nothing was changed."
        ).format(n=number, status=status_label(t, extra) if extra else ""),
        Change.NOT_FOUND: lambda: t.gettext("There is no registration No. {n}.").format(n=number),
    }
    said = messages.get(done)
    return said() if said else ""


def outcome_code(result: ChangeResult, done: str) -> tuple[str, str]:
    """The page's `done` code and its extra value for a service result."""
    if result.done:
        return done, ""
    status = str(result.registration.status) if result.registration else ""
    return str(result.change), status if result.change == Change.WRONG_STATE else ""


def reason_problem(t: Translator, missing: bool, length: int, limit: int) -> str:
    if missing:
        return t.gettext("Write the reason for declining: the learner is told it.")
    return t.ngettext(
        "The reason is {n} character long; at most {max} are sent.",
        "The reason is {n} characters long; at most {max} are sent.",
        length,
    ).format(n=length, max=limit)
