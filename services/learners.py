"""Learners and the language they are spoken to in."""

from __future__ import annotations

import datetime as dt

from domain.languages import DEFAULT_LANGUAGE, LANGUAGES
from services.clock import Clock
from storage import learners_repo
from storage.database import Database


def pick_language(stored: str | None, telegram_language: str | None) -> str:
    """Their own choice, else Telegram's language when we speak it, else Lithuanian."""
    if stored in LANGUAGES:
        return stored
    base = (telegram_language or "").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


# Telegram sends an IETF language tag ("lt", "en-GB"); 35 characters is
# the longest a registered tag needs.
LANGUAGE_TAG_MAX = 35
# How stale "last seen" may get before a message refreshes it.
SEEN_PRECISION = dt.timedelta(hours=1)


class LearnerService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def language(self, user_id: int, telegram_language: str | None) -> str:
        """The language to write to them in; without `telegram_language` (a
        message the bot starts), the one Telegram reported when they last wrote."""
        row = await learners_repo.get(self.db.reader, user_id)
        if telegram_language is None and row is not None:
            telegram_language = row.telegram_language
        return pick_language(row.language if row else None, telegram_language)

    async def seen(self, user_id: int, telegram_language: str | None) -> str:
        """Record that the learner wrote, and return the language to answer in."""
        if telegram_language is not None and len(telegram_language) > LANGUAGE_TAG_MAX:
            telegram_language = None  # not a language tag: nothing to keep
        row = await learners_repo.get(self.db.reader, user_id)
        now = self.clock.now()
        # Writing again also ends "blocked the bot": broadcasts try them again.
        # "Last seen" (the dashboard's active learners) is kept to the hour:
        # a write per message would buy nothing.
        stale = row is not None and (
            row.last_seen is None or row.last_seen < (now - SEEN_PRECISION).isoformat()
        )
        if row is None or row.telegram_language != telegram_language or row.inactive or stale:
            async with self.db.transaction() as conn:
                await learners_repo.touch(conn, user_id, telegram_language, now.isoformat())
        return pick_language(row.language if row else None, telegram_language)

    async def wrote_in(self, user_id: int, telegram_language: str | None, written: str) -> None:
        """A learner whose Telegram speaks neither of our languages, and who
        never chose one, is answered in the one they write in ("hi, I want to
        become an electrician" from a Russian-language app gets English)."""
        # Only English is taken up: Lithuanian is the default anyway, and a
        # Lithuanian letter in a name ("Virėjas") must not fix a choice.
        if written != "en":
            return
        row = await learners_repo.get(self.db.reader, user_id)
        if row is not None and row.language in LANGUAGES:
            return
        if (telegram_language or "").split("-")[0].lower() in LANGUAGES:
            return
        await self.set_language(user_id, written)

    async def set_language(self, user_id: int, language: str) -> str:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        async with self.db.transaction() as conn:
            await learners_repo.set_language(conn, user_id, language, self.clock.now().isoformat())
        return language

    async def blocked(self, user_id: int) -> None:
        """They blocked the bot (a 403): left out of announcements until they write again."""
        async with self.db.transaction() as conn:
            await learners_repo.mark_inactive(conn, user_id, self.clock.now().isoformat())
