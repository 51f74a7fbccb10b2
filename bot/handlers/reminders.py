"""Reminders: follow a group, choose when, quiet hours, /schedule, /reminders,
calendar files, and waiting for a programme's next group."""

from __future__ import annotations

import datetime as dt
import logging
import re

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.handlers.common import acknowledge, answer_press, send, show
from domain.registrations import RegistrationStatus
from services.reminders.calendar import group_calendar
from services.reminders.planning import CHOICES, QuietHours
from services.reminders.service import UnknownGroup
from texts import callbacks, menus
from texts import reminders as render
from texts.callbacks import Action, ReminderButton, WaitlistButton
from texts.i18n import Translator
from texts.reply import Reply

log = logging.getLogger(__name__)
HOUR_TEXT = re.compile(r"1?[0-9]|2[0-3]")


async def _schedule_reply(t: Translator, context: BotContext, user_id: int) -> Reply:
    service = context.services.reminders
    items = await service.schedule(user_id)
    subscribed = bool(await service.subscriptions(user_id))
    next_one = None if items else await service.next_session(user_id)
    pending = [
        made.id
        for made in await context.services.registrations.list_for_user(user_id)
        if made.status == RegistrationStatus.PENDING
    ]
    return render.schedule_reply(
        t, context.services.catalogue.view, items, subscribed, next_one, pending
    )


async def _list_reply(t: Translator, context: BotContext, user_id: int) -> Reply:
    service = context.services.reminders
    view = context.services.catalogue.view
    waiting = [
        view.programmes[p] for p in await service.waitlisted(user_id) if p in view.programmes
    ]
    subs = await service.subscriptions(user_id)
    outlooks = {sub.group.id: await service.quiet_effects(user_id, sub.group.id) for sub in subs}
    return render.subscriptions_reply(
        t, view, subs, waiting, await service.quiet_hours(user_id), outlooks
    )


async def _settings_reply(
    t: Translator, context: BotContext, user_id: int, group_id: str
) -> Reply | None:
    service = context.services.reminders
    found = context.services.catalogue.view.groups.get(group_id)
    choices = await service.choices(user_id, group_id)
    if found is None or choices is None:
        return None
    return render.subscription_reply(
        t,
        context.services.catalogue.view,
        found[0],
        found[1],
        choices,
        await service.quiet_hours(user_id),
        await service.quiet_effects(user_id, group_id),
    )


