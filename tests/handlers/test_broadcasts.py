"""Staff compose announcements in the chat; learners cannot; learners switch
announcements off in /settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.application import VtcApplication
from bot.transport.broadcast_sender import BroadcastSender
from emulator import BotApiEmulator
from services.broadcasts import Audience
from services.container import Services
from storage import learners_repo, roles_repo
from tests.conftest import ADMIN_ID
from tests.handlers.conftest import Chat, buttons, callback_data

LT_LEARNERS = (3001, 3002, 3003)
EN_LEARNERS = (3101, 3102)


async def _learners(services: Services) -> None:
    async with services.db.transaction() as conn:
        for user in LT_LEARNERS:
            await learners_repo.touch(conn, user, "lt", "-")
        for user in EN_LEARNERS:
            await learners_repo.touch(conn, user, "en", "-")


def _button(message: dict[str, Any], prefix: str) -> str:
    return next(label for label in buttons(message) if label.startswith(prefix))


async def _deliver(app: VtcApplication, emu: BotApiEmulator, services: Services) -> None:
    for user in (*LT_LEARNERS, *EN_LEARNERS):
        emu.state.ensure_private_chat(user)
    sender = BroadcastSender(app.bot, services)
    for broadcast_id in await sender.start_due():
        await sender.run(broadcast_id)


async def test_staff_compose_preview_and_send_in_both_languages(
    learner: Chat, services: Services
) -> None:
    await _learners(services)
    admin = Chat(learner.app, learner.emu, ADMIN_ID, "en")
    [ask] = await admin.say("/broadcast")
    assert ask["text"].startswith("New announcement")
    [ask_en] = await admin.say("<b>Registracija</b> į pavasario kursą prasidėjo")
    assert buttons(ask_en) == ["Lithuanian text to everyone", "Cancel"]
    [menu] = await admin.say("Registration for the spring course <b>is open</b>")
    # Everyone: 3 + 2 learners and the admin (who writes in English).
    assert "Everyone · 6" in buttons(menu)
    assert "Lithuanian speakers · 3" in buttons(menu)
    assert "English speakers · 3" in buttons(menu)
    shown = await admin.press(menu, "Everyone · 6")
    texts = [m.get("text") for m in shown]
    assert texts == [
        "Audience: Everyone",
        "Preview: 3 recipients using Lithuanian will see this.",
        "Registracija į pavasario kursą prasidėjo",
        "Preview: 3 recipients using English will see this.",
        "Registration for the spring course is open",
        "When should it be sent?",
    ]
    # The preview carries the formatting, as the learners will get it.
    assert shown[2]["entities"] == [{"type": "bold", "offset": 0, "length": 12}]
    [confirm] = await admin.press(shown[-1], "Now")
    assert "Recipients now: 6 (Lithuanian 3, English 3)" in confirm["text"]
    assert "When: now" in confirm["text"]
    [created] = await admin.press(confirm, "Confirm and send")
    assert created["text"] == "Broadcast No. 1 is starting."
    row = await services.broadcasts.get(1)
    assert row is not None
    assert row.text_lt == "<b>Registracija</b> į pavasario kursą prasidėjo"
    assert row.text_en == "Registration for the spring course <b>is open</b>"
    assert Audience.from_json(row.audience) == Audience("everyone")
    assert await services.compose.draft(ADMIN_ID) is None

    await _deliver(learner.app, learner.emu, services)
    assert learner.emu.messages(3001)[-1]["text"] == "Registracija į pavasario kursą prasidėjo"
    assert learner.emu.messages(3101)[-1]["text"] == "Registration for the spring course is open"
    # The message that said it is starting became the delivery report.
    [report] = [
        m for m in learner.emu.messages(ADMIN_ID) if m["message_id"] == created["message_id"]
    ]
    assert report["text"].startswith("Broadcast No. 1: delivery report")
    assert "Sent: 6" in report["text"]


async def test_broken_html_is_explained_and_nothing_moves_on(
    learner: Chat, services: Services
) -> None:
    admin = Chat(learner.app, learner.emu, ADMIN_ID, "en")
    await admin.say("/broadcast")
    [refused] = await admin.say("<b>Registracija prasidėjo < <div>vietų</div> liko 5")
    assert refused["text"].splitlines() == [
        "Telegram would not accept this text:",
        '• A "<" outside a tag: write &lt; for "<", &gt; for ">" and &amp; for "&".',
        "• <div> is not a tag Telegram knows.",
        "• </div> is not a tag Telegram knows.",
        "• <b> is opened but never closed.",
        "Please send the corrected text.",
    ]
    draft = await services.compose.draft(ADMIN_ID)
    assert draft is not None and draft.step == "lt" and draft.text_lt is None
    # A lone "&" and ">" can only mean themselves: written as entities for Telegram.
    [ask_en] = await admin.say("<b>Registracija prasidėjo</b> & vietų liko > 5")
    assert "Lithuanian text to everyone" in buttons(ask_en)
    draft = await services.compose.draft(ADMIN_ID)
    assert draft is not None
    assert draft.text_lt == "<b>Registracija prasidėjo</b> &amp; vietų liko &gt; 5"


async def test_photo_in_lithuanian_to_everyone_at_a_typed_time(
    learner: Chat, services: Services
) -> None:
    await _learners(services)
    admin = Chat(learner.app, learner.emu, ADMIN_ID, "en")
    await admin.say("/broadcast")
    [again] = await admin.send(learner.emu.send_photo(ADMIN_ID))
    assert again["text"].startswith("Please send the photo or document again")
    [ask_en] = await admin.send(learner.emu.send_photo(ADMIN_ID, caption="Atvirų durų diena"))
    [menu] = await admin.press(ask_en, "Lithuanian text to everyone")
    shown = await admin.press(menu, _button(menu, "Lithuanian speakers"))
    assert shown[1]["text"] == "Preview: all 3 recipients will see this."
    assert shown[2]["caption"] == "Atvirų durų diena" and shown[2]["photo"]
    [ask] = await admin.press(shown[-1], "Another time")
    assert ask["text"] == "Type the date and time in Lithuanian time, for example 2026-11-22 09:00."
    [unreadable] = await admin.say("next Monday")
    assert unreadable["text"].startswith("I could not read that date and time.")
    [past] = await admin.say("2026-11-20 09:00")
    assert past["text"] == "That time has already passed. Please give a later one."
    [confirm] = await admin.say("2026-11-23 09:00")
    assert "When: 23 November 2026 at 9:00" in confirm["text"]
    [created] = await admin.press(confirm, "Confirm and send")
    assert created["text"].startswith("Broadcast No. 1 will be sent on 23 November 2026 at 9:00")
    row = await services.broadcasts.get(1)
    assert row is not None
    assert row.text_en is None and row.media_kind == "photo"
    # 09:00 in Vilnius in November is 07:00 UTC.
    assert row.send_at == int(dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC).timestamp())
    assert row.state == "scheduled"


async def test_a_learner_can_neither_start_nor_cancel_a_broadcast(
    learner: Chat, services: Services
) -> None:
    scheduled = await services.broadcasts.create(
        ADMIN_ID,
        "Rytoj pamokos nebus",
        None,
        Audience("everyone"),
        send_at=services.clock.now() + dt.timedelta(hours=2),
    )
    [refused] = await learner.say("/broadcast")
    assert refused["text"] == "Ši komanda skirta tik centro darbuotojams."
    [refused_list] = await learner.say("/broadcasts")
    assert refused_list["text"] == "Ši komanda skirta tik centro darbuotojams."
    # Forged presses of every compose button: nothing is being written.
    anchor = learner.emu.messages(learner.user_id)[-1]["message_id"]
    before = [m["text"] for m in learner.emu.messages(learner.user_id)]
    for data in ("1|B|ok", "1|B|a|everyone", "1|B|all", "1|B|now", "1|B|t|group|x"):
        assert await learner.press_data(anchor, data) == []
        assert await services.compose.draft(learner.user_id) is None
    answers = [q.answer for q in learner.emu.state.callback_queries.values()]
    assert [a["text"] for a in answers if a] == ["Šis skelbimas nebėra rengiamas."] * 5
    assert [m["text"] for m in learner.emu.messages(learner.user_id)] == before
    for forged in ("1|BY|²", "1|BX|99999999999999999999999"):
        await learner.press_data(anchor, forged)
    await learner.press_data(anchor, f"1|BX|{scheduled}")
    assert learner.emu.messages(learner.user_id)[-1]["text"] == (
        "Ši komanda skirta tik centro darbuotojams."
    )
    assert len(await services.broadcasts.recent(ADMIN_ID)) == 1
    row = await services.broadcasts.get(scheduled)
    assert row is not None and row.state == "scheduled"
    refusals = [
        (e[2], e[4])
        for e in await roles_repo.audit_entries(services.db.reader)
        if e[1] == str(learner.user_id)
    ]
    assert sorted(refusals) == [
        ("broadcast_cancel", "refused"),
        ("broadcast_cancel", "refused"),
        ("broadcast_cancel", "refused"),
        ("broadcast_compose", "refused"),
        ("broadcast_list", "refused"),
    ]


async def test_a_revoked_staff_member_cannot_finish_their_draft(
    learner: Chat, services: Services
) -> None:
    await services.roles.grant_staff(ADMIN_ID, learner.user_id)
    await learner.say("/broadcast")
    [ask_en] = await learner.say("Rytoj pamokos nebus")
    assert "1|B|all" in callback_data(ask_en)
    await services.roles.revoke_staff(ADMIN_ID, learner.user_id)
    assert await learner.press_data(ask_en["message_id"], "1|B|all") == []
    answers = [q.answer for q in learner.emu.state.callback_queries.values() if q.answer]
    assert answers[-1]["text"] == "Šis skelbimas nebėra rengiamas."
    assert await services.compose.draft(learner.user_id) is None
    assert await services.broadcasts.recent(ADMIN_ID) == []


async def test_staff_list_and_cancel_a_scheduled_broadcast(
    learner: Chat, services: Services
) -> None:
    admin = Chat(learner.app, learner.emu, ADMIN_ID, "en")
    scheduled = await services.broadcasts.create(
        ADMIN_ID,
        "<b>Rytoj</b> pamokos nebus",
        "No lesson tomorrow",
        Audience("lt"),
        send_at=services.clock.now() + dt.timedelta(hours=2),
    )
    [listing] = await admin.say("/broadcasts")
    assert "No. 1 · scheduled" in listing["text"]
    assert "Rytoj pamokos nebus" in listing["text"]
    assert buttons(listing) == ["Cancel No. 1"]
    [ask] = await admin.press(listing, "Cancel No. 1")
    assert ask["text"].startswith("Cancel broadcast No. 1?")
    row = await services.broadcasts.get(scheduled)
    assert row is not None and row.state == "scheduled"  # not before the confirmation
    [shown] = await admin.press(ask, "Yes, cancel it")
    row = await services.broadcasts.get(scheduled)
    assert row is not None and row.state == "cancelled"
    assert "No. 1 · cancelled" in shown["text"]
    assert buttons(shown) == []


async def test_learner_turns_announcements_off_and_on(learner: Chat, services: Services) -> None:
    [settings] = await learner.say("/settings")
    assert "Centro skelbimai: įjungti." in settings["text"]
    [off] = await learner.press(settings, "Išjungti skelbimus")
    assert "Centro skelbimai: išjungti." in off["text"]
    assert await services.broadcasts.announcements(learner.user_id) is False
    counts = await services.broadcasts.count(ADMIN_ID, Audience("everyone"))
    assert counts == {}
    [on] = await learner.press(off, "Įjungti skelbimus")
    assert "įjungti" in on["text"]
    assert await services.broadcasts.count(ADMIN_ID, Audience("everyone")) == {"lt": 1}


async def test_an_announcement_too_long_only_in_utf16_units_is_refused_with_the_reason(
    learner: Chat, services: Services
) -> None:
    await _learners(services)
    admin = Chat(learner.app, learner.emu, ADMIN_ID, "en")
    await admin.say("/broadcast")
    # 3,600 characters as Python counts them, 4,200 as Telegram does.
    [refused] = await admin.say("a" * 3000 + "😀" * 600)
    assert refused["text"].splitlines() == [
        "Telegram would not accept this text:",
        "• The text is 4200 characters long; the limit is 4096.",
        "Please send the corrected text.",
    ]
    draft = await services.compose.draft(ADMIN_ID)
    assert draft is not None and draft.step == "lt" and draft.text_lt is None
    assert await services.broadcasts.recent(ADMIN_ID) == []
    assert all(learner.emu.messages(user) == [] for user in (*LT_LEARNERS, *EN_LEARNERS))
