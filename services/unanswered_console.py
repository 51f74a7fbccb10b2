"""Questions the bot could not answer, grouped by similarity, and turning
them into FAQ wordings of the next catalogue version (downloaded, checked,
uploaded again: the catalogue file stays the source of truth)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from dataclasses import dataclass, field

import yaml
from babel import Locale
from rapidfuzz import fuzz

from domain.languages import LANGUAGES
from services.catalogue.round_trip import with_additions
from services.catalogue.schema import SLUG_PATTERN, TOPICS
from services.catalogue_service import CatalogueService
from services.clock import Clock
from services.roles import Role, RoleService
from services.search.normalise import fold
from storage import faq_additions_repo, question_log_repo
from storage.database import Database
from storage.question_log_repo import QuestionRecord

# Two questions this similar (rapidfuzz's token set ratio, 0-100, on the
# folded text) are taken as the same question asked twice.
SIMILAR = 72
RECENT = 1000
# Past this many distinct questions, the rarer new ones are left out of the page.
MAX_GROUPS = 300


@dataclass
class QuestionGroup:
    text: str  # the first wording seen, as typed
    lang: str
    count: int = 0
    examples: list[str] = field(default_factory=list)
    last_asked: str = ""
    key: str = ""
    ids: list[int] = field(default_factory=list)  # the question log's rows


def _group(
    records: list[tuple[int, QuestionRecord]], known: frozenset[str] = frozenset()
) -> list[QuestionGroup]:
    """Similar questions together; a question whose wording is in the
    catalogue (`known`: FAQ wordings, folded) is not listed: it was handled
    when that wording reached the catalogue."""
    groups: list[QuestionGroup] = []
    for row_id, record in records:
        text = record.text.strip()
        if not text:
            continue  # erased at the learner's request
        key = fold(text)
        if key in known:
            continue
        match = next(
            (
                g
                for g in groups
                if g.lang == record.lang and fuzz.token_set_ratio(key, g.key) >= SIMILAR
            ),
            None,
        )
        if match is None:
            if len(groups) >= MAX_GROUPS:
                continue
            match = QuestionGroup(text, record.lang, key=key)
            groups.append(match)
        match.count += 1
        match.ids.append(row_id)
        if text not in match.examples and len(match.examples) < 5:
            match.examples.append(text)
        match.last_asked = max(match.last_asked, record.asked_at)
    return sorted(groups, key=lambda g: (-g.count, g.text))


@dataclass(frozen=True)
class LanguageCount:
    code: str  # ISO 639-1, or "other" (a script none of the detected languages use)
    name: str  # in the reader's language; empty for "other" (the page words it)
    learners: int
    spoken: bool  # one the bot answers in


def language_name(code: str, reader_lang: str) -> str:
    """'rusų' / 'Russian' for 'ru', from CLDR; empty when CLDR does not know it."""
    return str(Locale.parse(reader_lang).languages.get(code, "")) if code != "other" else ""


class UnansweredConsole:
    def __init__(
        self, db: Database, clock: Clock, roles: RoleService, catalogue: CatalogueService
    ) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles
        self.catalogue = catalogue

    async def groups(self, actor_id: int) -> list[QuestionGroup]:
        """The recent unanswered questions, similar ones together, most asked first."""
        await self.roles.require(actor_id, Role.STAFF, "unanswered_read", None)
        records = await question_log_repo.unanswered_open(self.db.reader, RECENT)
        known = frozenset(
            fold(wording)
            for entry in self.catalogue.view.catalogue.faq
            for lang in LANGUAGES
            for wording in entry.questions.get(lang)
        )
        # Hundreds of thousands of comparisons: in a thread, not on the loop
        # the bot answers learners from.
        return await asyncio.to_thread(_group, records, known)

    async def set_aside(self, actor_id: int, key: str, state: str) -> int:
        """Dismiss (junk) or mark handled the group of questions whose key is
        `key`: its questions leave the work list. How many were set aside."""
        await self.roles.require(actor_id, Role.STAFF, "unanswered_dismiss", key[:60])
        if state not in ("dismissed", "handled"):
            return 0
        group = next((g for g in await self.groups(actor_id) if g.key == key), None)
        if group is None:
            return 0
        async with self.db.transaction() as conn:
            marked = await question_log_repo.mark(
                conn, group.ids, state, actor_id, self.clock.now().isoformat()
            )
        await self.roles.audit(actor_id, "unanswered_dismiss", f"{len(group.ids)}:{state}")
        return marked

    async def new_faq(
        self,
        actor_id: int,
        entry_id: str,
        topic: str,
        lang: str,
        question: str,
        answers: tuple[str, str],
    ) -> str | None:
        """Start a new FAQ entry for the next catalogue version; None when it
        was added, else what is wrong: 'id', 'id_taken', 'topic', 'text'."""
        await self.roles.require(actor_id, Role.ADMIN, "faq_add", entry_id[:60])
        entry_id = entry_id.strip().lower()
        if not re.fullmatch(SLUG_PATTERN, entry_id) or len(entry_id) > 120:
            return "id"
        if entry_id in self.catalogue.view.faq:
            return "id_taken"
        if topic not in TOPICS:
            return "topic"
        question = " ".join(question.split())[:300]
        answer_lt, answer_en = (" ".join(a.split())[:4000] for a in answers)
        # The catalogue answers in both languages.
        if lang not in LANGUAGES or not question or not answer_lt or not answer_en:
            return "text"
        async with self.db.transaction() as conn:
            added = await faq_additions_repo.add_entry(
                conn,
                entry_id,
                topic,
                lang,
                question,
                (answer_lt, answer_en),
                actor_id,
                self.clock.now().isoformat(),
            )
        if not added:
            return "id_taken"
        await self.roles.audit(actor_id, "faq_add", entry_id)
        return None

    async def languages(self, actor_id: int, reader_lang: str) -> list[LanguageCount]:
        """How many learners wrote in each detected language, most first: the
        centre's evidence for answering in one more."""
        await self.roles.require(actor_id, Role.STAFF, "unanswered_read", None)
        counts = await question_log_repo.learners_per_language(self.db.reader)
        return [
            LanguageCount(code, language_name(code, reader_lang), n, code in LANGUAGES)
            for code, n in counts
        ]

    async def add_to_faq(self, actor_id: int, faq_id: str, lang: str, text: str) -> bool:
        await self.roles.require(actor_id, Role.ADMIN, "faq_add", faq_id)
        text = " ".join(text.split())[:300]
        if faq_id not in self.catalogue.view.faq or lang not in LANGUAGES or not text:
            return False
        async with self.db.transaction() as conn:
            added = await faq_additions_repo.add(
                conn, faq_id, lang, text, actor_id, self.clock.now().isoformat()
            )
        await self.roles.audit(actor_id, "faq_add", faq_id)
        return added

    async def next_catalogue(self, actor_id: int) -> str:
        """The catalogue in use with the wordings and entries added in the
        console: its own file (comments and layout kept) when it is stored,
        else written out from the data."""
        await self.roles.require(actor_id, Role.ADMIN, "catalogue_download", None)
        wordings = await faq_additions_repo.all_(self.db.reader)
        entries = [
            {
                "id": entry_id,
                "topic": topic,
                "questions": {lang: [question]},
                "answer": {"lt": answer_lt, "en": answer_en},
            }
            for entry_id, topic, lang, question, answer_lt, answer_en in (
                await faq_additions_repo.new_entries(self.db.reader)
            )
        ]
        source = await self.catalogue.source_text()
        if source is not None:
            return await asyncio.to_thread(with_additions, source, wordings, entries)
        data = self.catalogue.view.catalogue.model_dump(mode="json")
        header = (
            f"# Catalogue downloaded from the console on "
            f"{self.clock.now().astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC, with the FAQ "
            "wordings added there.\n# Check it, then upload it on the Catalogue page.\n"
        )
        text = header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        return await asyncio.to_thread(with_additions, text, wordings, entries)
