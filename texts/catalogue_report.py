"""A catalogue file's check in the reader's language: each problem with its
line, the programme it is in by name, the field, and what is wrong; the
change list with old and new values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import holidays

from services.catalogue.validation import Problem, place
from texts.i18n import N_, Translator

MESSAGES = {
    "missing": N_("missing"),
    "date_parsing": N_("not a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("not a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": N_("not a date (YYYY-MM-DD)"),
    "date_type": N_("not a date (YYYY-MM-DD)"),
    "datetime_parsing": N_("not a date and time (YYYY-MM-DDTHH:MM)"),
    "datetime_from_date_parsing": N_("not a date and time (YYYY-MM-DDTHH:MM)"),
    "datetime_type": N_("not a date and time (YYYY-MM-DDTHH:MM)"),
    "int_parsing": N_("not a whole number"),
    "int_type": N_("not a whole number"),
    "int_from_float": N_("not a whole number"),
    "float_parsing": N_("not a number"),
    "float_type": N_("not a number"),
    "greater_than_equal": N_("must not be negative"),
    "less_than_equal": N_("too large (at most {le})"),
    "string_type": N_("not a text"),
    "string_too_short": N_("empty"),
    "string_pattern_mismatch": N_("not a valid id (lowercase letters, digits and hyphens)"),
    "list_type": N_("not a list"),
    "model_type": N_("not a mapping"),
    "dict_type": N_("not a mapping"),
    "extra_forbidden": N_("unknown field (a typo?)"),
    "must_be": N_("must be {expected}"),
    "must_be_one_of": N_("must be one of {expected}"),
    "other": N_("not valid ({message})"),
    "duplicate_id": N_("the id “{value}” is used twice (first at {first})"),
    "unknown_department": N_("there is no department “{value}”"),
    "unknown_programme": N_("there is no programme “{value}”"),
    "unknown_zone": N_("“{value}” is not a time zone"),
    "ends_before_starts": N_("the group ends before it starts"),
    "deadline_after_end": N_("the registration deadline is after the group ends"),
    "deadline_after_start": N_("the registration deadline is after the group starts"),
    "taken_over_seats": N_("more seats are taken than there are"),
    "registration_needs_name": N_("the fields to ask must include the name"),
    "duplicate_field": N_("“{value}” is listed twice"),
    "seats_below_registrations": N_(
        "{seats} seats are fewer than the {held} already taken and registered"
    ),
    "session_ends_before_start": N_("the session ends before it starts"),
    "public_holiday": N_("{date} is a public holiday in Lithuania ({holiday})"),
    "skipped_time": N_(
        "{time} does not exist in {zone} (clocks go forward); it is read as the hour after"
    ),
    "repeated_time": N_(
        "{time} happens twice in {zone} (clocks go back); it is read as the first, in summer time"
    ),
    "not_a_catalogue": N_("this is not a catalogue (the file must start with its fields)"),
    "unreadable": N_("the file cannot be read"),
    "not_yaml": N_("not valid YAML ({problem})"),
}
KIND_NAMES = {
    "departments": N_("Departments"),
    "programmes": N_("Programmes"),
    "groups": N_("Groups"),
    "sessions": N_("Sessions"),
    "faq": N_("FAQ entries"),
}


@dataclass(frozen=True)
class ProblemLine:
    line: int | None
    where: str  # the entry, in words: programme "Electrician", group 2
    field: str  # the field in the file (an identifier, shown as code)
    message: str


def _title(entry: Any, lang: str) -> str | None:
    if not isinstance(entry, dict):
        return None
    title = entry.get("title") or entry.get("name")
    if isinstance(title, dict):
        value = title.get(lang) or next(iter(title.values()), None)
        return str(value) if value else None
    if isinstance(title, str):
        return title
    return str(entry["id"]) if isinstance(entry.get("id"), str) else None


def _entry(raw: Any, key: str, index: int) -> Any:
    items = raw.get(key) if isinstance(raw, dict) else None
    return items[index] if isinstance(items, list) and 0 <= index < len(items) else None


def describe(t: Translator, problem: Problem, raw: Any) -> ProblemLine:
    """Where and what, in the reader's language."""
    loc = list(problem.loc)
    where: list[str] = []
    node = raw
    if len(loc) >= 2 and loc[0] == "programmes" and isinstance(loc[1], int):
        node = _entry(raw, "programmes", loc[1])
        name = _title(node, t.lang) or str(loc[1] + 1)
        where.append(t.gettext("programme “{name}”").format(name=name))
        loc = loc[2:]
        if len(loc) >= 2 and loc[0] == "groups" and isinstance(loc[1], int):
            where.append(t.gettext("group {n}").format(n=loc[1] + 1))
            loc = loc[2:]
            if len(loc) >= 2 and loc[0] == "sessions" and isinstance(loc[1], int):
                where.append(t.gettext("session {n}").format(n=loc[1] + 1))
                loc = loc[2:]
    elif len(loc) >= 2 and loc[0] == "faq" and isinstance(loc[1], int):
        entry = _entry(raw, "faq", loc[1])
        ident = entry.get("id") if isinstance(entry, dict) else None
        where.append(t.gettext("FAQ entry {id}").format(id=ident or loc[1] + 1))
        loc = loc[2:]
    elif len(loc) >= 2 and loc[0] == "departments" and isinstance(loc[1], int):
        entry = _entry(raw, "departments", loc[1])
        name = _title(entry, t.lang) or str(loc[1] + 1)
        where.append(t.gettext("department “{name}”").format(name=name))
        loc = loc[2:]
    elif loc and loc[0] == "centre":
        where.append(t.gettext("the centre's details"))
        loc = loc[1:]
    params = dict(problem.params)
    if problem.code == "public_holiday":
        params["holiday"] = holiday_name(t, params.get("date", ""), params.get("holiday", ""))
    message = t.gettext(MESSAGES.get(problem.code, problem.code)).format(**params)
    return ProblemLine(problem.line, ", ".join(where), place(tuple(loc)) if loc else "", message)


def holiday_name(t: Translator, date: str, english: str) -> str:
    """A Lithuanian public holiday's name in the reader's language."""
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return english
    names = holidays.country_holidays("LT", language="lt" if t.lang == "lt" else "en_US")
    return str(names.get(day) or english)


def kind_name(t: Translator, kind: str) -> str:
    return t.gettext(KIND_NAMES[kind]) if kind in KIND_NAMES else kind
