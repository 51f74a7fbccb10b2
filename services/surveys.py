"""The feedback survey after a group ends: confirmed participants are asked
once, in their language (three 1-5 ratings, then an optional comment); the
answers are stored without identity, and staff read the results per
programme and group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from services.catalogue_service import CatalogueService
from services.clock import Clock
from services.roles import Role, RoleService
from storage import surveys_repo
from storage.database import Database
from storage.surveys_repo import QUESTIONS, Answer, Draft, Invitee

__all__ = [
    "COMMENT_LENGTH",
    "QUESTIONS",
    "Answer",
    "Draft",
    "Invitee",
    "QuestionResult",
    "Results",
    "Step",
    "SurveyService",
]

# A group that ended longer ago than this is not surveyed any more (a late
# import of an old group must not ask people about a course of last year).
SURVEY_WITHIN_DAYS = 14
# How long after the last rating the learner's next text is their comment;
# after it the survey is kept without one.
COMMENT_WINDOW = dt.timedelta(minutes=30)
COMMENT_LENGTH = 1000


class Step(StrEnum):
    """What the learner is asked next after a rating."""

    NEXT = "next"  # the next rating (Outcome.question says which)
    COMMENT = "comment"
    DONE = "done"  # answered already: nothing changes
    REFUSED = "refused"  # not their survey, or not a rating


@dataclass(frozen=True)
class Rated:
    step: Step
    question: str | None = None  # with NEXT: the question to ask


@dataclass(frozen=True)
class QuestionResult:
    question: str
    count: int
    average: float | None
    distribution: list[int]  # answers giving 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Results:
    answers: int
    questions: list[QuestionResult]
    comments: list[Answer]


class SurveyService:
    def __init__(
        self, db: Database, clock: Clock, roles: RoleService, catalogue: CatalogueService
    ) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles
        self.catalogue = catalogue

    def _now(self) -> str:
        return self.clock.now().astimezone(dt.UTC).isoformat()

    def _today(self) -> dt.date:
        return self.clock.now().astimezone(self.catalogue.view.zone).date()

    async def due(self, limit: int = 200) -> list[Invitee]:
        """Confirmed participants of groups that ended lately, not asked yet."""
        today = self._today()
        oldest = today - dt.timedelta(days=SURVEY_WITHIN_DAYS)
        ended = [
            group_id
            for group_id, (_p, group) in self.catalogue.view.groups.items()
            if oldest <= group.ends < today
        ]
        return await surveys_repo.uninvited(self.db.reader, ended, limit)

    async def invite(self, registration_id: int) -> bool:
        """Claim the invitation before it is sent: True once, so nobody is
        asked twice (a crash in between loses one invitation, never doubles it)."""
        async with self.db.transaction() as conn:
            return await surveys_repo.invite(conn, registration_id, self._now())

    async def rate(self, user_id: int, registration_id: int, question: str, value: int) -> Rated:
        if question not in QUESTIONS or not 1 <= value <= 5:
            return Rated(Step.REFUSED)
        async with self.db.transaction() as conn:
            draft = await surveys_repo.draft(conn, registration_id, user_id)
            if draft is None:
                return Rated(Step.REFUSED)
            if draft.answered:
                return Rated(Step.DONE)
            await surveys_repo.rate(conn, registration_id, question, value, self._now())
        following = QUESTIONS[QUESTIONS.index(question) + 1 :]
        if following:
            return Rated(Step.NEXT, following[0])
        return Rated(Step.COMMENT)

    async def awaiting_comment(self, user_id: int) -> Draft | None:
        """The survey whose comment the learner's next text is, if any."""
        since = (self.clock.now() - COMMENT_WINDOW).astimezone(dt.UTC).isoformat()
        return await surveys_repo.awaiting_comment(self.db.reader, user_id, since)

    async def finish(self, user_id: int, registration_id: int, comment: str | None) -> bool:
        """Store the answer without identity (comment None: skipped); False
        when it was finished already or is not the learner's."""
        text = " ".join((comment or "").split())[:COMMENT_LENGTH] or None
        async with self.db.transaction() as conn:
            draft = await surveys_repo.draft(conn, registration_id, user_id)
            if draft is None or draft.answered:
                return False
            return await surveys_repo.finish(conn, registration_id, text, self._today().isoformat())

    async def finish_stale(self) -> int:
        """Surveys rated but left without a comment are kept without one."""
        before = (self.clock.now() - COMMENT_WINDOW).astimezone(dt.UTC).isoformat()
        done = 0
        async with self.db.transaction() as conn:
            for registration_id in await surveys_repo.stale(conn, before):
                done += await surveys_repo.finish(
                    conn, registration_id, None, self._today().isoformat()
                )
        return done

    async def answers(
        self, actor_id: int, programme_id: str | None, group_id: str | None
    ) -> list[Answer]:
        await self.roles.require(actor_id, Role.STAFF, "survey_read", group_id or programme_id)
        return await surveys_repo.answers(self.db.reader, programme_id, group_id)

    async def results(
        self, actor_id: int, programme_id: str | None, group_id: str | None
    ) -> Results:
        """Averages and distributions per question, and the comments, newest first."""
        answers = await self.answers(actor_id, programme_id, group_id)
        return summarise(answers)


def summarise(answers: list[Answer]) -> Results:
    questions = []
    for question in QUESTIONS:
        given = [a.ratings[question] for a in answers if a.ratings[question] is not None]
        values = [v for v in given if v is not None]
        distribution = [values.count(n) for n in range(1, 6)]
        average = round(sum(values) / len(values), 2) if values else None
        questions.append(QuestionResult(question, len(values), average, distribution))
    comments = [a for a in reversed(answers) if a.comment]
    return Results(len(answers), questions, comments)
