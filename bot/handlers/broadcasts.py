"""Staff announcements: /broadcast composes one step by step, /broadcasts lists
recent ones with their figures and cancels those not finished."""

from __future__ import annotations

import datetime as dt
import logging
import re

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.handlers.common import acknowledge, send, show
from bot.transport.announcement import send_announcement
from domain.broadcasts import TARGETED
from services.broadcast_compose import AnnouncementDraft, BadTime, ComposeStep, NoRecipients
from services.broadcasts import Audience, Media
from services.roles import NotAllowed, Role
from texts import broadcast_compose as render
from texts import callbacks
from texts.callbacks import Action, ComposeButton
from texts.i18n import Translator
from texts.reply import Reply

log = logging.getLogger(__name__)
# "Tomorrow at 09:00": when most announcements are read.
MORNING = dt.time(9, 0)
RECENT = 10
# Entities that are formatting chosen by the author (not links, commands or
# mentions Telegram finds by itself in plain text).
FORMATTING = frozenset(
    {
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
    }
)


def _staff_only(t: Translator) -> Reply:
    return Reply(t.gettext("This command is only for the centre's staff."))


async def start_compose(update: Update, context: BotContext) -> None:
    """Staff start a new announcement and are asked for its Lithuanian text."""
    user = update.effective_user
    if user is None:
        return
    t = await context.translator_for(update)
    try:
        await context.services.compose.start(user.id)
    except NotAllowed:
        await send(update, _staff_only(t))
        return
    await send(update, render.ask_lithuanian(t))


def _html_of(message: Message) -> str:
    """The text as Telegram HTML. Formatting made with Telegram's own editor
    (bold, links...) arrives as entities and is turned into tags; a text
    without them is taken as written, tags included, and checked."""
    text = message.text if message.text is not None else message.caption
    entities = message.entities if message.text is not None else message.caption_entities
    formatting = [e for e in entities if e.type in FORMATTING]
    if text and formatting:
        return message.text_html if message.text is not None else message.caption_html
    return text or ""


def _media_of(message: Message) -> Media | None:
    if message.photo:
        return Media("photo", message.photo[-1].file_id)
    if message.document is not None:
        return Media("document", message.document.file_id)
    return None


