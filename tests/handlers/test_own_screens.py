"""A learner asking in words about their own registrations, lessons or
enquiries gets what /my_courses, /schedule or /my_enquiries shows; one who has
none is answered from the catalogue, as before."""

from __future__ import annotations

from services.container import Services
from tests.handlers.conftest import Chat
from tests.registration_helpers import register_learner

GROUP = "nf-digital-skills-2026-12-evening"


async def test_asking_about_my_registration_shows_my_courses(
    learner: Chat, services: Services
) -> None:
    made = await register_learner(services, learner.user_id, GROUP)
    assert made.registration is not None
    [listing] = await learner.say("/my_courses")
    assert str(made.registration.id) in listing["text"]
    for typed in (
        "ar mano registracija patvirtinta?",
        "mano kursai",
        "ar as uzsiregistravau?",
        "kokios yra mano registracijos?",
        "what are my registrations?",
    ):
        [reply] = await learner.say(typed)
        assert reply["text"] == listing["text"], typed


async def test_asking_when_my_next_lesson_is_shows_my_schedule(
    english_learner: Chat, services: Services
) -> None:
    # A learner who follows no group is answered from the catalogue.
    [before] = await english_learner.say("when is my next lesson?")
    assert "Session 1" not in before["text"]
    await services.reminders.subscribe(english_learner.user_id, GROUP)
    [schedule] = await english_learner.say("/schedule")
    assert "Session 1" in schedule["text"], schedule["text"]
    [reply] = await english_learner.say("when is my next lesson?")
    assert reply["text"] == schedule["text"]


async def test_asking_about_my_enquiry_shows_my_enquiries(
    learner: Chat, services: Services
) -> None:
    enquiries = services.enquiries
    draft = await enquiries.start(learner.user_id, "lt", "Ar yra vakarinių grupių?")
    draft = await enquiries.set_contact(learner.user_id, draft, None, None)
    draft = await enquiries.consent(learner.user_id, draft)
    assert await enquiries.submit(learner.user_id, draft.nonce) is not None
    [listing] = await learner.say("/my_enquiries")
    [reply] = await learner.say("ar atsakėte į mano klausimą?")
    assert reply["text"] == listing["text"]
    assert reply["text"].startswith("Jūsų užklausos centrui")


async def test_with_nothing_of_their_own_the_catalogue_answers(english_learner: Chat) -> None:
    # Registered by phone, say: the bot has nothing to list, so the question
    # is answered as any question is.
    [empty] = await english_learner.say("/my_courses")
    [reply] = await english_learner.say("I want to cancel my registration")
    assert reply["text"] != empty["text"]
    assert "You have no registrations" not in reply["text"]
    # "My courses" with none of their own is the list of courses.
    [listing] = await english_learner.say("my courses")
    [programmes] = await english_learner.say("courses")
    assert listing["text"] == programmes["text"]


async def test_how_questions_about_my_registration_are_answered_from_the_catalogue(
    learner: Chat, services: Services
) -> None:
    await register_learner(services, learner.user_id, GROUP)
    [listing] = await learner.say("/my_courses")
    for typed in ("kaip apmokėti mano registraciją?", "kokių dokumentų reikia mano registracijai?"):
        [reply] = await learner.say(typed)
        assert reply["text"] != listing["text"], typed


async def test_my_courses_says_the_next_session_in_words(
    english_learner: Chat, services: Services
) -> None:
    await register_learner(services, english_learner.user_id, GROUP, lang="en")
    [listing] = await english_learner.say("/my_courses")
    # The group's first session, as its card says it: weekday, date, time.
    assert (
        "Next session: Session 1 – computer basics, files and folders, Tue 1 Dec 17:30"
        in (listing["text"])
    ), listing["text"]


async def test_a_cancelled_registration_reads_as_cancelled_in_lithuanian(
    learner: Chat, services: Services
) -> None:
    # "Registracija" is feminine: its status agrees with it ("atšaukta"),
    # where a cancelled broadcast is "atšauktas".
    made = await register_learner(services, learner.user_id, GROUP)
    assert made.registration is not None
    await services.registrations.cancel(made.registration.id, learner.user_id)
    [listing] = await learner.say("/my_courses")
    assert "\natšaukta" in listing["text"], listing["text"]
    assert "atšauktas" not in listing["text"]


async def test_schedule_says_a_registration_awaits_confirmation(
    english_learner: Chat, services: Services
) -> None:
    # Registered but not yet confirmed, the learner follows no group: the
    # schedule says why it is empty instead of "you follow nothing".
    made = await register_learner(services, english_learner.user_id, GROUP, lang="en")
    assert made.registration is not None
    [schedule] = await english_learner.say("/schedule")
    assert schedule["text"].startswith(
        f"Your registration {made.registration.id} is waiting for the centre's confirmation"
    ), schedule["text"]
