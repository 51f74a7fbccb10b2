"""/privacy names every kind of data with why, how long (from the settings)
and who sees it; /forget says what it takes, with counts."""

from __future__ import annotations

from pathlib import Path

from services.clock import FixedClock
from services.container import Services
from services.privacy import Holdings
from tests.conftest import NOW
from tests.handlers.conftest import Chat
from texts.i18n import translator
from texts.privacy import forget_question

GROUP = "driving-b-2027-01-evening"


async def test_privacy_lists_every_kind_of_data_with_its_keeping_time(
    english_learner: Chat,
) -> None:
    [reply] = await english_learner.say("/privacy")
    text = reply["text"]
    for kept in (
        "Telegram user id and the language you chose",
        "The questions you ask the bot",
        "The messages you send",
        "the name and phone number you gave",
        "the groups you follow",
        "hear when a group opens",
    ):
        assert kept in text, kept
    # RETENTION_DAYS and the unfinished-enquiry timeout, as configured.
    assert "Deleted 365 days after it is closed." in text
    assert "An unfinished one is deleted after 30 minutes without a reply." in text
    assert "Who sees it" in text and "web console" in text
    # No longer the claim that enquiries stay until the learner erases them.
    assert "your questions until you erase them" not in text


async def test_privacy_in_lithuanian_counts_days_and_minutes_in_words(learner: Chat) -> None:
    [reply] = await learner.say("/privacy")
    assert "Užklausa ištrinama praėjus 365 dienoms po jos uždarymo." in reply["text"]
    assert "po 30 minučių be atsakymo" in reply["text"]


async def test_the_notice_follows_the_settings(tmp_path: Path) -> None:
    services = Services.create(
        tmp_path / "db", FixedClock(NOW), retention_days=21, draft_idle_minutes=1
    )
    retention = services.privacy.retention
    assert (retention.enquiry_days, retention.draft_minutes) == (21, 1)
    from texts.i18n import translator
    from texts.privacy import notice

    lt = notice(translator("lt"), "a@b.lt", retention)
    assert "praėjus 21 dienai" in lt and "po 1 minutės be atsakymo" in lt
    en = notice(translator("en"), "a@b.lt", retention)
    assert "Deleted 21 days after" in en and "after 1 minute without" in en


async def test_forget_says_what_goes_with_counts(english_learner: Chat, services: Services) -> None:
    user = english_learner.user_id
    draft = await services.enquiries.start(user, "en", "Is there an evening group?")
    draft = await services.enquiries.set_contact(user, draft, "+37061234567", "Ona")
    draft = await services.enquiries.consent(user, draft)
    await services.enquiries.submit(user, draft.nonce)
    await services.reminders.subscribe(user, GROUP)
    await services.reminders.join_waitlist(user, "cont-florist")
    await services.registrations.register(
        user_id=user,
        group_id=GROUP,
        lang="en",
        details={"name": "Ona", "phone": "+37061234567"},
        payment="self",
        payment_details=None,
        nonce="forget-test",
    )
    holdings = await services.privacy.holdings(user)
    [confirm] = await english_learner.say("/forget")
    text = confirm["text"]
    assert "• 1 enquiry to the centre, with the name and phone number you gave;" in text
    assert "• 1 group you follow for reminders;" in text
    assert f"• {holdings.reminders} reminders planned for you;" in text
    assert holdings.reminders > 1
    assert "• 1 place on a waiting list for a new group;" in text
    assert (
        "• 1 registration for a course group, with the details you gave; its seat goes to "
        "the next in line;" in text
    )
    assert "certificate" not in text  # none was issued


def test_forget_warns_that_certificates_can_no_longer_be_verified() -> None:
    holdings = Holdings(enquiries=0, groups=0, reminders=0, waitlist=0, certificates=2)
    lt = forget_question(translator("lt"), holdings)
    assert "• 2 jums išduoti pažymėjimai" in lt and "nebebus galima patikrinti" in lt
    en = forget_question(translator("en"), holdings)
    assert "• 2 certificates issued to you: they can no longer be verified" in en


async def test_forget_in_lithuanian_with_nothing_but_questions(learner: Chat) -> None:
    [confirm] = await learner.say("/forget")
    # Only what the learner has is listed: no "0 užklausų".
    assert "centrui su nurodytu" not in confirm["text"] and "• 0" not in confirm["text"]
    assert "• pasirinkta kalba ir užduoti klausimai;" in confirm["text"]