async def on_compose_message(update: Update, context: BotContext) -> bool:
    """A message from a staff member composing an announcement: taken as its
    next step (True), or not part of one (False)."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return False
    compose = context.services.compose
    draft = await compose.draft(user.id)
    if draft is None:
        return False
    t = await context.translator_for(update)
    media = _media_of(message)
    if draft.step in (ComposeStep.LT, ComposeStep.EN):
        if media is not None and draft.step == ComposeStep.EN:
            await send(
                update,
                Reply(
                    t.gettext(
                        "The photo or document is the same for everyone; please send only the "
                        "English text."
                    )
                ),
            )
            return True
        if media is not None and not message.caption:
            await send(
                update,
                Reply(
                    t.gettext(
                        "Please send the photo or document again with the Lithuanian text as "
                        "its caption."
                    )
                ),
            )
            return True
        problems = await compose.set_text(user.id, draft, _html_of(message), media)
        if problems:
            await send(update, Reply(render.problems_text(t, problems)))
            return True
        await _show_step(update, context, t, draft, edit=False)
        return True
    if draft.step == ComposeStep.TIME and message.text is not None:
        example = _tomorrow_morning(context)
        try:
            local = compose.parse_local(message.text)
            draft = await compose.schedule(user.id, draft, local)
        except BadTime as exc:
            await send(update, Reply(render.bad_time(t, exc.reason, example)))
            return True
        await _show_step(update, context, t, draft, edit=False)
        return True
    await send(update, Reply(t.gettext("Please use the buttons, or /cancel to stop.")))
    await _show_step(update, context, t, draft, edit=False)
    return True


def _tomorrow_morning(context: BotContext) -> dt.datetime:
    compose = context.services.compose
    today = context.services.clock.now().astimezone(compose.zone).date()
    return dt.datetime.combine(today + dt.timedelta(days=1), MORNING)


async def _counts(context: BotContext, user_id: int, audience: Audience) -> dict[str, int]:
    return await context.services.broadcasts.count(user_id, audience)


async def _show_step(
    update: Update, context: BotContext, t: Translator, draft: AnnouncementDraft, edit: bool
) -> None:
    """Ask for what the draft needs next (replacing the menu when pressed)."""
    user = update.effective_user
    if user is None:
        return
    out = show if edit else send
    view = context.services.catalogue.view
    if draft.step == ComposeStep.LT:
        await out(update, render.ask_lithuanian(t))
    elif draft.step == ComposeStep.EN:
        await out(update, render.ask_english(t))
    elif draft.step == ComposeStep.AUDIENCE:
        totals = {}
        for kind in render.AUDIENCE_ORDER:
            if kind not in TARGETED:
                totals[kind] = sum((await _counts(context, user.id, Audience(kind))).values())
        await out(update, render.audience_menu(t, totals))
    elif draft.step == ComposeStep.WHEN:
        await out(update, render.ask_when(t))
    elif draft.step == ComposeStep.TIME:
        await out(update, render.ask_time(t, _tomorrow_morning(context)))
    elif draft.step == ComposeStep.CONFIRM and draft.audience is not None:
        counts = await _counts(context, user.id, draft.audience)
        when = context.services.compose.send_at_local(draft)
        await out(update, render.confirm(t, view, draft.audience, counts, when, draft.nonce))


async def _preview(
    update: Update, context: BotContext, t: Translator, draft: AnnouncementDraft, audience: Audience
) -> bool:
    """Each language's version exactly as its recipients will get it; False
    when nobody would get it or Telegram refused it (the staff member is told)."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or draft.text_lt is None:
        return False
    counts = await _counts(context, user.id, audience)
    if not sum(counts.values()):
        await send(update, render.nobody(t))
        return False
    if draft.lt_to_all or draft.text_en is None:
        versions: list[tuple[str | None, int, str]] = [(None, sum(counts.values()), draft.text_lt)]
    else:
        # Both, even a language nobody reads today: the recipients are
        # counted again when it starts.
        versions = [
            ("lt", counts.get("lt", 0), draft.text_lt),
            ("en", counts.get("en", 0), draft.text_en),
        ]
    for lang, n, text in versions:
        await chat.send_message(render.preview_header(t, lang, n), parse_mode=ParseMode.HTML)
        try:
            await send_announcement(
                context.bot, chat.id, text, draft.media_kind, draft.media_file_id
            )
        except BadRequest as exc:
            # The last word is Telegram's: what it refuses here it would refuse
            # for every recipient. Back to the text it refused.
            step = ComposeStep.EN if lang == "en" else ComposeStep.LT
            await send(update, Reply(render.refused(t, step, str(exc))))
            draft = await context.services.compose.back(user.id, draft, step)
            await _show_step(update, context, t, draft, edit=False)
            return False
    return True