async def on_reminder_button(update: Update, context: BotContext) -> None:
    """The learner follows a group, changes its reminder times or stops them."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    t = await context.translator_for(update)
    cb = callbacks.unpack(query.data)
    reply = await _route(t, context, user.id, cb) if cb is not None else None
    if reply is None:
        await acknowledge(update, menus.stale_text(t))
        await show(update, menus.stale_menu(t, context.services.catalogue.view))
        return
    await acknowledge(update)
    # "Remind me" under a groups card opened below an answer: the settings come
    # below it too; their own buttons then change them in place.
    await answer_press(update, reply, cb is not None and cb.below)


async def _route(
    t: Translator, context: BotContext, user_id: int, cb: callbacks.Callback
) -> Reply | None:
    service = context.services.reminders
    view = context.services.catalogue.view
    action = cb.arg(0)
    if action == ReminderButton.LIST:
        return await _list_reply(t, context, user_id)
    if action == ReminderButton.SCHEDULE:
        return await _schedule_reply(t, context, user_id)
    if action == ReminderButton.QUIET_HOURS:
        return render.quiet_reply(t, await service.quiet_hours(user_id))
    if action == ReminderButton.SET_QUIET_HOURS:
        start, end = cb.arg(1), cb.arg(2)
        if not (HOUR_TEXT.fullmatch(start) and HOUR_TEXT.fullmatch(end)):
            return None
        quiet = QuietHours(dt.time(int(start)), dt.time(int(end)))
        await service.set_quiet_hours(user_id, quiet)
        return render.quiet_reply(t, quiet)
    group_id = callbacks.resolve(cb.arg(1), view.groups.keys())
    if group_id is None or group_id not in view.groups:
        return None
    if action == ReminderButton.FOLLOW:
        try:
            await service.subscribe(user_id, group_id)
        except UnknownGroup:
            return None
        return await _settings_reply(t, context, user_id, group_id)
    if action == ReminderButton.TOGGLE and cb.arg(2) not in CHOICES:
        return None
    if (
        action in (ReminderButton.GROUP, ReminderButton.TOGGLE)
        and await service.choices(user_id, group_id) is None
    ):
        # An older message's button after "Stop reminders": stopped stays
        # stopped until they ask again.
        programme, group = view.groups[group_id]
        return render.not_following_reply(t, programme, group)
    if action == ReminderButton.GROUP:
        return await _settings_reply(t, context, user_id, group_id)
    if action == ReminderButton.TOGGLE:
        choice = cb.arg(2)
        if choice not in CHOICES:
            return None
        await service.toggle_choice(user_id, group_id, choice)
        return await _settings_reply(t, context, user_id, group_id)
    if action == ReminderButton.STOP:
        await service.unsubscribe(user_id, group_id)
        return await _list_reply(t, context, user_id)
    return None


async def on_calendar_button(update: Update, context: BotContext) -> None:
    """The learner gets a calendar file (.ics) of the group's sessions."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None:
        return
    t = await context.translator_for(update)
    view = context.services.catalogue.view
    cb = callbacks.unpack(query.data)
    group_id = callbacks.resolve(cb.arg(1), view.groups.keys()) if cb else None
    found = view.groups.get(group_id or "")
    if found is None:
        await acknowledge(update, menus.stale_text(t))
        return
    await acknowledge(update)
    programme, group = found
    data = group_calendar(
        view.catalogue.centre, programme, group, t.lang, context.services.clock.now()
    )
    await chat.send_document(
        InputFile(data, filename=render.calendar_file_name(t, programme, group)),
        caption=t.gettext("Open the file to add the sessions to your phone's calendar."),
    )


async def on_waitlist_button(update: Update, context: BotContext) -> None:
    """The learner is told once when a new group of the programme opens (or no longer)."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    t = await context.translator_for(update)
    view = context.services.catalogue.view
    cb = callbacks.unpack(query.data)
    programme_id = callbacks.resolve(cb.arg(1), view.programmes.keys()) if cb else None
    programme = view.programmes.get(programme_id or "")
    if cb is None or programme is None or cb.arg(0) not in tuple(WaitlistButton):
        await acknowledge(update, menus.stale_text(t))
        return
    service = context.services.reminders
    if cb.arg(0) == WaitlistButton.JOIN:
        await service.join_waitlist(user.id, programme.id)
    else:
        await service.leave_waitlist(user.id, programme.id)
    await acknowledge(update)
    join = cb.arg(0) == WaitlistButton.JOIN
    joined = render.waitlist_reply(t, programme, join, back=not cb.below)
    await answer_press(update, joined, cb.below)


async def schedule_command(update: Update, context: BotContext) -> None:
    """The learner gets their groups' sessions for the next two weeks."""
    user = update.effective_user
    if user is None:
        return
    t = await context.translator_for(update)
    await send(update, await _schedule_reply(t, context, user.id))


async def reminders_command(update: Update, context: BotContext) -> None:
    """The learner gets the groups they follow, with buttons to change or stop them."""
    user = update.effective_user
    if user is None:
        return
    t = await context.translator_for(update)
    await send(update, await _list_reply(t, context, user.id))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("schedule", schedule_command))
    app.add_handler(CommandHandler("reminders", reminders_command))
    app.add_handler(
        CallbackQueryHandler(
            on_calendar_button,
            pattern=callbacks.pattern(Action.REMINDERS, ReminderButton.CALENDAR),
        )
    )
    app.add_handler(
        CallbackQueryHandler(on_reminder_button, pattern=callbacks.pattern(Action.REMINDERS))
    )
    app.add_handler(
        CallbackQueryHandler(on_waitlist_button, pattern=callbacks.pattern(Action.WAITLIST))
    )
