"""The catalogue the bot answers from, kept in memory and swapped on import."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from pathlib import Path

from services.catalogue.schema import Catalogue
from services.catalogue.validation import (
    ValidationReport,
    load_file,
    load_text,
    with_lines,
)
from services.catalogue.view import CatalogueView
from services.catalogue.worker import off_loop
from services.catalogue_importer import (
    ImportSummary,
    SeatsRefused,
    import_catalogue,
    load_catalogue,
)
from services.clock import Clock
from services.registrations.service import DEFAULT_OFFER_HOLD
from services.search.engine import SearchEngine
from services.search.indexing import build_index
from storage import catalogue_repo, registrations_repo
from storage.database import Database

log = logging.getLogger(__name__)


class CatalogueError(Exception):
    def __init__(self, report: ValidationReport) -> None:
        super().__init__("; ".join(report.errors))
        self.report = report


def _refused(report: ValidationReport, exc: SeatsRefused, text: str) -> ValidationReport:
    """The check's report with the groups the import would over-book, as
    errors naming each group's place in the file."""
    report.catalogue = None
    report.problems = [*report.problems, *exc.problems]
    report.errors = [*report.errors, *(p.english() for p in exc.problems)]
    return with_lines(report, text)


class CatalogueService:
    def __init__(
        self, db: Database, clock: Clock, offer_hold: dt.timedelta = DEFAULT_OFFER_HOLD
    ) -> None:
        self.db = db
        self.clock = clock
        # How long a seat freed by an import is held for the first in line.
        self.offer_hold = offer_hold
        self._view: CatalogueView | None = None
        self._engine: SearchEngine | None = None
        self._import_id = 0  # the catalogue import the view was built from
        # Seats held by registrations per group, shared by every view built.
        self._held: dict[str, int] = {}

    @property
    def view(self) -> CatalogueView:
        if self._view is None:
            raise RuntimeError("catalogue not loaded")
        return self._view

    @property
    def engine(self) -> SearchEngine:
        if self._engine is None:
            raise RuntimeError("catalogue not loaded")
        return self._engine

    async def load(self, seed: Path | None = None) -> bool:
        """Load the stored catalogue; a fresh database is first filled from `seed`."""
        catalogue = await load_catalogue(self.db)
        if catalogue is None and seed is not None:
            report = await off_loop(load_file, seed)
            if not report.ok or report.catalogue is None:
                raise CatalogueError(report)
            await import_catalogue(
                self.db,
                report.catalogue,
                str(seed),
                self.clock.now(),
                text=await asyncio.to_thread(seed.read_text, encoding="utf-8"),
            )
            log.info("filled a fresh database from the demo catalogue %s", seed)
            catalogue = report.catalogue
        if catalogue is None:
            return False
        self._import_id = await catalogue_repo.latest_import(self.db.reader)
        await self._install(catalogue)
        return True

    async def reload_if_imported(self) -> bool:
        """Pick up a catalogue imported by another process (`vtcbot import`)."""
        if await catalogue_repo.latest_import(self.db.reader) == self._import_id:
            return False
        changed = await self.load(None)
        if changed:
            log.info("loaded a newly imported catalogue")
        return changed

    async def refresh_held(self) -> None:
        """Re-read the seats registrations hold (after any change to them), so
        that cards say "full" when the bot has filled a group."""
        held = await registrations_repo.held_by_group(self.db.reader)
        self._held.clear()
        self._held.update(held)

    async def _install(self, catalogue: Catalogue) -> None:
        view = CatalogueView(catalogue, held=self._held)

        # Building the engine (word lists, BM25 indexes) takes a while on a
        # large catalogue: off the loop, so learners are answered meanwhile.
        docs, surfaces = await off_loop(build_index, catalogue)
        self._engine = await off_loop(SearchEngine, view, docs, surfaces=surfaces)
        self._view = view
        # An import may have offered seats to the waiting lists.
        await self.refresh_held()

    async def source_text(self) -> str | None:
        """The file of the catalogue in use, as it was written."""
        return await catalogue_repo.latest_text(self.db.reader)

    async def preview_text(
        self, text: str, source: str
    ) -> tuple[ValidationReport, ImportSummary | None]:
        """Validate an uploaded catalogue and what importing it would change
        (nothing is changed)."""
        report, summary = await self._import_checked(text, source, dry_run=True)
        return report, summary

    async def import_text(
        self, text: str, source: str
    ) -> tuple[ValidationReport, ImportSummary | None]:
        report, summary = await self._import_checked(text, source, dry_run=False)
        if summary is None or report.catalogue is None:
            return report, summary
        self._import_id = await catalogue_repo.latest_import(self.db.reader)
        await self._install(report.catalogue)
        return report, summary

    async def _import_checked(
        self, text: str, source: str, dry_run: bool
    ) -> tuple[ValidationReport, ImportSummary | None]:
        """Validate the text, then import it (or only work out what would
        change); seats the import would take from registrations refuse it."""
        report = await off_loop(load_text, text)
        if not report.ok or report.catalogue is None:
            return report, None
        try:
            summary = await import_catalogue(
                self.db,
                report.catalogue,
                source,
                self.clock.now(),
                dry_run=dry_run,
                text=None if dry_run else text,
                offer_hold=self.offer_hold,
            )
        except SeatsRefused as exc:
            return _refused(report, exc, text), None
        return report, summary

    async def import_file(self, path: Path) -> tuple[ValidationReport, ImportSummary | None]:
        report = await off_loop(load_file, path)
        if not report.ok or report.catalogue is None:
            return report, None
        text = await asyncio.to_thread(path.read_text, encoding="utf-8")
        try:
            summary = await import_catalogue(
                self.db,
                report.catalogue,
                str(path),
                self.clock.now(),
                text=text,
                offer_hold=self.offer_hold,
            )
        except SeatsRefused as exc:
            return _refused(report, exc, text), None
        self._import_id = await catalogue_repo.latest_import(self.db.reader)
        await self._install(report.catalogue)
        return report, summary
