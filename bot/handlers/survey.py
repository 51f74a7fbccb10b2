"""The feedback survey after a group ends: the learner's ratings (buttons)
and the optional comment (their next text, or "Skip")."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.handlers.common import acknowledge, send, show
from services.surveys import Draft, Step
from texts import callbacks
from texts import survey as texts
from texts.callbacks import Action, SurveyButton
from texts.reply import Reply


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


async def on_button(update: Update, context: BotContext) -> None:
    """A rating is kept and the next question asked in its place; after the
    last one, the learner is asked for a comment they may skip."""
    user = update.effective_user
    cb = callbacks.unpack(update.callback_query.data if update.callback_query else None)
    if user is None or cb is None:
        return
    t = await context.translator_for(update)
    surveys = context.services.surveys
    registration_id = _number(cb.arg(1))
    if registration_id is None:
        await acknowledge(update, texts.refused(t))
        return
    if cb.arg(0) == SurveyButton.SKIP:
        done = await surveys.finish(user.id, registration_id, None)
        await acknowledge(update)
        await show(update, Reply(texts.thanks(t) if done else texts.already(t)))
        return
    question = texts.QUESTION_OF_CODE.get(cb.arg(2), "")
    value = _number(cb.arg(3)) or 0
    rated = await surveys.rate(user.id, registration_id, question, value)
    if rated.step is Step.REFUSED:
        await acknowledge(update, texts.refused(t))
        return
    if rated.step is Step.DONE:
        await acknowledge(update, texts.already(t))
        await show(update, Reply(texts.already(t)))
        return
    await acknowledge(update, texts.rated(t, question, value))
    if rated.step is Step.NEXT and rated.question is not None:
        await show(update, texts.next_question(t, registration_id, rated.question))
    else:
        await show(update, texts.comment_prompt(t, registration_id))


async def on_comment(update: Update, context: BotContext, draft: Draft) -> None:
    """The learner's comment ends the survey; it is kept without their identity."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    t = await context.translator_for(update)
    done = await context.services.surveys.finish(user.id, draft.registration_id, message.text)
    await send(update, Reply(texts.thanks(t) if done else texts.already(t)))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CallbackQueryHandler(on_button, pattern=callbacks.pattern(Action.SURVEY)))
