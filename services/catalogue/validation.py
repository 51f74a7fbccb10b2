"""Validate a whole catalogue file and name every place that is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import yaml
from pydantic import ValidationError

from services.catalogue.safe_yaml import MAX_BYTES, Deadline, Refusal, Refused, parse
from services.catalogue.schema import Catalogue

# Pydantic's error types, said the way a person editing the file thinks.
_MESSAGES = {
    "missing": "missing",
    "date_parsing": "not a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "not a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "not a date (YYYY-MM-DD)",
    "date_type": "not a date (YYYY-MM-DD)",
    "datetime_parsing": "not a date and time (YYYY-MM-DDTHH:MM)",
    "datetime_from_date_parsing": "not a date and time (YYYY-MM-DDTHH:MM)",
    "datetime_type": "not a date and time (YYYY-MM-DDTHH:MM)",
    "int_parsing": "not a whole number",
    "int_type": "not a whole number",
    "int_from_float": "not a whole number",
    "float_parsing": "not a number",
    "float_type": "not a number",
    "greater_than_equal": "must not be negative",
    "string_type": "not a text",
    "string_too_short": "empty",
    "string_pattern_mismatch": "not a valid id (lowercase letters, digits and hyphens)",
    "list_type": "not a list",
    "model_type": "not a mapping",
    "dict_type": "not a mapping",
    "extra_forbidden": "unknown field (a typo?)",
}


@dataclass
class ValidationReport:
    catalogue: Catalogue | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Set when the file was refused as a whole (too large, aliases, too deep,
    # too slow); its only error is then this refusal's English text.
    refusal: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.catalogue is not None and not self.errors


def place(loc: tuple[int | str, ...]) -> str:
    """('programmes', 3, 'groups', 0, 'starts') -> 'programmes[3].groups[0].starts'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(file)"


def _pydantic_message(error: Any) -> str:
    kind = error["type"]
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        return (
            f"must be {expected}"
            if " or " not in expected and "," not in expected
            else (f"must be one of {expected}")
        )
    return _MESSAGES.get(kind, str(error["msg"]).lower())


