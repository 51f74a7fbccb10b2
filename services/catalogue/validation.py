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
from services.catalogue.schema import Catalogue, Programme

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
    "less_than_equal": "too large (at most {le})",
    "string_type": "not a text",
    "string_too_short": "empty",
    "string_pattern_mismatch": "not a valid id (lowercase letters, digits and hyphens)",
    "list_type": "not a list",
    "model_type": "not a mapping",
    "dict_type": "not a mapping",
    "extra_forbidden": "unknown field (a typo?)",
}


Loc = tuple[int | str, ...]

# What each problem says, in English (`vtcbot import`, logs); the console
# says the same in the reader's language (texts/catalogue_report.py).
ENGLISH = {
    **{kind: message for kind, message in _MESSAGES.items()},
    "must_be": "must be {expected}",
    "must_be_one_of": "must be one of {expected}",
    "other": "{message}",
    "duplicate_id": "duplicate id '{value}' (first at {first})",
    "unknown_department": "unknown department '{value}'",
    "unknown_programme": "unknown programme '{value}'",
    "unknown_zone": "unknown time zone '{value}'",
    "ends_before_starts": "before starts",
    "deadline_after_end": "after the group ends",
    "deadline_after_start": "after the group starts",
    "taken_over_seats": "more than seats",
    "registration_needs_name": "must include name",
    "duplicate_field": "'{value}' is listed twice",
    "seats_below_registrations": (
        "{seats} seats, fewer than the {held} taken and registered for group '{group}'"
    ),
    "session_ends_before_start": "before starts_at",
    "public_holiday": "{date} is a public holiday in Lithuania ({holiday})",
    "skipped_time": (
        "{time} does not exist in {zone} (clocks go forward); it is read as the hour after"
    ),
    "repeated_time": (
        "{time} happens twice in {zone} (clocks go back); it is read as the first, in summer time"
    ),
    "not_a_catalogue": "not a catalogue (expected a mapping at the top)",
    "unreadable": "cannot read {path}: {reason}",
    "not_yaml": "not valid YAML ({problem})",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful) in a catalogue file: where (the path in
    the data, and the line when known) and what, as a code with values."""

    loc: Loc
    code: str
    params: dict[str, str] = field(default_factory=dict)
    line: int | None = None

    def english(self) -> str:
        where = place(self.loc) if self.loc or self.line is None else f"line {self.line}"
        if self.code == "not_yaml" and self.line is not None:
            where = f"line {self.line}, column {self.params.get('column', '1')}"
        return f"{where}: {ENGLISH.get(self.code, self.code).format(**self.params)}"


@dataclass
class ValidationReport:
    catalogue: Catalogue | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The same, structured, with their lines in the file: for the console.
    problems: list[Problem] = field(default_factory=list)
    doubts: list[Problem] = field(default_factory=list)
    # The parsed data (names of programmes, for the console's report).
    raw: Any = None
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


def _pydantic_problem(error: Any) -> Problem:
    kind = error["type"]
    loc = tuple(error["loc"])
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        code = "must_be" if " or " not in expected and "," not in expected else "must_be_one_of"
        return Problem(loc, code, {"expected": expected})
    if kind == "less_than_equal":
        return Problem(loc, kind, {"le": str(error.get("ctx", {}).get("le", ""))})
    if kind in _MESSAGES:
        return Problem(loc, kind)
    return Problem(loc, "other", {"message": str(error["msg"]).lower()})


def _items(raw: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _duplicate_ids(entries: list[tuple[Loc, Any]], errors: list[Problem]) -> set[str]:
    first: dict[str, Loc] = {}
    for where, value in entries:
        if not isinstance(value, str):
            continue
        if value in first:
            errors.append(
                Problem(
                    (*where, "id"), "duplicate_id", {"value": value, "first": place(first[value])}
                )
            )
        else:
            first[value] = where
    return set(first)


def _cross_checks(raw: Any, errors: list[Problem]) -> None:
    """References and uniqueness, checked on the raw data so they are
    reported together with type errors elsewhere in the file."""
    departments = _duplicate_ids(
        [(("departments", i), d.get("id")) for i, d in _items(raw, "departments")], errors
    )
    programmes = _duplicate_ids(
        [(("programmes", i), p.get("id")) for i, p in _items(raw, "programmes")], errors
    )
    groups: list[tuple[Loc, Any]] = []
    for i, programme in _items(raw, "programmes"):
        department = programme.get("department")
        if department is not None and department not in departments:
            errors.append(
                Problem(
                    ("programmes", i, "department"), "unknown_department", {"value": department}
                )
            )
        for j, group in _items(programme, "groups"):
            groups.append((("programmes", i, "groups", j), group.get("id")))
            _duplicate_ids(
                [
                    (("programmes", i, "groups", j, "sessions", k), s.get("id"))
                    for k, s in _items(group, "sessions")
                ],
                errors,
            )
    # Group ids are referred to on their own (questions, reminders), so they
    # must be unique across the whole catalogue.
    _duplicate_ids(groups, errors)
    _duplicate_ids([(("faq", i), f.get("id")) for i, f in _items(raw, "faq")], errors)
    for i, entry in _items(raw, "faq"):
        related = entry.get("related") or []
        if isinstance(related, list):
            for k, ref in enumerate(related):
                if isinstance(ref, str) and ref not in programmes:
                    errors.append(
                        Problem(("faq", i, "related", k), "unknown_programme", {"value": ref})
                    )


def _semantic_checks(catalogue: Catalogue, errors: list[Problem], warnings: list[Problem]) -> None:
    try:
        zone = ZoneInfo(catalogue.centre.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(
            Problem(("centre", "timezone"), "unknown_zone", {"value": catalogue.centre.timezone})
        )
        return
    # Sessions on a public holiday are allowed (exams happen) but are most
    # often a copy-paste slip, so the import says so.
    public_holidays = holidays.country_holidays("LT", language="en_US")
    for i, programme in enumerate(catalogue.programmes):
        _registration_checks(("programmes", i, "registration"), programme, errors)
        for j, group in enumerate(programme.groups):
            where: Loc = ("programmes", i, "groups", j)
            if group.ends < group.starts:
                errors.append(Problem((*where, "ends"), "ends_before_starts"))
            if group.registration_deadline and group.registration_deadline > group.ends:
                errors.append(Problem((*where, "registration_deadline"), "deadline_after_end"))
            elif group.registration_deadline and group.registration_deadline > group.starts:
                warnings.append(Problem((*where, "registration_deadline"), "deadline_after_start"))
            if group.seats_taken > group.seats:
                errors.append(Problem((*where, "seats_taken"), "taken_over_seats"))
            for k, session in enumerate(group.sessions):
                at: Loc = (*where, "sessions", k)
                if session.ends_at and session.ends_at < session.starts_at:
                    errors.append(Problem((*at, "ends_at"), "session_ends_before_start"))
                warnings.extend(_time_warnings((*at, "starts_at"), session.starts_at, zone))
                holiday = public_holidays.get(session.starts_at.date())
                if holiday:
                    warnings.append(
                        Problem(
                            (*at, "starts_at"),
                            "public_holiday",
                            {"date": f"{session.starts_at:%Y-%m-%d}", "holiday": str(holiday)},
                        )
                    )


def _registration_checks(where: Loc, programme: Programme, errors: list[Problem]) -> None:
    declared = programme.registration
    if declared is None or declared.fields is None:
        return
    if "name" not in declared.fields:
        errors.append(Problem((*where, "fields"), "registration_needs_name"))
    for listed in ("fields", "payment"):
        values: list[str] = list(getattr(declared, listed) or [])
        for k, value in enumerate(values):
            if value in values[:k]:
                errors.append(Problem((*where, listed, k), "duplicate_field", {"value": value}))


def _time_warnings(where: Loc, local: dt.datetime, zone: ZoneInfo) -> list[Problem]:
    """A local time the clocks skip or repeat is read one way; say which."""
    if local.tzinfo is not None:
        return []
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    round_trip = first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    params = {"time": f"{local:%Y-%m-%d %H:%M}", "zone": zone.key}
    if round_trip != local:
        return [Problem(where, "skipped_time", params)]
    if first.utcoffset() != second.utcoffset():
        return [Problem(where, "repeated_time", params)]
    return []


def report(
    catalogue: Catalogue | None, errors: list[Problem], warnings: list[Problem], raw: Any = None
) -> ValidationReport:
    errors = list({p.english(): p for p in errors}.values())
    return ValidationReport(
        catalogue,
        [p.english() for p in errors],
        [p.english() for p in warnings],
        errors,
        warnings,
        raw,
    )


def validate(raw: Any, deadline: Deadline | None = None) -> ValidationReport:
    """Check parsed data; `deadline` is checked between the steps (each one
    is linear in the data, which the loader has bounded)."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    if not isinstance(raw, dict):
        return report(None, [Problem((), "not_a_catalogue")], [])
    _cross_checks(raw, errors)
    if deadline is not None:
        deadline.check()
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as exc:
        errors.extend(_pydantic_problem(error) for error in exc.errors())
        return report(None, errors, warnings, raw)
    if deadline is not None:
        deadline.check()
    _semantic_checks(catalogue, errors, warnings)
    return report(None if errors else catalogue, errors, warnings, raw)


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
        return report(
            None, [Problem((), "unreadable", {"path": str(path), "reason": str(exc)})], []
        )
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
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark else None
        column = str(mark.column + 1) if mark else "1"
        found = Problem((), "not_yaml", {"problem": problem, "column": column}, line)
        return report(None, [found], [])
    try:
        checked = validate(raw, deadline)
    except Refused as exc:
        return refused(exc.refusal)
    return with_lines(checked, text)


def with_lines(checked: ValidationReport, text: str) -> ValidationReport:
    """Each problem with the line of the file it is on (the nearest entry
    that exists: a missing field is on its entry's line)."""
    if not checked.problems and not checked.doubts:
        return checked
    lines = line_numbers(text)

    def lined(found: Problem) -> Problem:
        loc = found.loc
        while loc and loc not in lines:
            loc = loc[:-1]
        return Problem(found.loc, found.code, found.params, lines.get(loc, found.line))

    checked.problems = [lined(p) for p in checked.problems]
    checked.doubts = [lined(p) for p in checked.doubts]
    return checked


def line_numbers(text: str) -> dict[Loc, int]:
    """The line (from 1) of every mapping value and list item of a YAML text
    that parsed already (so within the loader's limits)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    found: dict[Loc, int] = {}
    stack: list[tuple[Loc, Any]] = [((), root)]
    while stack:
        loc, node = stack.pop()
        if node is None:
            continue
        found[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    found[(*loc, key.value)] = key.start_mark.line + 1
                    stack.append(((*loc, key.value), value))
                    found.setdefault((*loc, key.value), key.start_mark.line + 1)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(((*loc, i), item) for i, item in enumerate(node.value))
    return found
