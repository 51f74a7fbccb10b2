"""Registering for a group's seat: the deep link, the form's steps, the
result with its number, offers, and /my_courses. Glue: the rules are in
services/registrations, the words in texts/registration.py."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.handlers import in_passing
from bot.handlers.common import acknowledge, send, show
from bot.transport.pacing import Priority
from bot.transport.registration_posts import follow_group
from domain.registrations import LIVE, Registration, RegistrationStatus
from services.bidi import typed_value
from services.registrations import Change, Outcome
from services.registrations.drafts import (
    FieldTooLong,
    InvalidField,
    RegistrationDraft,
    asks_something,
    clean,
)
from texts import callbacks, cards, menus
from texts import registration as texts
from texts.callbacks import Action, RegisterButton
from texts.i18n import Translator
from texts.reply import Reply

DEEP_LINK_PREFIX = "reg-"


_SEAT_PRESSES = {
    Action.REGISTER: {RegisterButton.CONFIRM, RegisterButton.ACCEPT_OFFER},
    Action.MY_COURSES: {RegisterButton.DO_CANCEL},
}


def claims_seat(update: object) -> bool:
    """A press that takes a seat or gives one up. The application handles these
    one at a time in the order they reached the bot, so seats and the waiting
    list follow that order and not the order concurrent handlers finish in."""
    query = update.callback_query if isinstance(update, Update) else None
    cb = callbacks.unpack(query.data if query else None)
    return cb is not None and cb.arg(0) in _SEAT_PRESSES.get(cb.action, set())


async def start_link(update: Update, context: BotContext, group_id: str) -> None:
    """`/start reg-<group>`: the learner starts registering for the group, or is
    told why not with the programme's card."""
    t = await context.translator_for(update)
    await _begin(update, context, t, group_id)


async def _begin(update: Update, context: BotContext, t: Translator, group_id: str) -> None:
    user = update.effective_user
    if user is None:
        return
    service = context.services.registrations
    view = context.services.catalogue.view
    found = service.group(group_id)
    if found is None:
        await send(update, Reply(texts.unknown_group(t)))
        await send(update, menus.main_menu(t, view))
        return
    programme, group = found
    closed = service.closed_reason(group)
    if closed is not None:
        today = context.services.clock.now().astimezone(view.zone).date()
        await send(update, Reply(texts.closed_text(t, closed, view.catalogue.centre)))
        await send(update, Reply(cards.programme_card(t, view, programme, today)))
        return
    # Said before the form, not after it: a learner already registered, or
    # about to join a waiting list, should know before typing their details.
    for made in await service.list_for_user(user.id):
        if made.group_id == group_id and made.status in LIVE:
            await send(update, Reply(texts.already_registered(t, made.id)))
            return
    counts = await service.seat_counts(group_id)
    if counts is not None and counts.free == 0:
        await send(update, Reply(texts.full_group(t, counts.waiting)))
    earlier = await service.drafts.get(user.id)
    if earlier is not None and earlier.group_id != group_id:
        # A Register button of another group pressed mid-form: the form
        # half written for the first group goes, and the learner is told.
        left = service.group(earlier.group_id)
        if left is not None:
            await send(update, Reply(texts.replaced_draft(t, texts.group_line(t, *left))))
    form = programme.registration_form()
    draft = await service.drafts.start(user.id, group_id, t.lang, form.fields, form.payments)
    chat = update.effective_chat
    if chat is not None:
        # "Kiek kainuoja?" typed during the form is about this group, however
        # the learner got here (a link from a poster shows no card first).
        await context.services.answers.shown(chat.id, user.id, "group", group_id)
    await _next(update, context, t, draft)


async def _next(
    update: Update,
    context: BotContext,
    t: Translator,
    draft: RegistrationDraft,
    again: bool = False,
) -> None:
    """Ask what the draft lacks next (`again`: after a question answered in
    passing, saying that the registration is still open)."""

    async def ask(step: Reply) -> None:
        await send(update, texts.carry_on(t, step) if again else step)

    user = update.effective_user
    found = context.services.registrations.group(draft.group_id)
    if user is None or found is None:
        return
    programme, group = found
    drafts = context.services.registrations.drafts
    field = draft.next_field
    if field is not None:
        draft.step = "field"
        await drafts.save(user.id, draft)
        first = not draft.details
        await ask(texts.ask_field(t, field, programme, group, first))
        return
    if draft.payment is None:
        if len(draft.payments) == 1:
            draft.payment = draft.payments[0]
        else:
            draft.step = "payment"
            await drafts.save(user.id, draft)
            await ask(texts.ask_payment(t, draft.nonce, tuple(draft.payments)))
            return
    if draft.payment == "employer" and draft.invoice is None:
        draft.step = "invoice"
        await drafts.save(user.id, draft)
        await ask(texts.ask_invoice(t))
        return
    # Only the "I agree" button moves past consent: text typed at the
    # consent step, even "ne", must never count as agreeing.
    if not draft.agreed:
        draft.step = "consent"
        await drafts.save(user.id, draft)
        await ask(texts.ask_consent(t, draft.nonce))
        return
    draft.step = "summary"
    await drafts.save(user.id, draft)
    await ask(
        texts.summary(t, programme, group, draft.details, draft.payment, draft.invoice, draft.nonce)
    )


