"""Enquiries: the learner's conversation with the centre, and the staff chat side."""

from __future__ import annotations

import logging

from telegram import Bot, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.handlers import registration_staff
from bot.handlers.common import acknowledge, send, show
from bot.markup import markup
from bot.transport.enquiry_delivery import deliver_answer
from bot.transport.staff_posts import staff_post
from domain.enquiries import Enquiry
from domain.languages import STAFF_LANGUAGE
from services.container import Services
from services.enquiries import (
    OTHER_TOPIC,
    EnquiryDraft,
    EnquiryStep,
    InvalidPhone,
    TooLong,
    check_length,
    replies_to_buttons,
    says_something,
)
from services.roles import NotAllowed
from texts import callbacks, menus
from texts import enquiries as texts
from texts.callbacks import Action, EnquiryButton
from texts.i18n import Translator, translator
from texts.reply import Reply

log = logging.getLogger(__name__)


def _contact_keyboard(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(t.gettext("Share my phone number"), request_contact=True)],
            [KeyboardButton(t.gettext("Skip"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


async def _next_step(
    update: Update, context: BotContext, t: Translator, draft: EnquiryDraft
) -> None:
    """Ask for what the draft lacks."""
    chat = update.effective_chat
    if chat is None:
        return
    if draft.step == EnquiryStep.TOPIC:
        await send(update, texts.ask_topic(t, draft))
    elif draft.step == EnquiryStep.QUESTION:
        await send(update, texts.ask_question(t, draft))
    elif draft.step == EnquiryStep.CONTACT:
        ask = (
            texts.ask_registration_contact(t, draft) if draft.registration else texts.ask_contact(t)
        )
        await chat.send_message(ask, parse_mode=ParseMode.HTML, reply_markup=_contact_keyboard(t))
    elif draft.step == EnquiryStep.CONSENT:
        # This message also takes the phone keyboard away.
        await chat.send_message(texts.after_contact(t, draft), reply_markup=ReplyKeyboardRemove())
        await send(update, texts.ask_consent(t, draft))
    elif draft.step == EnquiryStep.CONFIRM:
        await send(update, texts.confirm(t, draft, _title(context, draft.programme_id, t.lang)))
    elif draft.step == EnquiryStep.FOLLOW_UP:
        await send(update, texts.ask_follow_up(t, draft))


async def on_start_button(update: Update, context: BotContext) -> None:
    """The learner starts writing an enquiry (from the menu, a card or "I don't know"),
    or moves it on with its buttons."""
    user = update.effective_user
    cb = callbacks.unpack(update.callback_query.data if update.callback_query else None)
    if user is None or cb is None:
        return
    t = await context.translator_for(update)
    services = context.services
    action = cb.arg(0)
    if action in (EnquiryButton.CANCEL, EnquiryButton.AGREE, EnquiryButton.SEND):
        await _draft_button(update, context, t, action, cb.arg(1))
        return
    if action == EnquiryButton.ADD:
        await _start_follow_up(update, context, t, cb.arg(1))
        return
    await acknowledge(update)
    if action == EnquiryButton.TOPIC:
        draft, _expired = await services.enquiries.draft(user.id)
        label = texts.TOPICS.get(cb.arg(1))
        current = draft is not None and draft.nonce == cb.arg(2)
        if draft is not None and current and draft.step == EnquiryStep.TOPIC and label is not None:
            # Kept as its id, shown in each reader's language.
            draft = await services.enquiries.set_topic(user.id, draft, cb.arg(1))
        await _show_current(update, context, t, draft)
        return
    text = topic = programme_id = None
    if action == EnquiryButton.ASK:
        # From a 👎 the button names the question (checked to be the learner's);
        # from "I don't know", the last question the bot could not answer.
        asked = cb.arg(1)
        if asked.isascii() and asked.isdigit():
            text = await services.feedback.question_text(user.id, int(asked))
        else:
            text = await services.answers.last_unanswered(user.id)
    elif action == EnquiryButton.PROGRAMME:
        view = services.catalogue.view
        programme = view.programmes.get(callbacks.resolve(cb.arg(1), view.programmes) or "")
        if programme is not None:
            # Until the centre registers in the bot: the programme and group
            # written out, and a phone number for staff to call back.
            group_id = callbacks.resolve(cb.arg(2), view.groups) if cb.arg(2) else None
            found = view.groups.get(group_id or "")
            group = found[1] if found is not None and found[0].id == programme.id else None
            programme_id, topic = programme.id, "programmes"
            text = texts.registration_text(t, programme.title.get(t.lang), group)
            draft = await services.enquiries.start(
                user.id, t.lang, text, topic, programme_id, registration=True
            )
            await _next_step(update, context, t, draft)
            return
    draft = await services.enquiries.start(user.id, t.lang, text, topic, programme_id)
    await _next_step(update, context, t, draft)


async def _start_follow_up(update: Update, context: BotContext, t: Translator, number: str) -> None:
    """From /my_enquiries: the learner's next message joins their open enquiry."""
    user = update.effective_user
    if user is None:
        return
    draft = None
    if number.isascii() and number.isdigit():
        draft = await context.services.enquiries.start_follow_up(user.id, t.lang, int(number))
    if draft is None:
        await acknowledge(update, texts.follow_up_closed(t))
        await send(update, Reply(texts.follow_up_closed(t)))
        return
    await acknowledge(update)
    await send(update, texts.ask_follow_up(t, draft))


async def start_in_words(
    update: Update, context: BotContext, t: Translator, text: str | None
) -> None:
    """The learner who asked for a person in words starts an enquiry, as with the
    "Ask the centre" button; a question in the same message is kept as its text."""
    user = update.effective_user
    if user is None:
        return
    draft = await context.services.enquiries.start(user.id, t.lang, text)
    await _next_step(update, context, t, draft)


async def _draft_button(
    update: Update, context: BotContext, t: Translator, action: str, nonce: str
) -> None:
    """Cancel, I agree or Send: they act only on the draft they were shown for."""
    user = update.effective_user
    if user is None:
        return
    service = context.services.enquiries
    draft, expired = await service.draft(user.id)
    if draft is not None and draft.nonce == nonce:
        if action == EnquiryButton.CANCEL:
            await acknowledge(update)
            await service.cancel(user.id, nonce)
            await show(update, Reply(_dropped_text(t, draft)))
            return
        if action == EnquiryButton.AGREE and draft.step == EnquiryStep.CONSENT:
            await acknowledge(update)
            await _next_step(update, context, t, await service.consent(user.id, draft))
            return
        if action == EnquiryButton.SEND and draft.step == EnquiryStep.CONFIRM:
            enquiry = await service.submit(user.id, nonce)
            if enquiry is not None:
                log.info("enquiry %d received (%s)", enquiry.id, enquiry.lang)
                await acknowledge(update)
                await _sent(update, context, t, enquiry)
                return
        # A button of an earlier step of this draft: show where the learner is now.
        await acknowledge(update)
        await _next_step(update, context, t, draft)
        return
    await _stale_draft_button(update, context, t, action, nonce, draft, expired)


def _dropped_text(t: Translator, draft: EnquiryDraft | None) -> str:
    """What the learner is told when the draft they were writing is dropped."""
    if draft is not None and draft.step == EnquiryStep.FOLLOW_UP:
        return t.gettext("Nothing was added to enquiry No. {number}.").format(
            number=draft.follow_up_of
        )
    return t.gettext("Your enquiry was not sent.")


async def _sent(update: Update, context: BotContext, t: Translator, enquiry: Enquiry) -> None:
    """The confirmation shows the enquiry's number; staff get it once."""
    await show(update, Reply(texts.sent(t, enquiry)))
    if enquiry.staff_message_id is None:
        await _post_to_staff(context, enquiry.id)


async def _stale_draft_button(
    update: Update,
    context: BotContext,
    t: Translator,
    action: str,
    nonce: str,
    draft: EnquiryDraft | None,
    expired: bool,
) -> None:
    """A button of a draft that is no longer being written: it does not act, and
    the learner is told what became of that draft."""
    user = update.effective_user
    if user is None:
        return
    service = context.services.enquiries
    enquiry = await service.sent_from(user.id, nonce)
    if enquiry is not None:
        # Sent: a second "Send" (or the press handled again after a crash)
        # or an old "Cancel". Staff get it if the first handling could not post it.
        await acknowledge(
            update, texts.already_sent(t, enquiry, cancelling=action == EnquiryButton.CANCEL)
        )
        if action == EnquiryButton.CANCEL or enquiry.user_id is None:
            await show(update, Reply(texts.already_sent(t, enquiry)))
        else:
            await show(update, Reply(texts.sent(t, enquiry)))
        if enquiry.user_id is not None and enquiry.staff_message_id is None:
            await _post_to_staff(context, enquiry.id)
        return
    if expired:
        await acknowledge(update)
        await show(update, Reply(expired_text(t)))
        return
    if not nonce:
        # A button from before drafts had nonces: nothing can be said about it.
        await acknowledge(update, menus.stale_text(t))
        if draft is not None:
            await _next_step(update, context, t, draft)
        return
    # Cancelled, expired earlier or replaced by a newer draft: never sent.
    await acknowledge(update, texts.not_sent(t))
    await show(update, Reply(texts.not_sent(t)))
    if draft is not None:
        await _next_step(update, context, t, draft)


async def _show_current(
    update: Update, context: BotContext, t: Translator, draft: EnquiryDraft | None
) -> None:
    """The step the draft is at, or (no draft) the notice that the menu is old."""
    if draft is not None:
        await _next_step(update, context, t, draft)
        return
    await show(update, menus.stale_menu(t, context.services.catalogue.view))


def expired_text(t: Translator) -> str:
    return t.gettext("Your unfinished enquiry expired. Start again from the menu when you like.")


async def _add_words(
    update: Update, context: BotContext, t: Translator, draft: EnquiryDraft, text: str
) -> EnquiryDraft | None:
    """Words typed after the question join it, and the learner is told so;
    None (and the learner told the limit) when they do not fit."""
    user = update.effective_user
    if user is None:
        return None
    try:
        draft = await context.services.enquiries.add_text(user.id, draft, text)
    except TooLong as exc:
        await send(update, Reply(texts.addition_too_long(t, exc.length)))
        return None
    await send(update, Reply(texts.added(t)))
    return draft


async def on_draft_text(update: Update, context: BotContext, draft: EnquiryDraft) -> None:
    """The learner's message while writing an enquiry: the question or a phone number."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    t = await context.translator_for(update)
    service = context.services.enquiries
    text = (message.text or "").strip()
    if draft.step == EnquiryStep.FOLLOW_UP and draft.follow_up_of is not None:
        try:
            check_length(text)
        except TooLong as exc:
            await send(update, Reply(texts.too_long(t, exc.length)))
            return
        if text:
            await follow_up(update, context, draft.follow_up_of)
            await service.cancel(user.id, draft.nonce)
        else:
            await send(update, texts.ask_follow_up(t, draft))
        return
    if draft.step == EnquiryStep.TOPIC and text:
        # Words typed instead of pressing a topic are the question itself:
        # kept, under "Something else", never dropped.
        draft = await service.set_topic(user.id, draft, OTHER_TOPIC)
    if draft.step == EnquiryStep.QUESTION:
        if not text:
            await send(update, texts.ask_question(t, draft))
            return
        try:
            check_length(text)
        except TooLong as exc:
            # Nothing is cut silently: the learner decides what to leave out.
            await send(update, Reply(texts.too_long(t, exc.length)))
            return
        await _next_step(update, context, t, await service.set_text(user.id, draft, text))
    elif draft.step == EnquiryStep.CONTACT:
        if text.casefold() in (t.gettext("Skip").casefold(), "skip", "praleisti"):
            draft = await service.set_contact(user.id, draft, None, None)
        else:
            try:
                draft = await service.set_typed_contact(user.id, draft, text)
            except InvalidPhone:
                if not says_something(text):
                    await message.reply_text(texts.bad_phone(t), reply_markup=_contact_keyboard(t))
                    return
                # More words, not a mistyped number: part of the enquiry,
                # kept; then the phone number is asked for again.
                added = await _add_words(update, context, t, draft, text)
                if added is None:
                    return
                draft = added
        await _next_step(update, context, t, draft)
    elif draft.step in (EnquiryStep.CONSENT, EnquiryStep.CONFIRM) and replies_to_buttons(text):
        # "ne", "ok", "taip": an answer to the buttons, not words for staff.
        await send(update, Reply(menus.use_the_buttons(t)))
        if draft.step == EnquiryStep.CONSENT:
            await send(update, texts.ask_consent(t, draft))
        else:
            await _next_step(update, context, t, draft)
    elif draft.step in (EnquiryStep.CONSENT, EnquiryStep.CONFIRM) and text:
        # More words after the question (a registration's prefilled one, say):
        # part of the enquiry, so kept; then the same button again.
        added = await _add_words(update, context, t, draft, text)
        if added is None:
            return
        draft = added
        if draft.step == EnquiryStep.CONSENT:
            await send(update, texts.ask_consent(t, draft))  # the thanks was said already
        else:
            await _next_step(update, context, t, draft)
    else:
        # The topic is a button: show the choice again.
        await _next_step(update, context, t, draft)


async def on_contact(update: Update, context: BotContext) -> None:
    """The learner shares their phone number with Telegram's button."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None or message.contact is None:
        return
    t = await context.translator_for(update)
    service = context.services.enquiries
    draft, _expired = await service.draft(user.id)
    if draft is None or draft.step != EnquiryStep.CONTACT:
        await send(update, Reply(t.gettext("Thank you, but I was not expecting a phone number.")))
        return
    contact = message.contact
    name = " ".join(p for p in (contact.first_name, contact.last_name) if p) or None
    try:
        draft = await service.set_contact(user.id, draft, contact.phone_number, name)
    except InvalidPhone:
        draft = await service.set_contact(user.id, draft, None, name)
    await _next_step(update, context, t, draft)


async def cancel(update: Update, context: BotContext) -> None:
    """The learner leaves the enquiry they were writing."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    t = await context.translator_for(update)
    service = context.services.enquiries
    draft, _expired = await service.draft(user.id)
    dropped = await service.cancel(user.id)
    text = _dropped_text(t, draft) if dropped else t.gettext("Nothing to cancel.")
    await chat.send_message(text, reply_markup=ReplyKeyboardRemove())


async def leave_draft(update: Update, context: BotContext) -> None:
    """Going back to the menu (/start, /menu) leaves an enquiry being written:
    the learner is told it was not sent, so later questions are questions again."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    service = context.services.enquiries
    draft, _expired = await service.draft(user.id)
    if draft is None or not await service.cancel(user.id):
        return
    t = await context.translator_for(update)
    await chat.send_message(_dropped_text(t, draft), reply_markup=ReplyKeyboardRemove())


async def my_enquiries(update: Update, context: BotContext) -> None:
    """The learner gets their enquiries with status in words, the last answer, and a
    button to add to each open one."""
    user = update.effective_user
    if user is None:
        return
    t = await context.translator_for(update)
    rows = await context.services.enquiries.mine(user.id)
    await send(update, texts.my_enquiries(t, rows))


async def follow_up(update: Update, context: BotContext, enquiry_id: int) -> None:
    """The learner's reply to an answer goes into the same enquiry, to staff."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None or not message.text:
        return
    t = await context.translator_for(update)
    service = context.services.enquiries
    row = await service.follow_up(
        user.id, enquiry_id, message.text, f"msg:{message.chat_id}:{message.message_id}"
    )
    if row is not None:
        await _forward_follow_up(context, enquiry_id, row, message.text)
    await send(
        update,
        Reply(
            t.gettext("Thank you, your message was added to enquiry {number}.").format(
                number=enquiry_id
            )
        ),
    )


async def _post_to_staff(context: BotContext, enquiry_id: int) -> None:
    service = context.services.enquiries
    enquiry = await service.get(enquiry_id)
    if enquiry is None or service.staff_chat_id is None:
        if service.staff_chat_id is None:
            log.warning("STAFF_CHAT_ID is not set: enquiry %s waits in the database", enquiry_id)
        return
    reply = await staff_post(context.services, enquiry)
    sent = await context.bot.send_message(
        service.staff_chat_id,
        reply.text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup(reply),
        message_thread_id=service.staff_thread_id,
    )
    await service.posted_to_staff(enquiry_id, sent.chat_id, sent.message_id)


async def _forward_follow_up(context: BotContext, enquiry_id: int, row: int, text: str) -> None:
    service = context.services.enquiries
    enquiry = await service.get(enquiry_id)
    if enquiry is None or service.staff_chat_id is None:
        return
    sent = await context.bot.send_message(
        service.staff_chat_id,
        texts.staff_follow_up(translator(STAFF_LANGUAGE), enquiry, text),
        parse_mode=ParseMode.HTML,
        reply_to_message_id=enquiry.staff_message_id,
        message_thread_id=service.staff_thread_id,
    )
    await service.shown(row, staff_chat_id=sent.chat_id, staff_message_id=sent.message_id)


def _title(context: BotContext, programme_id: str | None, lang: str) -> str | None:
    """The programme an enquiry is about, by its title in `lang`."""
    programme = context.services.catalogue.view.programmes.get(programme_id or "")
    return programme.title.get(lang) if programme else None


async def on_staff_reply(update: Update, context: BotContext) -> None:
    """A staff member's reply in the staff chat reaches the learner."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None or message.reply_to_message is None:
        return
    # A photo or a file answers too; its caption (perhaps none) is what is recorded.
    media = message.photo or message.document
    text = message.text or message.caption or ""
    if not message.text and not media:
        return
    # A reply to the bot's "Why is registration N declined?" is that reason.
    if await registration_staff.on_reason_reply(update, context):
        return
    service = context.services.enquiries
    enquiry = await service.by_staff_message(message.chat_id, message.reply_to_message.message_id)
    if enquiry is None:
        return
    staff_t = translator(STAFF_LANGUAGE)
    await context.services.roles.remember_name(user.id, user.first_name, user.last_name)
    try:
        row = await service.staff_answer(
            user.id, enquiry.id, text, f"msg:{message.chat_id}:{message.message_id}"
        )
    except NotAllowed:
        await message.reply_text(staff_t.gettext("Only the centre's staff can answer enquiries."))
        return
    except TooLong as exc:
        await message.reply_text(texts.answer_too_long(staff_t, exc.length, exc.limit))
        return
    if row is None:
        return
    outcome = await deliver_answer(context.bot, context.services, enquiry, row, text)
    if outcome == "erased":
        await message.reply_text(
            staff_t.gettext("The learner erased their data; the answer was not sent.")
        )
        return
    if outcome == "blocked":
        await message.reply_text(
            staff_t.gettext("The learner has blocked the bot; the answer was not delivered.")
        )
        return
    if outcome == "failed":
        await message.reply_text(
            staff_t.gettext(
                "Telegram did not accept the answer; it was not delivered. Try again later."
            )
        )
        return
    if outcome == "uncertain":
        await message.reply_text(
            staff_t.gettext(
                "Telegram did not confirm the answer; it may not have arrived. "
                "Check the enquiry in the console before sending it again."
            )
        )
        return
    if media and enquiry.user_id is not None:
        await context.bot.copy_message(enquiry.user_id, message.chat_id, message.message_id)
    await message.reply_text(staff_t.gettext("Delivered to the learner."))


async def on_staff_button(update: Update, context: BotContext) -> None:
    """Take, Close or Spam on an enquiry: staff only, checked on the server, and only
    while the enquiry is as the post showed it."""
    user = update.effective_user
    cb = callbacks.unpack(update.callback_query.data if update.callback_query else None)
    if user is None or cb is None:
        return
    t = await context.translator_for(update)
    action, number = cb.arg(0), cb.arg(1)
    if action not in ("take", "close", "spam") or not number.isascii() or not number.isdigit():
        await acknowledge(update, t.gettext("This menu is out of date. Here is the current one."))
        return
    # A post from before buttons carried the status: any status is "moved on".
    shown = cb.arg(2) or "?"
    try:
        enquiry, done = await context.services.enquiries.act_as_shown(
            user.id, int(number), action, shown
        )
    except NotAllowed:
        await acknowledge(update, t.gettext("This is only for the centre's staff."))
        return
    staff_t = translator(STAFF_LANGUAGE)
    if enquiry is not None and not done:
        await acknowledge(update, texts.staff_post_moved_on(staff_t, enquiry))
    else:
        await acknowledge(update)
    if enquiry is not None and update.callback_query and update.callback_query.message:
        await show(update, await staff_post(context.services, enquiry))


async def raise_overdue(bot: Bot, services: Services) -> int:
    """Post, once, each enquiry that waited too long again in the staff chat."""
    service = services.enquiries
    if service.staff_chat_id is None:
        return 0
    t = translator(STAFF_LANGUAGE)
    overdue = await service.overdue()
    for enquiry in overdue:
        text = t.ngettext(
            "Enquiry {number} has waited more than {hours} working hour for an answer.",
            "Enquiry {number} has waited more than {hours} working hours for an answer.",
            int(service.escalation_hours),
        ).format(number=enquiry.id, hours=int(service.escalation_hours))
        await bot.send_message(
            service.staff_chat_id,
            text,
            reply_to_message_id=enquiry.staff_message_id,
            message_thread_id=service.staff_thread_id,
        )
    return len(overdue)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("my_enquiries", my_enquiries))
    app.add_handler(
        CallbackQueryHandler(on_start_button, pattern=callbacks.pattern(Action.ENQUIRY))
    )
    app.add_handler(
        CallbackQueryHandler(on_staff_button, pattern=callbacks.pattern(Action.STAFF_ENQUIRY))
    )
    app.add_handler(MessageHandler(filters.CONTACT & filters.ChatType.PRIVATE, on_contact))
    app.add_handler(
        MessageHandler(
            filters.ChatType.GROUPS
            & filters.REPLY
            & (filters.TEXT | filters.PHOTO | filters.Document.ALL)
            & filters.UpdateType.MESSAGE,
            on_staff_reply,
        )
    )
