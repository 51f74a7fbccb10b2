"""Registrations in the staff chat: Confirm / Decline under each new one, and
the decline reason written as a reply (as enquiries are answered). Glue: the
rules are in services/registrations, the words in texts/registration.py."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.handlers.common import acknowledge, show
from bot.transport.registration_posts import registration_post
from domain.languages import STAFF_LANGUAGE
from domain.registrations import Registration, RegistrationStatus
from services.roles import NotAllowed, Role
from texts import callbacks
from texts import registration as texts
from texts.callbacks import Action, RegisterButton
from texts.i18n import translator


async def on_staff_button(update: Update, context: BotContext) -> None:
    """Staff confirm a registration, or are asked for the reason to decline it;
    a button that is out of date says what the registration is now, and its
    post is shown as it is."""
    query = update.callback_query
    user = update.effective_user
    cb = callbacks.unpack(query.data if query else None)
    if query is None or user is None or cb is None:
        return
    t = await context.translator_for(update)
    staff_t = translator(STAFF_LANGUAGE)
    kind, number = cb.arg(0), cb.arg(1)
    if kind not in (RegisterButton.STAFF_CONFIRM, RegisterButton.STAFF_DECLINE) or not (
        number.isascii() and number.isdigit()
    ):
        await acknowledge(update, t.gettext("This menu is out of date. Here is the current one."))
        return
    service = context.services.registrations
    try:
        if kind == RegisterButton.STAFF_CONFIRM:
            changed = await service.confirm(int(number), user.id)
            made = changed.registration
            done = changed.done
        else:
            await context.services.roles.require(
                user.id, Role.STAFF, "registration_decline", number
            )
            made = await service.get(int(number))
            done = False
    except NotAllowed:
        await acknowledge(update, t.gettext("This is only for the centre's staff."))
        return
    if made is None:
        await acknowledge(update, staff_t.gettext("This registration no longer exists."))
        return
    if kind == RegisterButton.STAFF_DECLINE and made.status == RegistrationStatus.PENDING:
        await acknowledge(update)
        await _ask_reason(update, context, made)
        return
    # Done now, or decided already (here or in the console): the state as it is.
    await acknowledge(update, texts.staff_done(staff_t, made) if not done else None)
    await show(update, await registration_post(context.services, made))


async def _ask_reason(update: Update, context: BotContext, made: Registration) -> None:
    message = update.effective_message
    if message is None:
        return
    staff_t = translator(STAFF_LANGUAGE)
    # Under the post, saying to reply with the reason (no ForceReply: in a
    # group it would open the reply field for everyone, or, made selective,
    # for nobody, since the post it answers is the bot's own).
    prompt = await message.reply_text(texts.ask_decline_reason(staff_t, made.id))
    await context.services.registrations.asked_reason(prompt.chat_id, prompt.message_id, made.id)


async def on_reason_reply(update: Update, context: BotContext) -> bool:
    """A staff member's reply to the bot's "Why is registration N declined?":
    the registration is declined and the learner gets the reason. Whether the
    reply was one (else it is for the enquiries)."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None or message.reply_to_message is None:
        return False
    service = context.services.registrations
    number = await service.reason_asked_in(message.chat_id, message.reply_to_message.message_id)
    if number is None:
        return False
    staff_t = translator(STAFF_LANGUAGE)
    reason = " ".join((message.text or message.caption or "").split())
    if not reason:
        await message.reply_text(texts.ask_decline_reason(staff_t, number))
        return True
    try:
        # Only while it still waits: confirmed meanwhile (say in the console),
        # it is not undone by a reason written for the pending one.
        changed = await service.decline(number, user.id, reason, pending_only=True)
    except NotAllowed:
        await message.reply_text(staff_t.gettext("This is only for the centre's staff."))
        return True
    if changed.done:
        await message.reply_text(texts.staff_declined(staff_t, number))
    elif changed.registration is not None:
        await message.reply_text(texts.staff_done(staff_t, changed.registration))
    else:
        await message.reply_text(staff_t.gettext("This registration no longer exists."))
    return True


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(
        CallbackQueryHandler(on_staff_button, pattern=callbacks.pattern(Action.STAFF_REGISTRATION))
    )