async def on_draft_text(update: Update, context: BotContext, draft: RegistrationDraft) -> None:
    """The learner's answer to the field asked (or the invoice details)."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    t = await context.translator_for(update)
    # "How much is it?" typed where a name is asked: the answer, then the
    # step again (a phone number or a name never asks anything).
    if asks_something(message.text) and await in_passing.answer_in_passing(
        update, context, t, message.text
    ):
        await _next(update, context, t, draft, again=True)
        return
    if draft.step == "invoice":
        draft.invoice = typed_value(message.text)[:500] or None
        await _next(update, context, t, draft)
        return
    field = draft.next_field
    if draft.step != "field" or field is None:
        # A text while a button is awaited ("ne", "sutinku"): the same
        # question again, saying how to answer it.
        await send(update, Reply(menus.use_the_buttons(t)))
        await _next(update, context, t, draft)
        return
    try:
        draft.details[field] = clean(field, message.text)
    except FieldTooLong:
        await send(update, Reply(texts.too_long(t)))
        return
    except InvalidField:
        await send(update, Reply(texts.invalid_field(t, field)))
        return
    await _next(update, context, t, draft)


async def on_button(update: Update, context: BotContext) -> None:
    """A press in the registration form, or on an offer."""
    query = update.callback_query
    user = update.effective_user
    cb = callbacks.unpack(query.data if query else None)
    if query is None or user is None or cb is None:
        return
    t = await context.translator_for(update)
    service = context.services.registrations
    kind = cb.arg(0)
    if kind == RegisterButton.START:
        await acknowledge(update)
        group_id = callbacks.resolve(cb.arg(1), context.services.catalogue.view.groups) or ""
        await _begin(update, context, t, group_id)
        return
    if kind in (RegisterButton.ACCEPT_OFFER, RegisterButton.DECLINE_OFFER):
        await _offer(update, context, t, kind, cb.arg(1))
        return
    draft = await service.drafts.get(user.id)
    if draft is None or draft.nonce != cb.arg(1):
        made = await service.from_draft(user.id, cb.arg(1))
        if made is not None and kind == RegisterButton.CONFIRM:
            # A second tap on Confirm: the registration it made, nothing new.
            await acknowledge(update)
            return
        await acknowledge(update, texts.stale(t))
        return
    await acknowledge(update)
    if kind == RegisterButton.CANCEL:
        await service.drafts.drop(user.id)
        await show(update, Reply(texts.cancelled_draft(t)))
    elif kind == RegisterButton.PAY and draft.step == "payment" and cb.arg(2) in draft.payments:
        draft.payment = cb.arg(2)
        await _next(update, context, t, draft)
    elif kind == RegisterButton.AGREE and draft.step == "consent":
        draft.agreed = True
        await _next(update, context, t, draft)
    elif kind == RegisterButton.EDIT and draft.step == "summary":
        await show(update, texts.ask_what_to_edit(t, draft.nonce, draft.editable()))
    elif kind == RegisterButton.EDIT_FIELD and draft.step == "summary":
        # One detail asked again, then the summary: the rest and the consent stay.
        draft.forget(cb.arg(2))
        await _next(update, context, t, draft)
    elif kind == RegisterButton.CONFIRM and draft.step == "summary" and draft.payment:
        await _confirm(update, context, t, draft)


async def _confirm(
    update: Update, context: BotContext, t: Translator, draft: RegistrationDraft
) -> None:
    user = update.effective_user
    assert user is not None
    services = context.services
    found = await services.registrations.register(
        user_id=user.id,
        group_id=draft.group_id,
        lang=t.lang,
        details=draft.details,
        payment=draft.payment or "self",
        payment_details={"invoice": draft.invoice} if draft.invoice else None,
        nonce=draft.nonce,
    )
    if found.outcome in (Outcome.CLOSED, Outcome.DUPLICATE, Outcome.UNKNOWN_GROUP):
        await services.registrations.drafts.drop(user.id)
    await show(update, texts.result(t, found, services.catalogue.view.catalogue.centre))
    if found.outcome == Outcome.CONFIRMED and found.registration is not None:
        await welcome(update, context, found.registration)


async def welcome(update: Update, context: BotContext, made: Registration) -> None:
    """A confirmed seat: the group's reminders followed and its calendar file."""
    await follow_group(context.bot, context.services, made, Priority.INTERACTIVE)


