"""The bot's commands and what each does, in one place: the /help text and
the command menus Telegram shows (learners' for everyone, staff's and
admins' for each of them in their own chat) are built from these lists."""

from __future__ import annotations

from services.roles import Role
from texts.i18n import N_, Translator

LEARNER_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Main menu")),
    ("help", N_("What the bot can do")),
    ("language", N_("Change language")),
    ("schedule", N_("Your sessions in the next two weeks")),
    ("reminders", N_("Your reminders and quiet hours")),
    ("settings", N_("Announcements on or off")),
    ("my_courses", N_("Your registrations for courses")),
    ("my_enquiries", N_("Your enquiries to the centre")),
    ("cancel", N_("Stop the enquiry or registration you are filling in")),
    ("privacy", N_("Your data and this bot")),
    ("my_data", N_("Get everything stored about you")),
    ("forget", N_("Erase your data")),
)
STAFF_COMMANDS: tuple[tuple[str, str], ...] = (
    ("broadcast", N_("Write an announcement to learners")),
    ("broadcasts", N_("Recent announcements and their delivery")),
    ("admin", N_("A sign-in link to the web console")),
)
ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("staff", N_("Who has the staff role")),
    ("staff_grant", N_("Give someone the staff role: /staff_grant ID")),
    ("staff_revoke", N_("Take the staff role away: /staff_revoke ID")),
)


def commands_for(role: Role) -> tuple[tuple[str, str], ...]:
    """The commands a person with this role may use, learners' first."""
    if role == Role.ADMIN:
        return LEARNER_COMMANDS + STAFF_COMMANDS + ADMIN_COMMANDS
    if role == Role.STAFF:
        return LEARNER_COMMANDS + STAFF_COMMANDS
    return LEARNER_COMMANDS


def command_lines(t: Translator, commands: tuple[tuple[str, str], ...]) -> list[str]:
    """One line a command: '/privacy – Your data and this bot'."""
    return [f"/{name} – {t.gettext(text)}" for name, text in commands]
