"""The bot's post of a registration in the staff chat: the learner's details,
the status, the seats after it and Confirm / Decline while it is pending.
Written when the registration arrives and edited in place whenever its status
changes (a button here, the web console, the learner, an offer lapsing);
also what a confirmed learner gets besides the message: the group's reminders
and its calendar file."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ExtBot

from bot.markup import markup
from bot.transport.pacing import Outgoing, Priority
from domain.languages import STAFF_LANGUAGE
from domain.registrations import Registration
from services.container import Services
from services.reminders.calendar import group_calendar
from texts import registration as texts
from texts import reminders as reminder_texts
from texts.i18n import translator
from texts.reply import Reply

log = logging.getLogger(__name__)


def group_line(services: Services, made: Registration, lang: str = STAFF_LANGUAGE) -> str:
    """The programme and group in words; the group's id when the catalogue
    no longer has it."""
    found = services.catalogue.view.groups.get(made.group_id)
    if found is None:
        return made.group_id
    return texts.group_line(translator(lang), *found)


async def registration_post(services: Services, made: Registration) -> Reply:
    """The post as it should read now."""
    counts = await services.registrations.seat_counts(made.group_id)
    return texts.staff_post(translator(STAFF_LANGUAGE), made, group_line(services, made), counts)


async def refresh_registration_post(
    bot: ExtBot[Any], services: Services, registration_id: int, lock: asyncio.Lock
) -> bool:
    """Edit the registration's staff-chat post to show it as it is; whether it was.

    Under the erased-post editor's lock, reading the registration inside it:
    a post is never shown again with a learner's details after their erasure
    was written over it (an erased registration is gone)."""
    async with lock:
        made = await services.registrations.get(registration_id)
        if made is None or made.staff_chat_id is None or made.staff_message_id is None:
            return False
        reply = await registration_post(services, made)
        try:
            await bot.edit_message_text(
                reply.text,
                chat_id=made.staff_chat_id,
                message_id=made.staff_message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup(reply),
            )
        except BadRequest as exc:
            # "Message is not modified" (a button already showed it) or deleted by staff.
            log.debug("staff post of registration %s not edited: %s", registration_id, exc.message)
            return False
        except TelegramError as exc:
            log.warning(
                "the staff post of registration %s was not updated (%s)",
                registration_id,
                type(exc).__name__,
            )
            return False
        return True


async def follow_group(
    bot: ExtBot[Any],
    services: Services,
    made: Registration,
    priority: Priority = Priority.REMINDER,
) -> None:
    """A confirmed seat: the learner follows the group's reminders (unless
    they stopped them) and gets its calendar file."""
    view = services.catalogue.view
    found = view.groups.get(made.group_id)
    if found is None:
        return
    programme, group = found
    if not made.reminders_stopped:
        await services.reminders.subscribe(made.user_id, made.group_id)
    t = translator(made.lang)
    data = group_calendar(view.catalogue.centre, programme, group, t.lang, services.clock.now())
    await bot.send_document(
        made.user_id,
        InputFile(data, filename=reminder_texts.calendar_file_name(t, programme, group)),
        caption=t.gettext("Open the file to add the sessions to your phone's calendar."),
        rate_limit_args=Outgoing(priority),
    )
