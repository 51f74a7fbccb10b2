"""/start, /help, /language and /menu (and the names people guess for them)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.handlers import enquiries, registration
from bot.handlers.common import send
from services.roles import Role
from texts import menus
from texts import registration as registration_texts
from texts.reply import Reply


async def start(update: Update, context: BotContext) -> None:
    """The learner gets a greeting in their language and the main menu (or, from
    a poster's link `/start reg-<group>`, the group's registration form)."""
    args = context.args or []
    if args and args[0].startswith(registration.DEEP_LINK_PREFIX):
        await registration.start_link(
            update, context, args[0].removeprefix(registration.DEEP_LINK_PREFIX)
        )
        return
    await _leave_drafts(update, context)
    t = await context.translator_for(update)
    await send(update, menus.main_menu(t, context.services.catalogue.view, greeting=True))


async def _leave_drafts(update: Update, context: BotContext) -> None:
    """The menu is a fresh start: an enquiry or a registration form left half
    written stops taking the learner's next messages (they are told)."""
    await enquiries.leave_draft(update, context)
    user = update.effective_user
    if user is not None and await context.services.registrations.drafts.drop(user.id):
        t = await context.translator_for(update)
        await send(update, Reply(registration_texts.cancelled_draft(t)))


async def help_command(update: Update, context: BotContext) -> None:
    """The learner gets what the bot can do and every command, one line each
    (staff and admins also theirs)."""
    t = await context.translator_for(update)
    user = update.effective_user
    role = await context.services.roles.role_of(user.id) if user is not None else Role.LEARNER
    await send(update, Reply(menus.help_text(t, role)))


async def language(update: Update, context: BotContext) -> None:
    """The learner gets buttons to switch between Lithuanian and English."""
    t = await context.translator_for(update)
    await send(update, menus.language_menu(t))


async def menu(update: Update, context: BotContext) -> None:
    """The learner gets the main menu."""
    await _leave_drafts(update, context)
    t = await context.translator_for(update)
    await send(update, menus.main_menu(t, context.services.catalogue.view))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("start", start))
    # The names people guess, in both languages, besides the ones in the menu.
    app.add_handler(CommandHandler(["help", "pagalba"], help_command))
    app.add_handler(CommandHandler(["language", "lang", "kalba"], language))
    app.add_handler(CommandHandler(["menu", "meniu"], menu))