async def on_compose_button(update: Update, context: BotContext) -> None:
    """Staff choose the next step of their announcement with a button."""
    user = update.effective_user
    cb = callbacks.unpack(update.callback_query.data if update.callback_query else None)
    if user is None or cb is None:
        return
    t = await context.translator_for(update)
    compose = context.services.compose
    draft = await compose.draft(user.id)
    if draft is None:
        # Sent (a second tap on "Confirm"), cancelled, stale, or a press by
        # someone who is not staff: a notice, and the message stays as it is.
        await acknowledge(update, t.gettext("This announcement is no longer being written."))
        return
    await acknowledge(update)
    action = cb.arg(0)
    if action == ComposeButton.CANCEL:
        await compose.cancel(user.id)
        await show(update, Reply(t.gettext("The announcement was not sent.")))
        return
    if action == ComposeButton.BACK:
        draft = await compose.back(user.id, draft, cb.arg(1))
        await _show_step(update, context, t, draft, edit=True)
        return
    if action == ComposeButton.ALL_LITHUANIAN and draft.step == ComposeStep.EN:
        draft = await compose.lithuanian_to_everyone(user.id, draft)
    elif action == ComposeButton.AUDIENCE and draft.step == ComposeStep.AUDIENCE:
        await _choose_audience(update, context, t, draft, cb.arg(1))
        return
    elif action == ComposeButton.TARGET and draft.step == ComposeStep.AUDIENCE:
        await _choose_target(update, context, t, draft, cb.arg(1), cb.arg(2))
        return
    elif action == ComposeButton.NOW and draft.step == ComposeStep.WHEN:
        draft = await compose.send_now(user.id, draft)
    elif action == ComposeButton.TOMORROW and draft.step == ComposeStep.WHEN:
        draft = await compose.schedule(user.id, draft, _tomorrow_morning(context))
    elif action == ComposeButton.AT and draft.step == ComposeStep.WHEN:
        draft = await compose.ask_time(user.id, draft)
    elif (
        action == ComposeButton.CONFIRM
        and draft.step == ComposeStep.CONFIRM
        and cb.arg(1) == draft.nonce
    ):
        await _confirm(update, context, t, draft)
        return
    # Also a button of an earlier step, or the "Confirm and send" of an earlier
    # draft (it must not send this one): show where the staff member is now.
    await _show_step(update, context, t, draft, edit=True)


async def _choose_audience(
    update: Update, context: BotContext, t: Translator, draft: AnnouncementDraft, kind: str
) -> None:
    user = update.effective_user
    if user is None:
        return
    if kind in TARGETED:
        targets = await context.services.broadcasts.targets(user.id, kind)
        view = context.services.catalogue.view
        await show(update, render.target_menu(t, view, kind, targets))
        return
    if kind not in render.AUDIENCE_ORDER:
        await _show_step(update, context, t, draft, edit=True)
        return
    await _audience_chosen(update, context, t, draft, Audience(kind))


async def _choose_target(
    update: Update,
    context: BotContext,
    t: Translator,
    draft: AnnouncementDraft,
    kind: str,
    packed: str,
) -> None:
    user = update.effective_user
    if user is None or kind not in TARGETED:
        await _show_step(update, context, t, draft, edit=True)
        return
    targets = await context.services.broadcasts.targets(user.id, kind)
    target = callbacks.resolve(packed, targets)
    if target is None or target not in targets:
        await _show_step(update, context, t, draft, edit=True)
        return
    await _audience_chosen(update, context, t, draft, Audience(kind, target))


async def _audience_chosen(
    update: Update, context: BotContext, t: Translator, draft: AnnouncementDraft, audience: Audience
) -> None:
    user = update.effective_user
    if user is None:
        return
    view = context.services.catalogue.view
    await show(
        update,
        Reply(
            t.gettext("Audience: {audience}").format(
                audience=render.describe_audience(t, view, audience)
            )
        ),
    )
    # Saved only once the preview went through: a refused text or an empty
    # audience leaves the draft where it was.
    if not await _preview(update, context, t, draft, audience):
        return
    await context.services.compose.set_audience(user.id, draft, audience)
    await send(update, render.ask_when(t))


async def _confirm(
    update: Update, context: BotContext, t: Translator, draft: AnnouncementDraft
) -> None:
    user = update.effective_user
    if user is None:
        return
    compose = context.services.compose
    when = compose.send_at_local(draft)
    try:
        broadcast_id = await compose.confirm(user.id, draft)
    except NotAllowed:
        await show(update, _staff_only(t))
        return
    except BadTime as exc:
        await send(update, Reply(render.bad_time(t, exc.reason, _tomorrow_morning(context))))
        await _show_step(update, context, t, draft, edit=False)
        return
    except NoRecipients:
        await send(update, render.nobody(t))
        return
    if broadcast_id is None:
        await _show_step(update, context, t, draft, edit=True)
        return
    await show(update, render.created(t, broadcast_id, when))
    query = update.callback_query
    if query is not None and query.message is not None:
        # The progress is shown in this very message, then the report.
        await context.services.broadcasts.set_progress_message(
            broadcast_id, query.message.chat.id, query.message.message_id
        )


