"""Enquiries as a CSV file: for people (opened in Excel in the reader's
language) or raw (for a program).

For people: UTF-8 with a byte-order mark (without it Excel reads UTF-8 as
its own code page: "Å½ydrÅ«nÄ—"), the list separator Excel expects in the
reader's locale (";" where the decimal separator is a comma, as in
Lithuanian), headers and statuses in words, times in the centre's zone with
the zone named in the header. Raw: the stored values, ISO times in UTC,
commas, no BOM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from domain.enquiries import Enquiry
from services.bidi import spreadsheet_cell, strip_bidi
from texts.enquiries import STATUS_LABELS, topic_label
from texts.i18n import Translator
from texts.labels import language_name

BOM = "\ufeff"
RAW_COLUMNS = (
    "id",
    "created_at",
    "status",
    "lang",
    "topic",
    "programme_id",
    "assignee_id",
    "name",
    "phone",
    "text",
)
# Excel's list separator follows the locale's decimal separator.
_SEPARATOR = {"lt": ";", "en": ","}


@dataclass(frozen=True)
class CsvForm:
    delimiter: str
    bom: str
    header: list[str]
    row: Callable[[Enquiry], list[object]]


def raw() -> CsvForm:
    def row(e: Enquiry) -> list[object]:
        # The phone is ours (normalised to +370...); the rest is as typed.
        return [
            strip_bidi(e.phone or "") if c == "phone" else spreadsheet_cell(getattr(e, c))
            for c in RAW_COLUMNS
        ]

    return CsvForm(",", "", list(RAW_COLUMNS), row)


def for_people(
    t: Translator,
    zone: dt.tzinfo,
    staff_names: Mapping[int, str],
    programme_titles: Mapping[str, str],
) -> CsvForm:
    header = [
        t.gettext("No."),
        t.gettext("Received ({zone})").format(zone=str(zone)),
        t.gettext("Status"),
        t.gettext("Language"),
        t.gettext("Topic"),
        t.gettext("Programme"),
        t.gettext("Assignee"),
        t.gettext("Name"),
        t.gettext("Phone"),
        t.gettext("Enquiry"),
    ]

    def row(e: Enquiry) -> list[object]:
        assignee = ""
        if e.assignee_id is not None:
            assignee = staff_names.get(e.assignee_id) or t.gettext("user {id}").format(
                id=e.assignee_id
            )
        return [
            e.id,
            t.moment(e.created_at, zone),
            t.gettext(STATUS_LABELS.get(e.status, e.status)),
            language_name(t, e.lang),
            spreadsheet_cell(topic_label(t, e.topic) if e.topic else ""),
            spreadsheet_cell(programme_titles.get(e.programme_id or "", e.programme_id or "")),
            spreadsheet_cell(assignee),
            spreadsheet_cell(e.name or ""),
            strip_bidi(e.phone or ""),
            spreadsheet_cell(e.text),
        ]

    return CsvForm(_SEPARATOR.get(t.lang, ","), BOM, header, row)
