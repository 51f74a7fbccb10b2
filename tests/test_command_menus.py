"""The command menus Telegram shows: learners' for everyone, staff's and
admins' in their own chats, following a change of role."""

from __future__ import annotations

from typing import Any

from emulator import BotApiEmulator
from services.container import Services
from tests.conftest import ADMIN_ID
from vtcbot.runner import BotRunner

LEARNER = ["start", "help", "language", "schedule", "reminders", "settings", "my_courses",
           "my_enquiries", "cancel", "privacy", "my_data", "forget"]  # fmt: skip
STAFF = ["broadcast", "broadcasts", "admin"]
ADMIN = ["staff", "staff_grant", "staff_revoke"]


def names(commands: list[dict[str, Any]]) -> list[str]:
    return [c["command"] for c in commands]


def chat(user_id: int) -> dict[str, Any]:
    return {"type": "chat", "chat_id": user_id}


async def test_learners_get_every_learner_command_in_their_language(
    running_bot: BotRunner, emulator: BotApiEmulator
) -> None:
    assert names(emulator.commands()) == LEARNER
    assert names(emulator.commands("en")) == LEARNER
    lt = {c["command"]: c["description"] for c in emulator.commands("lt")}
    assert lt["forget"] == "Ištrinti savo duomenis"
    # No staff command in a menu every learner sees.
    for lang in ("lt", "en", None):
        assert not set(STAFF + ADMIN) & set(names(emulator.commands(lang)))


async def test_the_admin_menu_and_a_staff_menu_follow_the_role(
    running_bot: BotRunner, emulator: BotApiEmulator, services: Services
) -> None:
    assert names(emulator.commands("en", chat(ADMIN_ID))) == LEARNER + STAFF + ADMIN
    staff_member = 7001
    assert emulator.commands("en", chat(staff_member)) == []
    emulator.send_text(ADMIN_ID, f"/staff_grant {staff_member}", language_code="en")
    await emulator.wait_for_commands(bool, "lt", chat(staff_member))
    await emulator.wait_for_commands(bool, None, chat(staff_member))
    assert names(emulator.commands("lt", chat(staff_member))) == LEARNER + STAFF
    assert names(emulator.commands(None, chat(staff_member))) == LEARNER + STAFF
    # Revoked in the console: the person's own menu goes, the learners' shows.
    await services.roles.revoke_staff(ADMIN_ID, staff_member)
    for lang in ("lt", "en", None):
        await emulator.wait_for_commands(lambda c: c == [], lang, chat(staff_member))


async def test_a_role_revoked_while_the_bot_was_stopped_loses_its_menu_at_start(
    services: Services, emulator: BotApiEmulator
) -> None:
    from emulator.botapi import scope_key
    from tests.conftest import TOKEN

    former = 7002
    await services.roles.grant_staff(ADMIN_ID, former)
    await services.roles.revoke_staff(ADMIN_ID, former)  # no bot running to hear it
    key, scope = scope_key(chat(former))
    for code in ("lt", "en", ""):
        emulator.state.set_commands(key, scope, code, [{"command": "broadcast"}])
    assert emulator.url is not None
    runner = BotRunner(services, TOKEN, emulator.url, concurrent_updates=2)
    await runner.start()
    try:
        for lang in ("lt", "en", None):
            assert emulator.commands(lang, chat(former)) == []
    finally:
        await runner.stop()