async def list_broadcasts(update: Update, context: BotContext) -> None:
    """Staff get the recent broadcasts with their delivery figures and cancel buttons."""
    user = update.effective_user
    if user is None:
        return
    t = await context.translator_for(update)
    await send(update, await _recent_reply(context, t, user.id))


async def _recent_reply(context: BotContext, t: Translator, user_id: int) -> Reply:
    service = context.services.broadcasts
    try:
        history = await service.history(user_id, RECENT)
    except NotAllowed:
        return _staff_only(t)
    zone = context.services.compose.zone
    items = [(past.broadcast, past.figures, past.at.astimezone(zone)) for past in history]
    return render.recent_list(t, context.services.catalogue.view, items)


def _broadcast_id(raw: str) -> int | None:
    # Digits only, and few: "²" is a digit to isdigit(), and SQLite's integers end.
    return int(raw) if re.fullmatch(r"[0-9]{1,12}", raw) else None


async def on_cancel_button(update: Update, context: BotContext) -> None:
    """Staff are asked to confirm before a broadcast is cancelled."""
    user = update.effective_user
    cb = callbacks.unpack(update.callback_query.data if update.callback_query else None)
    if user is None or cb is None:
        return
    t = await context.translator_for(update)
    broadcast_id = _broadcast_id(cb.arg(0))
    if broadcast_id is None or not await context.services.roles.has(user.id, Role.STAFF):
        # Refused (and audited) by the service, so a forged press is on record.
        await _cancel(update, context, t, user.id, broadcast_id or 0)
        return
    await acknowledge(update)
    await send(update, render.confirm_cancel(t, broadcast_id))


async def on_cancel_confirmed(update: Update, context: BotContext) -> None:
    """Staff cancel a scheduled or running broadcast; what was sent stays sent."""
    user = update.effective_user
    cb = callbacks.unpack(update.callback_query.data if update.callback_query else None)
    if user is None or cb is None:
        return
    t = await context.translator_for(update)
    await _cancel(update, context, t, user.id, _broadcast_id(cb.arg(0)) or 0)


async def on_cancel_declined(update: Update, context: BotContext) -> None:
    """Staff changed their mind: nothing is cancelled, the list is shown again."""
    user = update.effective_user
    if user is None:
        return
    t = await context.translator_for(update)
    await acknowledge(update)
    await show(update, await _recent_reply(context, t, user.id))


async def _cancel(
    update: Update, context: BotContext, t: Translator, user_id: int, broadcast_id: int
) -> None:
    try:
        cancelled = await context.services.broadcasts.cancel(user_id, broadcast_id)
    except NotAllowed:
        await acknowledge(update)
        await send(update, _staff_only(t))
        return
    if cancelled:
        notice = t.gettext("Broadcast No. {id} was cancelled.").format(id=broadcast_id)
    else:
        notice = t.gettext("Broadcast No. {id} is not scheduled or running.").format(
            id=broadcast_id
        )
    await acknowledge(update, notice)
    # The confirmation becomes the list, with what is left to cancel.
    await show(update, await _recent_reply(context, t, user_id))


def register(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("broadcast", start_compose, filters=private))
    app.add_handler(CommandHandler("broadcasts", list_broadcasts, filters=private))
    app.add_handler(
        CallbackQueryHandler(on_compose_button, pattern=callbacks.pattern(Action.COMPOSE))
    )
    app.add_handler(
        CallbackQueryHandler(on_cancel_button, pattern=callbacks.pattern(Action.BROADCAST_CANCEL))
    )
    app.add_handler(
        CallbackQueryHandler(
            on_cancel_confirmed, pattern=callbacks.pattern(Action.BROADCAST_CANCEL_YES)
        )
    )
    app.add_handler(
        CallbackQueryHandler(
            on_cancel_declined,
            pattern=callbacks.pattern(Action.BROADCAST_CANCEL_NO, bare=True),
        )
    )