def _items(raw: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _duplicate_ids(entries: list[tuple[str, Any]], errors: list[str]) -> set[str]:
    first: dict[str, str] = {}
    for where, value in entries:
        if not isinstance(value, str):
            continue
        if value in first:
            errors.append(f"{where}.id: duplicate id '{value}' (first at {first[value]})")
        else:
            first[value] = where
    return set(first)


def _cross_checks(raw: Any, errors: list[str]) -> None:
    """References and uniqueness, checked on the raw data so they are
    reported together with type errors elsewhere in the file."""
    departments = _duplicate_ids(
        [(f"departments[{i}]", d.get("id")) for i, d in _items(raw, "departments")], errors
    )
    programmes = _duplicate_ids(
        [(f"programmes[{i}]", p.get("id")) for i, p in _items(raw, "programmes")], errors
    )
    groups: list[tuple[str, Any]] = []
    for i, programme in _items(raw, "programmes"):
        department = programme.get("department")
        if department is not None and department not in departments:
            errors.append(f"programmes[{i}].department: unknown department '{department}'")
        for j, group in _items(programme, "groups"):
            groups.append((f"programmes[{i}].groups[{j}]", group.get("id")))
            _duplicate_ids(
                [
                    (f"programmes[{i}].groups[{j}].sessions[{k}]", s.get("id"))
                    for k, s in _items(group, "sessions")
                ],
                errors,
            )
    # Group ids are referred to on their own (questions, reminders), so they
    # must be unique across the whole catalogue.
    _duplicate_ids(groups, errors)
    _duplicate_ids([(f"faq[{i}]", f.get("id")) for i, f in _items(raw, "faq")], errors)
    for i, entry in _items(raw, "faq"):
        related = entry.get("related") or []
        if isinstance(related, list):
            for k, ref in enumerate(related):
                if isinstance(ref, str) and ref not in programmes:
                    errors.append(f"faq[{i}].related[{k}]: unknown programme '{ref}'")


def _semantic_checks(catalogue: Catalogue, errors: list[str], warnings: list[str]) -> None:
    try:
        zone = ZoneInfo(catalogue.centre.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(f"centre.timezone: unknown time zone '{catalogue.centre.timezone}'")
        return
    # Sessions on a public holiday are allowed (exams happen) but are most
    # often a copy-paste slip, so the import says so.
    public_holidays = holidays.country_holidays("LT", language="en_US")
    for i, programme in enumerate(catalogue.programmes):
        for j, group in enumerate(programme.groups):
            where = f"programmes[{i}].groups[{j}]"
            if group.ends < group.starts:
                errors.append(f"{where}.ends: before starts")
            if group.registration_deadline and group.registration_deadline > group.ends:
                errors.append(f"{where}.registration_deadline: after the group ends")
            elif group.registration_deadline and group.registration_deadline > group.starts:
                warnings.append(f"{where}.registration_deadline: after the group starts")
            if group.seats_taken > group.seats:
                errors.append(f"{where}.seats_taken: more than seats")
            for k, session in enumerate(group.sessions):
                at = f"{where}.sessions[{k}]"
                if session.ends_at and session.ends_at < session.starts_at:
                    errors.append(f"{at}.ends_at: before starts_at")
                warnings.extend(_time_warnings(f"{at}.starts_at", session.starts_at, zone))
                holiday = public_holidays.get(session.starts_at.date())
                if holiday:
                    warnings.append(
                        f"{at}.starts_at: {session.starts_at:%Y-%m-%d} is a public holiday "
                        f"in Lithuania ({holiday})"
                    )


def _time_warnings(where: str, local: dt.datetime, zone: ZoneInfo) -> list[str]:
    """A local time the clocks skip or repeat is read one way; say which."""
    if local.tzinfo is not None:
        return []
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    round_trip = first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != local:
        return [
            f"{where}: {local:%Y-%m-%d %H:%M} does not exist in {zone.key} "
            "(clocks go forward); it is read as the hour after"
        ]
    if first.utcoffset() != second.utcoffset():
        return [
            f"{where}: {local:%Y-%m-%d %H:%M} happens twice in {zone.key} "
            "(clocks go back); it is read as the first, in summer time"
        ]
    return []


def validate(raw: Any, deadline: Deadline | None = None) -> ValidationReport:
    """Check parsed data; `deadline` is checked between the steps (each one
    is linear in the data, which the loader has bounded)."""
    errors: list[str] = []
    warnings: list[str] = []
    if not isinstance(raw, dict):
        return ValidationReport(None, ["(file): not a catalogue (expected a mapping at the top)"])
    _cross_checks(raw, errors)
    if deadline is not None:
        deadline.check()
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            errors.append(f"{place(tuple(error['loc']))}: {_pydantic_message(error)}")
        return ValidationReport(None, _unique(errors), warnings)
    if deadline is not None:
        deadline.check()
    _semantic_checks(catalogue, errors, warnings)
    return ValidationReport(None if errors else catalogue, _unique(errors), warnings)


def _unique(messages: list[str]) -> list[str]:
    return list(dict.fromkeys(messages))


def refused(refusal: Refusal) -> ValidationReport:
    return ValidationReport(None, [refusal.english()], refusal=refusal)


def load_file(path: str | Path, deadline: Deadline | None = None) -> ValidationReport:
    """Parse and validate a catalogue file; never raises for a bad file."""
    try:
        # Refused unread: a huge file would cost memory before any check.
        if Path(path).stat().st_size > MAX_BYTES:
            return refused(Refusal("size", MAX_BYTES))
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return ValidationReport(None, [f"(file): cannot read {path}: {exc}"])
    return load_text(text, deadline)


def load_text(text: str, deadline: Deadline | None = None) -> ValidationReport:
    """Parse and validate a catalogue's text within `deadline` (TIME_LIMIT
    from now by default); never raises for a bad or hostile file. CPU-bound
    for up to that long, so the bot runs it off its event loop."""
    deadline = deadline or Deadline()
    try:
        # A SafeLoader subclass: no arbitrary objects are built.
        raw = parse(text, deadline)
    except Refused as exc:
        return refused(exc.refusal)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        return ValidationReport(None, [f"{where}: not valid YAML ({problem})"])
    try:
        return validate(raw, deadline)
    except Refused as exc:
        return refused(exc.refusal)
