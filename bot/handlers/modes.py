"""Which feature owns a learner's next text or file, decided in one place.

A chat is in one mode at a time, read from what is stored for the person:
an announcement being composed (staff), an enquiry being written, a reply to
the centre's answer, or else a question for the catalogue. Each feature
handles only the messages this module gives it, and `/cancel` leaves
whichever mode the chat is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from telegram import Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.handlers import broadcasts, enquiries, fallback, questions, registration, survey
from bot.handlers.common import send
from services.broadcast_compose import AnnouncementDraft
from services.enquiries import EnquiryDraft
from services.registrations.drafts import RegistrationDraft
from services.surveys import Draft as SurveyDraft
from texts import registration as registration_texts
from texts.reply import Reply


class Mode(StrEnum):
    COMPOSING = "composing"  # staff writing an announcement
    REGISTRATION = "registration"  # a learner filling in a registration form
    ENQUIRY = "enquiry"  # a learner writing an enquiry to the staff
    FOLLOW_UP = "follow_up"  # a reply to the centre's answer
    SURVEY_COMMENT = "survey_comment"  # the comment that ends a feedback survey
    QUESTION = "question"  # anything else: a question for the catalogue


@dataclass(frozen=True)
class Owner:
    mode: Mode
    announcement: AnnouncementDraft | None = None
    enquiry_draft: EnquiryDraft | None = None
    registration_draft: RegistrationDraft | None = None
    enquiry_id: int | None = None
    survey: SurveyDraft | None = None
    # An enquiry draft left too long was dropped: the learner is told once.
    expired: bool = False


async def owner(update: Update, context: BotContext) -> Owner:
    """The mode the chat is in, for its next message."""
    user = update.effective_user
    message = update.effective_message
    if user is None:
        return Owner(Mode.QUESTION)
    services = context.services
    announcement = await services.compose.draft(user.id)
    if announcement is not None:
        return Owner(Mode.COMPOSING, announcement=announcement)
    registering = await services.registrations.drafts.get(user.id)
    if registering is not None:
        return Owner(Mode.REGISTRATION, registration_draft=registering)
    draft, expired = await services.enquiries.draft(user.id)
    if draft is not None:
        return Owner(Mode.ENQUIRY, enquiry_draft=draft)
    replied = message.reply_to_message if message is not None else None
    if replied is not None:
        enquiry = await services.enquiries.by_learner_message(user.id, replied.message_id)
        if enquiry is not None:
            return Owner(Mode.FOLLOW_UP, enquiry_id=enquiry.id)
    # Asked for a comment after the survey's ratings, within its window.
    survey_draft = await services.surveys.awaiting_comment(user.id)
    if survey_draft is not None:
        return Owner(Mode.SURVEY_COMMENT, survey=survey_draft)
    return Owner(Mode.QUESTION, expired=expired)


async def on_text(update: Update, context: BotContext) -> None:
    """The learner's text goes to the feature that owns the chat: the announcement
    or enquiry being written, a follow-up to an answer, or else it is a question."""
    found = await owner(update, context)
    if found.mode == Mode.COMPOSING:
        await broadcasts.on_compose_message(update, context)
    elif found.mode == Mode.REGISTRATION and found.registration_draft is not None:
        await registration.on_draft_text(update, context, found.registration_draft)
    elif found.mode == Mode.ENQUIRY and found.enquiry_draft is not None:
        await enquiries.on_draft_text(update, context, found.enquiry_draft)
    elif found.mode == Mode.FOLLOW_UP and found.enquiry_id is not None:
        await enquiries.follow_up(update, context, found.enquiry_id)
    elif found.mode == Mode.SURVEY_COMMENT and found.survey is not None:
        await survey.on_comment(update, context, found.survey)
    else:
        await questions.on_question(update, context, found.expired)


async def on_file(update: Update, context: BotContext) -> None:
    """A photo or document: part of an announcement being composed, or else the
    learner is told the bot reads text."""
    found = await owner(update, context)
    if found.mode == Mode.COMPOSING:
        await broadcasts.on_compose_message(update, context)
    else:
        await fallback.not_text(update, context)


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel: the announcement or the enquiry being written is dropped."""
    found = await owner(update, context)
    if found.mode == Mode.COMPOSING and update.effective_user is not None:
        await context.services.compose.cancel(update.effective_user.id)
        t = await context.translator_for(update)
        await send(update, Reply(t.gettext("The announcement was not sent.")))
        return
    if found.mode == Mode.REGISTRATION and update.effective_user is not None:
        await context.services.registrations.drafts.drop(update.effective_user.id)
        t = await context.translator_for(update)
        await send(update, Reply(registration_texts.cancelled_draft(t)))
        return
    await enquiries.cancel(update, context)


def register_cancel(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("cancel", cancel))


def register_files(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    app.add_handler(
        MessageHandler(
            private & filters.UpdateType.MESSAGE & (filters.PHOTO | filters.Document.ALL),
            on_file,
        )
    )


def register_text(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE,
            on_text,
        )
    )
