"""What every handler gets: the typed PTB context with the services and the learner's language."""

from __future__ import annotations

from typing import Any, cast

from telegram import Update
from telegram.ext import CallbackContext, ExtBot

from bot.application import VtcApplication
from services.container import Services
from texts.i18n import Translator, translator


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """What every handler gets: the services and the learner's language."""

    @property
    def services(self) -> Services:
        return cast(VtcApplication, self.application).services

    async def translator_for(self, update: Update) -> Translator:
        user = update.effective_user
        if user is None:
            return translator("lt")
        lang = await self.services.learners.seen(user.id, user.language_code)
        return translator(lang)
