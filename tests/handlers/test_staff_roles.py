"""Roles are checked on the server: a learner gets no staff or admin action."""

from __future__ import annotations

from services.container import Services
from storage import roles_repo
from tests.conftest import ADMIN_ID
from tests.handlers.conftest import Chat

ADMIN_COMMANDS = ("/staff", "/staff_grant 2001", "/staff_revoke 2001", "/staff_grant")


async def test_a_learner_can_run_no_admin_command(learner: Chat, services: Services) -> None:
    for command in ADMIN_COMMANDS:
        [reply] = await learner.say(command)
        assert reply["text"] == "Ši komanda skirta tik centro administratoriams.", command
    assert await roles_repo.staff(services.db.reader) == []
    audit = await roles_repo.audit_entries(services.db.reader)
    assert len(audit) == len(ADMIN_COMMANDS)
    assert all(entry[1] == str(learner.user_id) and entry[4] == "refused" for entry in audit)


async def test_an_admin_grants_and_revokes_staff(learner: Chat, services: Services) -> None:
    admin = Chat(learner.app, learner.emu, ADMIN_ID, "en")
    [granted] = await admin.say("/staff_grant 2001")
    assert granted["text"] == "2001 is now staff."
    [listing] = await admin.say("/staff")
    assert listing["text"] == "2001"
    assert str(await services.roles.role_of(2001)) == "staff"
    # Staff are not admins: they cannot grant roles either.
    [refused] = await learner.say("/staff_grant 2002")
    assert refused["text"] == "Ši komanda skirta tik centro administratoriams."
    [revoked] = await admin.say("/staff_revoke 2001")
    assert revoked["text"] == "2001 is no longer staff."
    actions = [(e[2], e[4]) for e in reversed(await roles_repo.audit_entries(services.db.reader))]
    assert actions == [
        ("grant_staff", "done"),
        ("list_staff", "done"),
        ("grant_staff", "refused"),
        ("revoke_staff", "done"),
    ]


async def test_help_in_words_lists_an_admin_s_commands_as_help_does(learner: Chat) -> None:
    admin = Chat(learner.app, learner.emu, ADMIN_ID, "en")
    [by_command] = await admin.say("/help")
    [in_words] = await admin.say("help")
    assert "/staff_grant" in by_command["text"]
    assert in_words["text"] == by_command["text"]
    # A learner's has none of them.
    [learners] = await learner.say("pagalba")
    assert "/staff" not in learners["text"] and "/broadcast" not in learners["text"]
