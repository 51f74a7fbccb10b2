"""/my_data returns everything; after /forget the database file no longer
holds the learner's name or words."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from tests.conftest import DEMO
from vtcbot.runner import BotRunner

NAME = "Žemyna Unikalytė"
QUESTION = "ar mokote pinti krepšius iš karklų vytelių"


def _stored(db: Path) -> bytes:
    """The database file and its write-ahead log, as bytes on disk."""
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def _wait_for_edit(emulator: BotApiEmulator, chat_id: int, since: int) -> dict:  # type: ignore[type-arg]
    while True:
        events = await emulator.wait_for_events(since, timeout=5)
        assert events, "no edit"
        for event in events:
            if event["kind"] == "edited" and event["chat_id"] == chat_id:
                return event["message"]  # type: ignore[no-any-return]
        since = events[-1]["seq"]


async def test_my_data_then_forget(
    running_bot: BotRunner, emulator: BotApiEmulator, services: Services
) -> None:
    user = 777
    emulator.send_text(user, "/start", first_name=NAME, language_code="lt")
    emulator.send_text(user, QUESTION)
    emulator.send_text(user, "/my_data")
    await emulator.wait_for_messages(user, 3)
    [document] = emulator.documents(user)
    assert document["file_name"] == "my-data.json"
    data = json.loads(__import__("base64").b64decode(document["data_base64"]))
    assert data["telegram_user_id"] == user
    assert data["learner"]["telegram_language"] == "lt"
    assert [q["text"] for q in data["questions"]] == [QUESTION]
    senders = {m["payload"]["message"]["from"]["first_name"] for m in data["messages_received"]}
    assert senders == {NAME}

    db = Path(services.db.path)
    assert NAME.encode() in _stored(db) and QUESTION.encode() in _stored(db)

    emulator.send_text(user, "/forget")
    [*_, confirm] = await emulator.wait_for_messages(user, 4)
    seq = emulator.state.last_event_seq
    emulator.press(user, confirm["message_id"], "Taip, ištrinti mano duomenis")
    done = await _wait_for_edit(emulator, user, seq)
    assert done["text"] == "Atlikta: jūsų duomenys ištrinti."
    await running_bot.stop()  # nothing more is written

    stored = _stored(db)
    assert NAME.encode() not in stored
    assert QUESTION.encode() not in stored
    export = await services.privacy.export(user)
    assert export["learner"] is None and export["messages_received"] == []
    # The question stays counted for statistics, without its words or asker.
    async with services.db.reader.execute(
        "SELECT COUNT(*) FROM question_log WHERE text = '' AND user_id IS NULL"
    ) as cur:
        row = await cur.fetchone()
    assert row is not None and row[0] == 1


async def test_privacy_notice_in_both_languages(
    running_bot: BotRunner, emulator: BotApiEmulator
) -> None:
    emulator.send_text(778, "/privacy", language_code="en")
    emulator.send_text(779, "/privacy", language_code="lt")
    [en] = await emulator.wait_for_messages(778, 1)
    [lt] = await emulator.wait_for_messages(779, 1)
    assert en["text"].startswith("Your data and this bot")
    assert "/forget" in en["text"] and "info@demo-prc.example.lt" in en["text"]
    assert lt["text"].startswith("Jūsų duomenys ir šis botas")


async def test_forget_anonymises_enquiries(services: Services) -> None:
    enquiries = services.enquiries
    user = 880
    draft = await enquiries.start(user, "lt")
    draft = await enquiries.set_text(user, draft, "Noriu sužinoti apie vytelių pynimą")
    draft = await enquiries.set_contact(user, draft, "+370 612 99887", "Gabija Vytelė")
    draft = await enquiries.consent(user, draft)
    enquiry = await enquiries.submit(user, draft.nonce)
    assert enquiry is not None
    # The same press handled again (after a crash) creates no second enquiry.
    again = await enquiries.submit(user, draft.nonce)
    assert again is not None and again.id == enquiry.id
    exported = await services.privacy.export(user)
    assert exported["enquiries"][0]["phone"] == "+37061299887"

    db = Path(services.db.path)
    assert b"+37061299887" in _stored(db)
    await services.privacy.forget(user)
    stored = _stored(db)
    for secret in ("+37061299887", "Gabija Vytelė", "vytelių pynimą"):
        assert secret.encode() not in stored, secret
    async with services.db.reader.execute("SELECT status, user_id FROM enquiries") as cur:
        assert [tuple(r) for r in await cur.fetchall()] == [("new", None)]


async def test_a_draft_enquiry_survives_a_restart(tmp_path: Path, clock: FixedClock) -> None:
    first = Services.create(tmp_path / "d.db", clock)
    await first.start(DEMO)
    await first.enquiries.start(881, "en", "Is there a welding course at weekends?")
    await first.close()
    second = Services.create(tmp_path / "d.db", clock)
    await second.start(DEMO)
    draft, expired = await second.enquiries.draft(881)
    assert draft is not None and not expired
    assert draft.step == "contact" and draft.text == "Is there a welding course at weekends?"
    # Left alone longer than the idle timeout, it expires (and the learner is told).
    clock.advance(second.enquiries.idle_timeout + dt.timedelta(minutes=1))
    assert await second.enquiries.draft(881) == (None, True)
    assert await second.enquiries.draft(881) == (None, False)
    await second.close()


async def test_the_last_course_shown_is_exported_erased_and_kept_briefly(
    services: Services, clock: FixedClock
) -> None:
    user = 778
    await services.answers.shown(user, user, "programme", "welder")
    exported = await services.privacy.export(user)
    assert [(c["type"], c["id"]) for c in exported["last_course_shown"]] == [
        ("programme", "welder")
    ]
    counts = await services.privacy.forget(user)
    assert counts["chat_topics"] == 1
    assert (await services.privacy.export(user))["last_course_shown"] == []
    # Kept only while a follow-up may refer to it: housekeeping drops it.
    await services.answers.shown(user, user, "group", "welder-2027-09-day")
    assert await services.answers.forget_old_topics() == 0
    clock.advance(dt.timedelta(hours=1))
    assert await services.answers.forget_old_topics() == 1


async def test_last_seen_follows_a_returning_learner_to_the_hour(
    services: Services, clock: FixedClock
) -> None:
    # The dashboard's active learners are counted by it.
    await services.learners.seen(4242, "lt")
    clock.advance(dt.timedelta(minutes=20))
    await services.learners.seen(4242, "lt")
    first = (await services.privacy.export(4242))["learner"]
    assert first["last_seen"] == first["first_seen"]
    clock.advance(dt.timedelta(hours=2))
    await services.learners.seen(4242, "lt")
    later = (await services.privacy.export(4242))["learner"]
    assert later["last_seen"] == clock.now().isoformat()
