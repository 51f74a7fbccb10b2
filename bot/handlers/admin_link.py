"""/admin: staff and admins get a one-time link to the web console."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.context import BotContext
from bot.handlers.common import send
from services.roles import NotAllowed
from texts.reply import Reply

# Where runner.py puts the console's public address when it serves one.
ADMIN_URL_KEY = "admin_url"


async def admin_link(update: Update, context: BotContext) -> None:
    """Staff get a sign-in link valid for 10 minutes, once; others are refused."""
    user = update.effective_user
    if user is None:
        return
    t = await context.translator_for(update)
    base = context.bot_data.get(ADMIN_URL_KEY)
    # Staff are named, not numbered, in the console: by the name Telegram gives.
    await context.services.roles.remember_name(user.id, user.first_name, user.last_name)
    try:
        token = await context.services.admin_auth.issue_link(user.id)
    except NotAllowed:
        await send(update, Reply(t.gettext("This command is only for the centre's staff.")))
        return
    if not base:
        await send(update, Reply(t.gettext("The web console is not running.")))
        return
    link = f"{str(base).rstrip('/')}/login/{token}"
    text = t.gettext(
        "Your sign-in link to the web console, valid for 10 minutes and only once:\n{link}\n"
        "Do not forward it: whoever opens it is signed in as you."
    ).format(link=link)
    await send(update, Reply(text))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("admin", admin_link, filters=filters.ChatType.PRIVATE))
