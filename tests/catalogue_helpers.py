"""Variants of the demo catalogue for tests: add a group, move a session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from services.catalogue_importer import ImportSummary
from services.container import Services
from tests.conftest import DEMO

PROGRAMME = "nf-first-aid"


def demo_raw() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    return raw


def programme(raw: dict[str, Any], programme_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in raw["programmes"] if p["id"] == programme_id)
    return found


def group(raw: dict[str, Any], group_id: str) -> dict[str, Any]:
    for p in raw["programmes"]:
        for g in p.get("groups") or []:
            if g["id"] == group_id:
                found: dict[str, Any] = g
                return found
    raise KeyError(group_id)


def session(
    session_id: str, starts_at: str, kind: str = "lesson", room: str | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": session_id,
        "kind": kind,
        "title": {"lt": f"Užsiėmimas {session_id}", "en": f"Lesson {session_id}"},
        "starts_at": starts_at,
    }
    if room:
        out["room"] = room
    return out


def new_group(
    group_id: str, starts: str, ends: str, sessions: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "id": group_id,
        "starts": starts,
        "ends": ends,
        "mode": "evening",
        "timetable": {"lt": "Antradieniais 17:30-20:45", "en": "Tuesdays 17:30-20:45"},
        "location": {"lt": "Alytus, Putinų g. 5", "en": "Alytus, Putinų g. 5"},
        "seats": 12,
        "seats_taken": 0,
        "sessions": sessions,
    }


def write_raw(raw: dict[str, Any], path: Path) -> None:
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


async def import_raw(services: Services, raw: dict[str, Any], path: Path) -> ImportSummary:
    write_raw(raw, path)
    report, summary = await services.catalogue.import_file(path)
    assert report.ok, report.errors
    assert summary is not None
    return summary
