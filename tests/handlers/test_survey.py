"""The feedback survey after a group ends: asked once, in the learner's
language, three ratings as buttons and an optional comment, kept without
the learner's identity."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.application import VtcApplication
from bot.transport.survey_sender import SurveySender
from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from tests.conftest import ADMIN_ID
from tests.handlers.conftest import Chat, buttons, callback_data
from tests.registration_helpers import add_registration

GROUP = "pd-digital-didactics-2027-01"
# The day after the seminar's last day (20 January 2027).
AFTER_END = dt.datetime(2027, 1, 21, 9, 0, tzinfo=dt.UTC)


def _sent_to(emu: BotApiEmulator, before: int, chat_id: int) -> list[dict[str, Any]]:
    return [
        e["message"] for e in emu.events(before) if e["kind"] == "sent" and e["chat_id"] == chat_id
    ]


async def test_a_participant_is_asked_once_and_answers_anonymously(
    services: Services,
    clock: FixedClock,
    offline_app: tuple[VtcApplication, BotApiEmulator],
    english_learner: Chat,
    learner: Chat,
) -> None:
    app, emu = offline_app
    # They registered through the bot, so the bot has their chats.
    await english_learner.say("/start")
    await learner.say("/start")
    await add_registration(services, english_learner.user_id, GROUP, name="Ann Smith", lang="en")
    await add_registration(services, learner.user_id, GROUP, name="Ona Onaitė", lang="lt")
    await add_registration(services, 2003, GROUP, status="waiting")
    await add_registration(services, 2004, GROUP, status="cancelled")
    sender = SurveySender(app.bot, services)

    # Before the group has ended nobody is asked.
    assert await sender.run() == 0
    clock.at = AFTER_END
    before = emu.state.last_event_seq
    assert await sender.run() == 2
    # Asked once: the next rounds send nothing.
    assert await sender.run() == 0
    [invitation] = _sent_to(emu, before, english_learner.user_id)
    assert "Digital didactics in VET" in invitation["text"]
    assert "optional" in invitation["text"] and "without your name" in invitation["text"]
    assert "1/3. How useful was the content of the course?" in invitation["text"]
    assert buttons(invitation) == ["1", "2", "3", "4", "5"]
    [lithuanian] = _sent_to(emu, before, learner.user_id)
    assert "Kiek naudingas buvo mokymų turinys?" in lithuanian["text"]
    assert not _sent_to(emu, before, 2003) and not _sent_to(emu, before, 2004)

    [teacher] = await english_learner.press(invitation, "4")
    assert "2/3. How did you like the teacher?" in teacher["text"]
    [organisation] = await english_learner.press(teacher, "5")
    assert "3/3." in organisation["text"]
    [comment] = await english_learner.press(organisation, "3")
    assert "Anything else" in comment["text"] and buttons(comment) == ["Skip"]
    [thanks] = await english_learner.say("More practice with the simulators, please.")
    assert "Thank you!" in thanks["text"]
    # Pressing a rating again (an old copy of the buttons) changes nothing.
    [again] = await english_learner.press_data(
        invitation["message_id"], callback_data(invitation)[0]
    )
    assert "answered this survey already" in again["text"]
    # The next text is a question for the catalogue again.
    answer = await english_learner.say("how much is the forklift course?")
    assert all("Thank you!" not in m["text"] for m in answer)

    # The Lithuanian participant rates and skips the comment.
    [second] = await learner.press(lithuanian, "2")
    [third] = await learner.press(second, "2")
    [last] = await learner.press(third, "1")
    [skipped] = await learner.press(last, "Praleisti")
    assert "Ačiū!" in skipped["text"]

    results = await services.surveys.results(ADMIN_ID, None, GROUP)
    assert results.answers == 2
    averages = {r.question: r.average for r in results.questions}
    assert averages == {"content": 3.0, "teacher": 3.5, "organisation": 2.0}
    assert [a.comment for a in results.comments] == ["More practice with the simulators, please."]
    # The answers carry no identity: no user, no registration, the day only.
    async with services.db.reader.execute("PRAGMA table_info(survey_answers)") as cur:
        columns = {row[1] async for row in cur}
    assert not columns & {"user_id", "registration_id", "chat_id"}
    assert {a.day for a in await services.surveys.answers(ADMIN_ID, None, GROUP)} == {"2027-01-21"}


async def test_someone_elses_survey_buttons_do_nothing(
    services: Services,
    clock: FixedClock,
    offline_app: tuple[VtcApplication, BotApiEmulator],
    english_learner: Chat,
    learner: Chat,
) -> None:
    app, emu = offline_app
    await english_learner.say("/start")
    own = (await learner.say("/start"))[-1]
    registration = await add_registration(services, english_learner.user_id, GROUP, lang="en")
    clock.at = AFTER_END
    before = emu.state.last_event_seq
    await SurveySender(app.bot, services).run()
    assert len(_sent_to(emu, before, english_learner.user_id)) == 1
    # Another learner forges the button's data under a message of their own.
    data = f"1|U|r|{registration}|c|5"
    assert await learner.press_data(own["message_id"], data) == []
    assert (await services.surveys.results(ADMIN_ID, None, GROUP)).answers == 0


async def test_ratings_left_without_a_comment_are_kept_without_one(
    services: Services,
    clock: FixedClock,
    offline_app: tuple[VtcApplication, BotApiEmulator],
    english_learner: Chat,
) -> None:
    app, emu = offline_app
    await english_learner.say("/start")
    await add_registration(services, english_learner.user_id, GROUP, lang="en")
    clock.at = AFTER_END
    before = emu.state.last_event_seq
    sender = SurveySender(app.bot, services)
    await sender.run()
    [invitation] = _sent_to(emu, before, english_learner.user_id)
    [teacher] = await english_learner.press(invitation, "5")
    [organisation] = await english_learner.press(teacher, "5")
    await english_learner.press(organisation, "4")
    clock.advance(dt.timedelta(hours=1))
    await sender.run()
    results = await services.surveys.results(ADMIN_ID, None, GROUP)
    assert results.answers == 1 and results.comments == []
    # An hour later a text is a question again, not a comment.
    answer = await english_learner.say("how much is the forklift course?")
    assert all("Thank you!" not in m["text"] for m in answer)


async def test_my_data_says_the_answers_were_given_and_kept_anonymously(
    services: Services,
    clock: FixedClock,
    offline_app: tuple[VtcApplication, BotApiEmulator],
    english_learner: Chat,
) -> None:
    app, emu = offline_app
    await english_learner.say("/start")
    await add_registration(services, english_learner.user_id, GROUP, lang="en")
    clock.at = AFTER_END
    before = emu.state.last_event_seq
    await SurveySender(app.bot, services).run()
    [invitation] = _sent_to(emu, before, english_learner.user_id)
    exported = await services.privacy.export(english_learner.user_id)
    assert exported["feedback_surveys"] == [
        {"group_id": GROUP, "asked_at": AFTER_END.isoformat(), "answers": "not given"}
    ]
    [teacher] = await english_learner.press(invitation, "5")
    [organisation] = await english_learner.press(teacher, "4")
    await english_learner.press(organisation, "3")
    await english_learner.say("The room was too cold.")
    exported = await services.privacy.export(english_learner.user_id)
    [survey] = exported["feedback_surveys"]
    assert survey["answers"] == "given, kept anonymously"
    assert "The room was too cold." not in str(exported["feedback_surveys"])
