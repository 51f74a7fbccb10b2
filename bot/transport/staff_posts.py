"""The bot's post of an enquiry in the staff chat shows its status and who
took it: written when the enquiry arrives and edited in place whenever either
changes (a button, a reply in the chat, the web console, a learner's
follow-up)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ExtBot

from bot.markup import markup
from domain.enquiries import Enquiry
from domain.languages import STAFF_LANGUAGE
from services.container import Services
from texts import enquiries as texts
from texts.i18n import translator
from texts.reply import Reply

log = logging.getLogger(__name__)


async def staff_post(services: Services, enquiry: Enquiry) -> Reply:
    """The post as it should read now, the assignee by name when one is kept."""
    name = None
    if enquiry.assignee_id is not None:
        name = await services.roles.name_of(enquiry.assignee_id)
    programme = services.catalogue.view.programmes.get(enquiry.programme_id or "")
    title = programme.title.get(STAFF_LANGUAGE) if programme else None
    return texts.staff_post(translator(STAFF_LANGUAGE), enquiry, name, title)


async def refresh_staff_post(
    bot: ExtBot[Any], services: Services, enquiry_id: int, lock: asyncio.Lock
) -> bool:
    """Edit the enquiry's staff-chat post to show it as it is; whether it was.

    Under the lock the erased-post editor holds while it edits, reading the
    enquiry inside it: a post is never shown again with a learner's words
    after their erasure was written over it."""
    async with lock:
        enquiry = await services.enquiries.get(enquiry_id)
        if (
            enquiry is None
            or enquiry.user_id is None  # erased: that post is the erasure editor's
            or enquiry.staff_chat_id is None
            or enquiry.staff_message_id is None
        ):
            return False
        reply = await staff_post(services, enquiry)
        try:
            await bot.edit_message_text(
                reply.text,
                chat_id=enquiry.staff_chat_id,
                message_id=enquiry.staff_message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup(reply),
            )
        except BadRequest as exc:
            # "Message is not modified" (a button already showed it) or deleted by staff.
            log.debug("staff post of enquiry %s not edited: %s", enquiry_id, exc.message)
            return False
        except TelegramError as exc:
            log.warning(
                "the staff post of enquiry %s was not updated (%s)",
                enquiry_id,
                type(exc).__name__,
            )
            return False
        return True
