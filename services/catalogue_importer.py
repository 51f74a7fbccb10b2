"""Replace the stored catalogue with a validated one, in one transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from services.catalogue.schema import Catalogue, Programme
from services.catalogue.validation import Problem
from services.catalogue.worker import off_loop
from services.clock import instant
from services.registrations import seats
from services.registrations.service import DEFAULT_OFFER_HOLD
from services.reminders import changes
from storage import catalogue_repo, reminders_repo
from storage.catalogue_repo import KINDS, CatalogueRows
from storage.database import Database


def _shown(value: Any) -> str:
    if isinstance(value, str):
        text = value
    elif value is None:
        text = "—"
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:79] + "…"


def field_changes(old_json: str, new_json: str) -> list[tuple[str, str, str]]:
    """(field, old, new) of what differs between two stored entries: a
    start date 2027-09-01 -> 2027-09-08, seats 28 -> 30; a text per
    language (title.en)."""
    try:
        old, new = json.loads(old_json), json.loads(new_json)
    except ValueError:
        return []
    if not isinstance(old, dict) or not isinstance(new, dict):
        return [("", _shown(old), _shown(new))]
    found: list[tuple[str, str, str]] = []
    for name in list(dict.fromkeys([*old, *new])):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            for sub in list(dict.fromkeys([*before, *after])):
                if before.get(sub) != after.get(sub):
                    found.append((f"{name}.{sub}", _shown(before.get(sub)), _shown(after.get(sub))))
        else:
            found.append((name, _shown(before), _shown(after)))
    return found


@dataclass
class ImportSummary:
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    removed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    # Messages the import owes learners (sent by the running bot).
    schedule_notices: int = 0
    waitlist_notices: int = 0
    # Which entries: kind -> change -> keys (for the console's diff).
    keys: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # For each updated entry, what changed: kind -> key -> (field, old, new).
    details: dict[str, dict[str, list[tuple[str, str, str]]]] = field(default_factory=dict)
    # Groups with changes, and how many learners follow each.
    followers: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.added.values()) or any(self.updated.values()) or any(self.removed.values())

    def lines(self) -> list[str]:
        return [
            f"{kind}: {self.added[kind]} added, {self.updated[kind]} updated, "
            f"{self.removed[kind]} removed"
            for kind in KINDS
        ] + [
            f"learners to notify: {self.schedule_notices} of schedule changes, "
            f"{self.waitlist_notices} of new groups"
        ]

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            kind: {
                "added": self.added[kind],
                "updated": self.updated[kind],
                "removed": self.removed[kind],
            }
            for kind in KINDS
        }


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _utc(local: dt.datetime, zone: ZoneInfo) -> str:
    return instant(local, zone).isoformat()


def _unset(programme: Programme) -> set[str]:
    """What a programme's stored data leaves out: its groups (stored apart)
    and the optional registration rules it does not declare, so a catalogue
    stored before they existed compares equal."""
    left_out = {"groups"}
    if programme.registration is None:
        left_out.add("registration")
    if programme.certificate is None:
        left_out.add("certificate")
    return left_out


def to_rows(catalogue: Catalogue) -> CatalogueRows:
    zone = ZoneInfo(catalogue.centre.timezone)
    rows = CatalogueRows(
        centre_id=catalogue.centre.id,
        centre_data=_json(catalogue.centre.model_dump(mode="json")),
    )
    rows.departments = [(d.id, _json(d.model_dump(mode="json"))) for d in catalogue.departments]
    for p in catalogue.programmes:
        rows.programmes.append(
            (p.id, p.kind, p.department, _json(p.model_dump(mode="json", exclude=_unset(p))))
        )
        for g in p.groups:
            data = _json(g.model_dump(mode="json", exclude={"sessions"}))
            rows.groups.append(
                (
                    g.id,
                    p.id,
                    g.starts.isoformat(),
                    g.ends.isoformat(),
                    g.mode,
                    g.seats,
                    g.seats_taken,
                    data,
                )
            )
            for s in g.sessions:
                rows.sessions.append(
                    (
                        g.id,
                        s.id,
                        s.kind,
                        _utc(s.starts_at, zone),
                        _utc(s.ends_at, zone) if s.ends_at else None,
                        _json(s.model_dump(mode="json")),
                    )
                )
    rows.faq = [(f.id, f.topic, _json(f.model_dump(mode="json"))) for f in catalogue.faq]
    return rows


class SeatsRefused(Exception):
    """The import would leave groups with fewer seats than are taken and held
    by registrations; nothing was changed. One problem per group."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.english() for p in problems))
        self.problems = problems


