"""A learner's data: everything stored about them, and erasing it (GDPR art. 15, 17)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from services.clock import Clock
from storage import privacy_repo
from storage.database import Database

log = logging.getLogger(__name__)


class PrivacyService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def export(self, user_id: int) -> dict[str, Any]:
        data = await privacy_repo.export(self.db.reader, user_id)
        return {
            "telegram_user_id": user_id,
            "exported_at": self.clock.now().astimezone(dt.UTC).isoformat(),
            **data,
        }

    async def export_json(self, user_id: int) -> bytes:
        return json.dumps(await self.export(user_id), ensure_ascii=False, indent=2).encode()

    async def forget(self, user_id: int) -> dict[str, int]:
        """Erase the learner's personal data and flush it out of the write-ahead log."""
        async with self.db.transaction() as conn:
            counts = await privacy_repo.erase(conn, user_id)
        await self.db.checkpoint()
        log.info("erased the data of a learner on request: %s", counts)
        return counts
