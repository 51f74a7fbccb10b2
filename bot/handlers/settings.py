"""/settings: the learner turns the centre's announcements off or on."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.handlers.common import acknowledge, send, show
from texts import callbacks, menus
from texts.callbacks import Action, ReminderButton
from texts.i18n import Translator
from texts.reply import Button, Reply


def _settings_reply(t: Translator, announcements: bool) -> Reply:
    if announcements:
        text = t.gettext(
            "<b>Settings</b>\nAnnouncements from the centre: <b>on</b>.\n"
            "Messages about the groups you follow always reach you."
        )
        button = Button(
            t.gettext("Turn announcements off"), callbacks.pack(Action.SETTINGS, "ann", 0)
        )
    else:
        text = t.gettext(
            "<b>Settings</b>\nAnnouncements from the centre: <b>off</b>.\n"
            "Messages about the groups you follow still reach you."
        )
        button = Button(
            t.gettext("Turn announcements on"), callbacks.pack(Action.SETTINGS, "ann", 1)
        )
    reply = Reply(text).add_row(button)
    reply.add_row(
        Button(
            t.gettext("Reminders and quiet hours"),
            callbacks.pack(Action.REMINDERS, ReminderButton.LIST),
        ),
        Button(t.gettext("Language"), callbacks.pack(Action.LANGUAGE)),
    )
    return reply


async def settings(update: Update, context: BotContext) -> None:
    """The learner sees whether announcements are on, with a button to switch."""
    user = update.effective_user
    if user is None:
        return
    t = await context.translator_for(update)
    on = await context.services.broadcasts.announcements(user.id)
    await send(update, _settings_reply(t, on))


async def on_settings_button(update: Update, context: BotContext) -> None:
    """The learner turns announcements off or on and sees the new setting."""
    user = update.effective_user
    cb = callbacks.unpack(update.callback_query.data if update.callback_query else None)
    if user is None or cb is None:
        return
    t = await context.translator_for(update)
    value = cb.arg(1)
    if cb.arg(0) != "ann" or value not in ("0", "1"):
        await acknowledge(update)
        await show(update, menus.stale_menu(t, context.services.catalogue.view))
        return
    on = value == "1"
    await context.services.broadcasts.set_announcements(user.id, on)
    await acknowledge(
        update,
        t.gettext("Announcements are on.") if on else t.gettext("Announcements are off."),
    )
    await show(update, _settings_reply(t, on))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("settings", settings))
    app.add_handler(
        CallbackQueryHandler(on_settings_button, pattern=callbacks.pattern(Action.SETTINGS))
    )
