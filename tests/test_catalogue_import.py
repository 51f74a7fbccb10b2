"""Catalogue validation and import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from services.catalogue.validation import load_file, load_text, validate
from services.catalogue_importer import import_catalogue, load_catalogue
from services.clock import FixedClock
from services.container import Services
from storage import catalogue_repo
from tests.conftest import DEMO, NOW


def _demo_raw() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    return raw


def test_demo_catalogue_is_valid() -> None:
    report = load_file(DEMO)
    assert report.ok, report.errors
    assert report.catalogue is not None
    assert len(report.catalogue.programmes) == 42


def test_broken_copy_names_every_place() -> None:
    raw = _demo_raw()
    raw["programmes"][3]["groups"][0]["starts"] = "2027-02-30"
    raw["programmes"][1]["department"] = "no-such-department"
    del raw["programmes"][2]["title"]["en"]
    raw["faq"][5]["id"] = raw["faq"][0]["id"]
    report = validate(raw)
    assert not report.ok
    assert set(report.errors) >= {
        "programmes[3].groups[0].starts: not a date (YYYY-MM-DD)",
        "programmes[1].department: unknown department 'no-such-department'",
        "programmes[2].title.en: missing",
        "faq[5].id: duplicate id 'address' (first at faq[0])",
    }


def test_other_mistakes_are_named() -> None:
    raw = _demo_raw()
    raw["programmes"][0]["kind"] = "university"
    raw["programmes"][0]["groups"][0]["seats"] = "many"
    raw["programmes"][0]["groups"][1]["ends"] = "2020-01-01"
    raw["programmes"][16]["groups"][0]["sessions"][0]["starts_at"] = "tomorrow"
    raw["programmes"][17]["groups"][0]["id"] = raw["programmes"][16]["groups"][0]["id"]
    errors = validate(raw).errors
    assert any(e.startswith("programmes[0].kind: must be one of") for e in errors)
    assert "programmes[0].groups[0].seats: not a whole number" in errors
    assert (
        "programmes[16].groups[0].sessions[0].starts_at: not a date and time (YYYY-MM-DDTHH:MM)"
        in errors
    )
    assert any(e.startswith("programmes[17].groups[0].id: duplicate id") for e in errors)


def test_yaml_syntax_error_names_the_line() -> None:
    report = load_text("version: 1\ncentre: [unclosed\n")
    assert report.errors and report.errors[0].startswith("line ")


def test_nonexistent_local_time_is_a_warning() -> None:
    raw = _demo_raw()
    session = raw["programmes"][16]["groups"][0]["sessions"][0]
    session["starts_at"], session["ends_at"] = "2027-03-28T03:30", "2027-03-28T05:00"
    report = validate(raw)
    assert report.ok
    assert any("does not exist in Europe/Vilnius" in w for w in report.warnings)


async def test_import_summary_and_stable_reimport(tmp_path: Path) -> None:
    services = Services.create(tmp_path / "db.sqlite", FixedClock(NOW))
    await services.db.open()
    report = load_file(DEMO)
    assert report.catalogue is not None
    first = await import_catalogue(services.db, report.catalogue, "demo", NOW)
    assert first.added["programmes"] == 42
    assert first.added["groups"] == 53
    assert first.added["faq"] == 51
    again = await import_catalogue(services.db, report.catalogue, "demo", NOW)
    assert not again.changed
    # A changed price, a removed FAQ and a new group are each reported.
    raw = _demo_raw()
    raw["programmes"][0]["price_eur"] = 10
    removed = raw["faq"].pop()
    new_group = dict(raw["programmes"][1]["groups"][0], id="electrician-2028-09")
    raw["programmes"][1]["groups"].append(new_group)
    changed = validate(raw).catalogue
    assert changed is not None
    summary = await import_catalogue(services.db, changed, "edited", NOW)
    assert summary.updated["programmes"] == 1
    assert summary.removed["faq"] == 1
    assert summary.added["groups"] == 1
    stored = await load_catalogue(services.db)
    assert stored == changed
    assert removed["id"] not in {f.id for f in stored.faq}
    await services.close()


async def test_session_times_are_stored_in_utc(services: Services) -> None:
    async with services.db.reader.execute(
        "SELECT starts_at_utc FROM group_sessions WHERE id = 'nf-digital-skills-2026-12-l1'"
    ) as cur:
        row = await cur.fetchone()
    # 17:30 in Vilnius in December (UTC+2).
    assert row is not None
    assert dt.datetime.fromisoformat(row[0]) == dt.datetime(2026, 12, 1, 15, 30, tzinfo=dt.UTC)


async def test_rejected_file_leaves_database_unchanged(services: Services, tmp_path: Path) -> None:
    before = await catalogue_repo.stored_keyed(services.db.reader)
    raw = _demo_raw()
    raw["programmes"][0]["title"]["lt"] = "Pakeista"
    raw["programmes"][3]["groups"][0]["starts"] = "not a date"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    report, summary = await services.catalogue.import_file(broken)
    assert summary is None and report.errors
    assert await catalogue_repo.stored_keyed(services.db.reader) == before
    assert services.catalogue.view.programmes["welder"].title.lt == "Suvirintojas"


def test_impossible_date_written_plainly_is_named_not_a_crash() -> None:
    text = DEMO.read_text(encoding="utf-8").replace("starts: 2027-09-01", "starts: 2027-02-30", 1)
    report = load_text(text)
    assert "programmes[0].groups[0].starts: not a date (YYYY-MM-DD)" in report.errors


def test_unknown_field_is_reported_as_a_possible_typo() -> None:
    raw = _demo_raw()
    raw["programmes"][0]["hourz"] = 70
    assert "programmes[0].hourz: unknown field (a typo?)" in validate(raw).errors


def test_next_open_group_skips_full_and_closed_ones() -> None:
    raw = _demo_raw()
    driving_b = next(p for p in raw["programmes"] if p["id"] == "driving-b")
    first = driving_b["groups"][0]
    first["seats_taken"] = first["seats"]
    catalogue = validate(raw).catalogue
    assert catalogue is not None
    from services.catalogue.view import CatalogueView

    view = CatalogueView(catalogue)
    chosen = view.next_open_group(view.programmes["driving-b"], NOW.date())
    assert chosen is not None and chosen.id == "driving-b-2027-03-evening"


async def test_running_service_picks_up_a_catalogue_imported_elsewhere(tmp_path: Path) -> None:
    """`vtcbot import` runs in its own process; the running bot sees the result."""
    clock = FixedClock(NOW)
    bot_side = Services.create(tmp_path / "shared.db", clock)
    await bot_side.start(DEMO)
    cli_side = Services.create(tmp_path / "shared.db", clock)
    await cli_side.start(None)
    assert not await bot_side.catalogue.reload_if_imported()
    raw = _demo_raw()
    raw["programmes"][0]["title"]["lt"] = "Suvirintojas (atnaujinta)"
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    _report, summary = await cli_side.catalogue.import_file(changed)
    assert summary is not None and summary.updated["programmes"] == 1
    assert await bot_side.catalogue.reload_if_imported()
    assert bot_side.catalogue.view.programmes["welder"].title.lt == "Suvirintojas (atnaujinta)"
    await cli_side.close()
    await bot_side.close()