async def _offer(
    update: Update, context: BotContext, t: Translator, kind: str, number: str
) -> None:
    user = update.effective_user
    assert user is not None
    if not (number.isascii() and number.isdigit()):
        await acknowledge(update, texts.stale(t))
        return
    service = context.services.registrations
    if kind == RegisterButton.ACCEPT_OFFER:
        changed = await service.accept_offer(int(number), user.id)
    else:
        changed = await service.decline_offer(int(number), user.id)
    status = changed.registration.status if changed.registration else None
    answer = texts.offer_answer(t, str(changed.change), status)
    if kind == RegisterButton.DECLINE_OFFER and changed.change == Change.DONE:
        status = None
    await acknowledge(update)
    await show(update, Reply(answer))
    if changed.done and status == RegistrationStatus.CONFIRMED and changed.registration:
        await welcome(update, context, changed.registration)


async def my_courses(update: Update, context: BotContext) -> None:
    """The learner gets their registrations: status, place in line, the next
    session, and a Cancel button for each live one."""
    user = update.effective_user
    if user is None:
        return
    t = await context.translator_for(update)
    await send(update, await _my_courses_reply(context, t, user.id))


async def _my_courses_reply(context: BotContext, t: Translator, user_id: int) -> Reply:
    service = context.services.registrations
    view = context.services.catalogue.view
    now = context.services.clock.now()
    rows = []
    for made in await service.list_for_user(user_id):
        found = view.groups.get(made.group_id)
        line = made.group_id
        next_session = None
        if found is not None:
            programme, group = found
            line = texts.group_line(t, programme, group)
            upcoming = view.upcoming_sessions(group, now)
            if upcoming and made.status in (
                RegistrationStatus.PENDING,
                RegistrationStatus.CONFIRMED,
            ):
                session = upcoming[0]
                # As on the group's card: "Tue 19 Jan 13:00", not "2027-01-19 13:00".
                when = f"{t.weekday_date(session.starts_at.date())} {t.time(session.starts_at)}"
                next_session = f"{session.title.get(t.lang)}, {when}"
        place = await service.place_in_line(made.id)
        rows.append((made, line, place, next_session))
    return texts.my_courses(t, rows)


async def on_my_courses_button(update: Update, context: BotContext) -> None:
    """Cancel from /my_courses: asked once more (Yes or No), then done and the
    seat goes on."""
    query = update.callback_query
    user = update.effective_user
    cb = callbacks.unpack(query.data if query else None)
    if query is None or user is None or cb is None:
        return
    t = await context.translator_for(update)
    number = cb.arg(1)
    if not (number.isascii() and number.isdigit()):
        await acknowledge(update, texts.stale(t))
        return
    await acknowledge(update)
    service = context.services.registrations
    if cb.arg(0) == RegisterButton.ASK_CANCEL:
        made = await service.get(int(number))
        if made is None or made.user_id != user.id or made.status not in LIVE:
            # An old Cancel button of a registration already cancelled or
            # closed: nothing to ask.
            await send(update, Reply(texts.cancel_done(t, False, int(number))))
            return
        waiting = made.status == RegistrationStatus.WAITING
        await send(update, texts.ask_cancel(t, int(number), holds_seat=not waiting))
        return
    if cb.arg(0) == RegisterButton.KEEP:
        await show(update, Reply(texts.kept(t, int(number))))
        return
    changed = await service.cancel(int(number), user.id)
    await show(update, Reply(texts.cancel_done(t, changed.done, int(number))))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("my_courses", my_courses))
    app.add_handler(CallbackQueryHandler(on_button, pattern=callbacks.pattern(Action.REGISTER)))
    app.add_handler(
        CallbackQueryHandler(on_my_courses_button, pattern=callbacks.pattern(Action.MY_COURSES))
    )
