"""Answer a learner's free-text question and keep the question log."""

from __future__ import annotations

import datetime as dt

from services.catalogue_service import CatalogueService
from services.clock import Clock
from services.search.engine import FOLLOW_UP_INTENTS, SearchResult
from storage import chat_topics_repo, question_log_repo
from storage.database import Database
from storage.question_log_repo import QuestionRecord

# A follow-up ("kiek kainuoja?") refers to a card answered this recently.
FOLLOW_UP_WINDOW = dt.timedelta(minutes=30)


class AnswerService:
    def __init__(self, db: Database, catalogue: CatalogueService, clock: Clock) -> None:
        self.db = db
        self.catalogue = catalogue
        self.clock = clock

    async def ask(
        self,
        text: str,
        lang: str,
        *,
        user_id: int | None = None,
        update_id: int | None = None,
        chat_id: int | None = None,
        message_id: int | None = None,
        log: bool = True,
        detected_lang: str | None = None,
    ) -> SearchResult:
        result = await self._read_in_context(text, chat_id)
        # The course the answer is about, for follow-ups: its first card, or
        # a course the question named beside an FAQ answer ("kiek kainuoja B
        # kategorija?" answered by the driving prices: "kiek kainuoja?" next
        # is about category B, not the course shown before).
        best = next((h for h in result.hits if h.type in chat_topics_repo.TOPIC_TYPES), None)
        shows_course = best is not None
        if not log and not (shows_course and chat_id is not None):
            return result
        where = (user_id, update_id, chat_id, message_id)
        record = self._record(text, lang, result, where, detected_lang)
        # The question's log row and the course it showed: one write.
        async with self.db.transaction() as conn:
            if shows_course and chat_id is not None and best is not None:
                await chat_topics_repo.remember(
                    conn, chat_id, user_id, best.type, best.id, self.clock.now().isoformat()
                )
            if log:
                await question_log_repo.add(conn, record)
        return result

    async def _read_in_context(self, text: str, chat_id: int | None) -> SearchResult:
        """ "Kiek kainuoja?" right after the welder card is the welder card's price;
        as a first message it asks which course is meant."""
        engine = self.catalogue.engine
        result = await engine.search(text)
        # "O kiek turnka?" is a follow-up too: every reading below sees the
        # question as the search mended it (slips of everyday words), once.
        text = result.query
        intent = engine.follow_up(text)
        if intent is not None and chat_id is not None:
            since = (self.clock.now() - FOLLOW_UP_WINDOW).isoformat()
            previous = await chat_topics_repo.recent(self.db.reader, chat_id, since)
            hit = engine.refer(*previous, text) if previous is not None else None
            if hit is not None:
                return SearchResult(text, intent, [hit])
        # With no course shown, an FAQ answer whose question was said in full
        # stands ("kiek trunka pamoka?" is the academic hour); a card the
        # words happen to share does not ("ar liko vietų?" is not the
        # mentors' course, "when does it start?" not the documents): which course?
        if result.hits:
            by_chance = result.hits[0].type != "faq" or not result.named
        else:
            # Choices between FAQ entries stand ("nuo kiek metų galima
            # stoti?"), but every entry has a price: "kiek kainuoja?" of which?
            by_chance = not result.choices or intent == "price"
        # "Noriu mokytis", "what other courses do you have?" name no course
        # either: which one, with the lists to choose from.
        vague = intent in FOLLOW_UP_INTENTS or engine.names_nothing(text)
        if vague and by_chance:
            return SearchResult(
                text, intent or result.intent, [], result.candidates, needs_topic=True
            )
        return result

    async def shown(
        self, chat_id: int, user_id: int | None, entry_type: str, entry_id: str
    ) -> None:
        """A card was shown in the chat: a course's card becomes what a
        follow-up there is about (an FAQ answer leaves the course as it was)."""
        if entry_type not in chat_topics_repo.TOPIC_TYPES:
            return
        async with self.db.transaction() as conn:
            await chat_topics_repo.remember(
                conn, chat_id, user_id, entry_type, entry_id, self.clock.now().isoformat()
            )

    async def forget_old_topics(self) -> int:
        """Retention: a chat's last course card is kept only while a
        follow-up may still refer to it."""
        before = (self.clock.now() - FOLLOW_UP_WINDOW).isoformat()
        async with self.db.transaction() as conn:
            return await chat_topics_repo.purge(conn, before)

    async def log_foreign(
        self,
        text: str,
        lang: str,
        detected_lang: str | None,
        *,
        user_id: int | None = None,
        update_id: int | None = None,
        chat_id: int | None = None,
        message_id: int | None = None,
    ) -> None:
        """A question in a language the bot does not speak: not searched, logged as
        unanswered (staff see it, and which language it was in)."""
        unsearched = SearchResult(query=text, intent="foreign", hits=[])
        where = (user_id, update_id, chat_id, message_id)
        record = self._record(text, lang, unsearched, where, detected_lang)
        async with self.db.transaction() as conn:
            await question_log_repo.add(conn, record)

    def _record(
        self,
        text: str,
        lang: str,
        result: SearchResult,
        where: tuple[int | None, int | None, int | None, int | None],
        detected_lang: str | None,
    ) -> QuestionRecord:
        """The question and what became of it; `where`: (user, update, chat, message)."""
        user_id, update_id, chat_id, message_id = where
        ranked = result.hits or result.candidates
        top = ranked[0] if ranked else None
        return QuestionRecord(
            update_id=update_id,
            chat_id=chat_id,
            message_id=message_id,
            user_id=user_id,
            lang=lang,
            text=text,
            intent=result.intent,
            top_type=top.type if top else None,
            top_id=top.id if top else None,
            score=top.score if top else None,
            answered=bool(result.hits),
            asked_at=self.clock.now().isoformat(),
            detected_lang=detected_lang,
        )

    async def logged_id(self, chat_id: int, message_id: int) -> int | None:
        """The question-log row of the question asked by this message (after ask);
        an answer's "Was this helpful?" buttons name it."""
        return await question_log_repo.id_for_message(self.db.reader, chat_id, message_id)

    async def last_unanswered(self, user_id: int) -> str | None:
        """The learner's latest question the bot could not answer (to pass on to staff)."""
        return await question_log_repo.last_unanswered_text(self.db.reader, user_id)
