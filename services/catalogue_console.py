"""The catalogue from the web console: upload a file, read its validation
report and what it would change, apply it (admins only, audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.catalogue.validation import ValidationReport
from services.catalogue_importer import ImportSummary
from services.catalogue_service import CatalogueService
from services.clock import Clock
from services.roles import Role, RoleService
from storage import catalogue_repo, catalogue_uploads_repo
from storage.database import Database

# A catalogue is a few hundred kilobytes; anything much larger is a mistake.
MAX_BYTES = 2 * 1024 * 1024
KEEP = dt.timedelta(days=7)


class TooLarge(ValueError):
    """The file is over MAX_BYTES."""


class NotText(ValueError):
    """The file is not UTF-8 text."""


class Outdated(ValueError):
    """Another catalogue was imported since this file was checked."""


@dataclass(frozen=True)
class Preview:
    upload_id: int | None  # None: not valid, nothing to apply
    file_name: str
    report: ValidationReport
    summary: ImportSummary | None


class CatalogueConsole:
    def __init__(
        self, db: Database, clock: Clock, roles: RoleService, catalogue: CatalogueService
    ) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles
        self.catalogue = catalogue

    async def preview(self, actor_id: int, file_name: str, data: bytes) -> Preview:
        await self.roles.require(actor_id, Role.ADMIN, "catalogue_upload", file_name)
        if len(data) > MAX_BYTES:
            raise TooLarge()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NotText() from exc
        based_on = await catalogue_repo.latest_import(self.db.reader)
        report, summary = await self.catalogue.preview_text(text, file_name)
        upload_id = None
        if summary is not None:
            now = self.clock.now()
            async with self.db.transaction() as conn:
                await catalogue_uploads_repo.forget_before(conn, (now - KEEP).isoformat())
                upload_id = await catalogue_uploads_repo.add(
                    conn, actor_id, file_name, text, now.isoformat(), based_on
                )
        await self.roles.audit(actor_id, "catalogue_upload", file_name)
        return Preview(upload_id, file_name, report, summary)

    async def apply(
        self, actor_id: int, upload_id: int
    ) -> tuple[ValidationReport, ImportSummary | None] | None:
        """Import an uploaded file once; None if unknown or already applied."""
        await self.roles.require(actor_id, Role.ADMIN, "catalogue_apply", str(upload_id))
        stored = await catalogue_uploads_repo.get(self.db.reader, upload_id)
        if stored is None or stored[2] is not None:
            return None
        file_name, text, _, based_on = stored
        if based_on != await catalogue_repo.latest_import(self.db.reader):
            # Its diff was made against a catalogue no longer in use.
            raise Outdated()
        async with self.db.transaction() as conn:
            if not await catalogue_uploads_repo.mark_applied(
                conn, upload_id, self.clock.now().isoformat()
            ):
                return None
        result = await self.catalogue.import_text(text, f"console:{file_name}")
        await self.roles.audit(actor_id, "catalogue_apply", file_name)
        return result
