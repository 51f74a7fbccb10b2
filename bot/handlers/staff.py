"""Admin commands for staff roles: /staff, /staff_grant ID, /staff_revoke ID."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.handlers.common import send
from services.roles import NotAllowed, Role
from texts.reply import Reply


def _target(context: BotContext) -> int | None:
    args = context.args or []
    return int(args[0]) if len(args) == 1 and args[0].isascii() and args[0].isdigit() else None


async def grant(update: Update, context: BotContext) -> None:
    """An admin makes a user staff; anyone else is told the command is not theirs."""
    await _change(update, context, grant=True)


async def revoke(update: Update, context: BotContext) -> None:
    """An admin takes the staff role away; anyone else is told the command is not theirs."""
    await _change(update, context, grant=False)


async def _change(update: Update, context: BotContext, grant: bool) -> None:
    user = update.effective_user
    if user is None:
        return
    t = await context.translator_for(update)
    roles = context.services.roles
    target = _target(context)
    try:
        if target is None:
            # Checked first so a learner learns nothing about the command's use.
            action = "grant_staff" if grant else "revoke_staff"
            await roles.require(user.id, Role.ADMIN, action, None)
            await send(
                update,
                Reply(
                    t.gettext("Give the person's Telegram user id, e.g. /staff_grant 123456789.")
                ),
            )
            return
        changed = await (roles.grant_staff if grant else roles.revoke_staff)(user.id, target)
    except NotAllowed:
        await send(
            update, Reply(t.gettext("This command is only for the centre's administrators."))
        )
        return
    if grant:
        text = t.gettext("{id} is now staff.") if changed else t.gettext("{id} was already staff.")
    else:
        text = (
            t.gettext("{id} is no longer staff.") if changed else t.gettext("{id} was not staff.")
        )
    await send(update, Reply(text.format(id=target)))


async def list_staff(update: Update, context: BotContext) -> None:
    """An admin gets the list of staff user ids."""
    user = update.effective_user
    if user is None:
        return
    t = await context.translator_for(update)
    try:
        staff = await context.services.roles.staff(user.id)
    except NotAllowed:
        await send(
            update, Reply(t.gettext("This command is only for the centre's administrators."))
        )
        return
    lines = [str(s) for s in staff] or [t.gettext("Nobody has the staff role yet.")]
    await send(update, Reply("\n".join(lines)))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("staff", list_staff))
    app.add_handler(CommandHandler("staff_grant", grant))
    app.add_handler(CommandHandler("staff_revoke", revoke))
