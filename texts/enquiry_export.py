"""Enquiries as a CSV file: for people (opened in Excel in the reader's
language) or raw (for a program); the rules of both are texts/csv_form.py's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from domain.enquiries import Enquiry
from services.bidi import spreadsheet_cell, strip_bidi
from texts import csv_form
from texts.csv_form import CsvForm
from texts.enquiries import STATUS_LABELS, topic_label
from texts.i18n import Translator
from texts.labels import language_name

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


def raw() -> CsvForm[Enquiry]:
    def row(e: Enquiry) -> list[object]:
        # The phone is ours (normalised to +370...); the rest is as typed.
        return [
            strip_bidi(e.phone or "") if c == "phone" else spreadsheet_cell(getattr(e, c))
            for c in RAW_COLUMNS
        ]

    return csv_form.raw(list(RAW_COLUMNS), row)


def for_people(
    t: Translator,
    zone: dt.tzinfo,
    staff_names: Mapping[int, str],
    programme_titles: Mapping[str, str],
) -> CsvForm[Enquiry]:
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

    return csv_form.for_people(t.lang, header, row)
