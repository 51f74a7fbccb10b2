"""After an erasure, the bot's posts in the staff chat stop showing the
learner: each queued post (services/privacy.py) is edited to say that the
enquiry or registration was erased, once, even if the bot stopped in between."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ExtBot

from domain.enquiries import StaffPost
from domain.languages import STAFF_LANGUAGE
from services.container import Services
from texts import registration as registration_texts
from texts.i18n import translator

log = logging.getLogger(__name__)

BATCH = 100


class ErasedPostEditor:
    def __init__(self, bot: ExtBot[Any], services: Services) -> None:
        self.bot = bot
        self.services = services
        # Also held while an enquiry's post is updated (bot/transport/staff_posts.py).
        self.lock = asyncio.Lock()

    async def run(self) -> int:
        """Edit every queued post; how many were settled (edited, or found
        gone). One run at a time: a second call waits, then finds nothing left."""
        async with self.lock:
            privacy = self.services.privacy
            settled = 0
            while True:
                posts = await privacy.staff_posts_to_erase(BATCH)
                for post in posts:
                    if not await self._edit(post):
                        # Telegram cannot be reached now: the next round retries.
                        await privacy.staff_post_not_yet(post)
                        return settled
                    await privacy.staff_post_erased(post)
                    settled += 1
                if len(posts) < BATCH:
                    return settled

    async def _edit(self, post: StaffPost) -> bool:
        """Whether the post is done with: edited, or nothing is left to edit."""
        t = translator(STAFF_LANGUAGE)
        if post.kind == "registration":
            text = registration_texts.staff_erased(t, post.enquiry_id)
        elif post.kind == "post":
            text = t.gettext("Enquiry {number} was erased at the learner's request.").format(
                number=post.enquiry_id
            )
        else:
            text = t.gettext(
                "A follow-up to enquiry {number}, erased at the learner's request."
            ).format(number=post.enquiry_id)
        try:
            # No reply_markup: the post's buttons go with its contents.
            await self.bot.edit_message_text(
                text,
                chat_id=post.chat_id,
                message_id=post.message_id,
            )
        except BadRequest as exc:
            # Already edited ("message is not modified") or deleted by staff:
            # either way nothing of the learner is shown there any more.
            # Telegram's description names no person, only the failure.
            log.info("staff post of enquiry %s not edited: %s", post.enquiry_id, exc.message)
            return True
        except Forbidden:
            log.warning(
                "the bot is no longer in the staff chat: the post of enquiry %s "
                "cannot be edited; delete it by hand",
                post.enquiry_id,
            )
            return True
        except TelegramError as exc:
            log.warning(
                "editing the staff post of enquiry %s failed (%s); will try again",
                post.enquiry_id,
                type(exc).__name__,
            )
            return False
        return True
