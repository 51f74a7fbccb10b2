"""The command menus Telegram shows beside the message field: the learners'
commands for everyone (per language), and for each staff member and admin,
in their own chat, the learners' commands and theirs. A role that changes
changes the menu; a learner never sees a staff command."""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import ExtBot

from domain.languages import DEFAULT_LANGUAGE, LANGUAGES
from services.roles import Role, RoleService
from texts.commands import LEARNER_COMMANDS, commands_for
from texts.i18n import translator

log = logging.getLogger(__name__)


def _commands(lang: str, commands: tuple[tuple[str, str], ...]) -> list[BotCommand]:
    t = translator(lang)
    return [BotCommand(name, t.gettext(text)) for name, text in commands]


async def set_learner_menus(bot: ExtBot[Any]) -> None:
    """Everyone's menu, in each language and for any other language."""
    for lang in (*LANGUAGES, None):
        try:
            await bot.set_my_commands(
                _commands(lang or DEFAULT_LANGUAGE, LEARNER_COMMANDS), language_code=lang
            )
        except TelegramError as exc:
            log.warning("the server refused setMyCommands (%s): %s", lang or "default", exc)


async def refresh_menu(bot: ExtBot[Any], roles: RoleService, user_id: int) -> None:
    """The menu of one person's chat as their role is now: staff and admins
    get their own; anyone else the learners' (their own menu deleted)."""
    role = await roles.role_of(user_id)
    scope = BotCommandScopeChat(user_id)
    try:
        for lang in (*LANGUAGES, None):
            if role == Role.LEARNER:
                await bot.delete_my_commands(scope=scope, language_code=lang)
            else:
                await bot.set_my_commands(
                    _commands(lang or DEFAULT_LANGUAGE, commands_for(role)),
                    scope=scope,
                    language_code=lang,
                )
    except TelegramError as exc:
        # A staff member who never wrote to the bot has no chat yet: their
        # menu is set at the next start after they do.
        log.warning("the command menu of user %s was not set: %s", user_id, exc)


async def refresh_staff_menus(bot: ExtBot[Any], roles: RoleService) -> None:
    """At start-up: every staff member's and admin's menu, as their role is now,
    and the learners' menu again for anyone who lost the role (perhaps in
    another process, or while this bot was stopped)."""
    for user_id in await roles.staff_ids() + await roles.former_staff_ids():
        await refresh_menu(bot, roles, user_id)