def _seat_places(catalogue: Catalogue) -> dict[str, tuple[int, int]]:
    return {
        g.id: (i, j) for i, p in enumerate(catalogue.programmes) for j, g in enumerate(p.groups)
    }


class _DryRun(Exception):
    """Raised inside the import's transaction to roll it back."""


async def import_catalogue(
    db: Database,
    catalogue: Catalogue,
    source: str,
    now: dt.datetime,
    dry_run: bool = False,
    text: str | None = None,
    offer_hold: dt.timedelta = DEFAULT_OFFER_HOLD,
) -> ImportSummary:
    """Upsert the catalogue and record what changed (the answer engine builds
    its index in memory when the catalogue is loaded).
    `dry_run`: do it all, count it, and roll it back (the console's diff: the
    notices counted are exactly the ones a real import would write)."""
    # Rows are a large catalogue's seconds of CPU: made off the event loop,
    # before the transaction holds the writer.
    rows = await off_loop(to_rows, catalogue)
    new = rows.keyed()
    summary = ImportSummary()
    with contextlib.suppress(_DryRun):
        await _import(db, rows, new, summary, catalogue, source, now, dry_run, text, offer_hold)
    return summary


async def _import(
    db: Database,
    rows: CatalogueRows,
    new: dict[str, dict[str, str]],
    summary: ImportSummary,
    catalogue: Catalogue,
    source: str,
    now: dt.datetime,
    dry_run: bool,
    text: str | None,
    offer_hold: dt.timedelta,
) -> None:
    async with db.transaction() as conn:
        old = await catalogue_repo.stored_keyed(conn)
        old_sessions = {
            key: changes.StoredSession(*value)
            for key, value in (await catalogue_repo.session_times(conn)).items()
        }
        old_groups = await catalogue_repo.group_ids(conn)
        for kind in KINDS:
            changed: dict[str, list[str]] = {"added": [], "updated": [], "removed": []}
            for key, data in new[kind].items():
                if key not in old[kind]:
                    changed["added"].append(key)
                elif old[kind][key] != data:
                    changed["updated"].append(key)
                    summary.details.setdefault(kind, {})[key] = field_changes(old[kind][key], data)
            changed["removed"] = [key for key in old[kind] if key not in new[kind]]
            summary.added[kind] = len(changed["added"])
            summary.updated[kind] = len(changed["updated"])
            summary.removed[kind] = len(changed["removed"])
            summary.keys[kind] = changed
        touched = {
            key.split("/")[0]
            for kind in ("groups", "sessions")
            for change in summary.keys[kind].values()
            for key in change
        }
        for group_id in sorted(touched):
            summary.followers[group_id] = len(await reminders_repo.subscribers(conn, group_id))
        new_seats = {r[0]: (r[5], r[6]) for r in rows.groups}
        over = await seats.over_booked(conn, new_seats)
        if over:
            places = _seat_places(catalogue)
            raise SeatsRefused(
                [
                    Problem(
                        ("programmes", *places[group_id], "seats"),
                        "seats_below_registrations",
                        {
                            "seats": str(new_seats[group_id][0]),
                            "held": str(held),
                            "group": group_id,
                        },
                    )
                    for group_id, held in sorted(over.items())
                ]
            )
        await catalogue_repo.replace(conn, rows)
        summary.schedule_notices, summary.waitlist_notices = await changes.apply_import(
            conn, old_sessions, old_groups, catalogue, now
        )
        # More seats (or fewer taken outside the bot): the waiting lists move.
        await seats.refill_all(conn, now, offer_hold)
        if dry_run:
            raise _DryRun()
        # Its text too: the next version is made from it (comments kept).
        await catalogue_repo.record_import(
            conn, now.astimezone(dt.UTC).isoformat(), source, _json(summary.as_dict()), text
        )


async def load_catalogue(db: Database) -> Catalogue | None:
    """The stored catalogue, put back together from its tables."""
    stored = await catalogue_repo.load(db.reader)
    if stored is None:
        return None
    sessions: dict[str, list[object]] = {}
    for group_id, data in stored.sessions:
        sessions.setdefault(group_id, []).append(json.loads(data))
    groups: dict[str, list[object]] = {}
    for programme_id, data in stored.groups:
        group = json.loads(data)
        group["sessions"] = sessions.get(group["id"], [])
        groups.setdefault(programme_id, []).append(group)
    programmes = []
    for data in stored.programmes:
        programme = json.loads(data)
        programme["groups"] = groups.get(programme["id"], [])
        programmes.append(programme)
    return await off_loop(
        Catalogue.model_validate,
        {
            "version": 1,
            "centre": json.loads(stored.centre),
            "departments": [json.loads(d) for d in stored.departments],
            "programmes": programmes,
            "faq": [json.loads(f) for f in stored.faq],
        },
    )
