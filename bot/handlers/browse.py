"""Menus and catalogue cards behind the inline buttons."""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, TypeHandler

from bot.context import BotContext
from bot.handlers.common import acknowledge, send, show
from domain.languages import LANGUAGES
from services.catalogue.schema import Group
from services.catalogue.view import CatalogueView
from services.search.engine import Hit
from texts import answers, callbacks, cards, labels, menus
from texts import conversation as conversation_texts
from texts import enquiries as enquiry_texts
from texts import registration as registration_texts
from texts.callbacks import Action, ReminderButton, WaitlistButton
from texts.i18n import Translator, translator
from texts.reply import Button, Reply

log = logging.getLogger(__name__)
PAGE = re.compile(r"[0-9]{1,4}")
ALL_KINDS = (*menus.PROGRAMME_KINDS, "driving", "teacher")
# chat_data key: the data of the button whose card was the last one sent below
# an answer (kept in memory: after a restart the card may come once more).
LAST_BELOW = "last_below"


def _programme_reply(
    t: Translator, view: CatalogueView, programme_id: str, context: BotContext, below: bool
) -> Reply | None:
    """A programme's card; `below`: it answers something, so its buttons open
    below it too and it has no "Back" (there is no menu behind it)."""
    programme = view.programmes.get(programme_id)
    if programme is None:
        return None
    today = context.services.clock.now().astimezone(view.zone).date()
    reply = Reply(cards.programme_card(t, view, programme, today))
    reply.add_row(
        Button(
            t.gettext("Groups and sessions"),
            callbacks.pack(Action.GROUPS, programme.id, below=below),
        ),
        Button(
            t.gettext("Price and funding"),
            callbacks.pack(Action.PRICE, programme.id, below=below),
        ),
    )
    if not view.upcoming_groups(programme, today):
        reply.add_row(_waitlist_button(t, programme.id, below))
    reply.add_row(register_button(t, view, programme.id, context, below))
    if not below:
        back = callbacks.pack(Action.LIST, programme.kind, programme.department or "-", 0)
        if programme.kind in ("driving", "teacher"):
            back = callbacks.pack(Action.LIST, programme.kind, "-", 0)
        reply.add_row(Button(t.gettext("« Back"), back))
    return reply


def register_button(
    t: Translator, view: CatalogueView, programme_id: str, context: BotContext, below: bool
) -> Button:
    """One open group: its Register; several: the groups to pick from; none:
    "Register interest", an enquiry staff call back on."""
    still_open = _open_groups(view, programme_id, context)
    if len(still_open) == 1:
        return _group_button(t, view, still_open[0])
    if still_open:
        return Button(
            t.gettext("Register: choose a group"),
            callbacks.pack(Action.GROUPS, programme_id, below=below),
        )
    return enquiry_texts.register_button(t, programme_id)


def answer_register_button(
    t: Translator, hit: Hit, context: BotContext, intent: str = ""
) -> Button | None:
    """Under a typed answer about a course: Register for the group it names
    if that one still takes registrations; else for the course's only open
    group (labelled as another group), or "Register interest" when none is
    open. With several open groups, none: "Groups and sessions" above lists
    them, each with its Register; but a learner who asked to register
    ("noriu registruotis į ...") gets "Register: choose a group" too."""
    view = context.services.catalogue.view
    if hit.type == "programme" and hit.id in view.programmes:
        programme, named = view.programmes[hit.id], None
    elif hit.type == "group" and hit.id in view.groups:
        programme, named = view.groups[hit.id]
    else:
        return None
    still_open = _open_groups(view, programme.id, context)
    if named is not None and named in still_open:
        return _group_button(t, view, named)
    if len(still_open) > 1:
        if intent == "registration":
            return register_button(t, view, programme.id, context, below=True)
        return None
    if not still_open:
        return enquiry_texts.register_button(t, programme.id)
    if named is None:
        return _group_button(t, view, still_open[0])
    # The group asked about takes no more registrations: say that this is another.
    return _group_button(t, view, still_open[0], another=True)


def _group_button(
    t: Translator, view: CatalogueView, group: Group, another: bool = False
) -> Button:
    """Register for a group; "Join the waiting list" when it is full."""
    programme, _group = view.groups[group.id]
    return registration_texts.register_button(
        t, group, another=another, full=view.seats_left(group) == 0, programme=programme
    )


def _open_groups(view: CatalogueView, programme_id: str, context: BotContext) -> list[Group]:
    """Upcoming groups that still take registrations (a group that started
    today or is past its deadline takes none)."""
    today = context.services.clock.now().astimezone(view.zone).date()
    return [
        g
        for g in view.upcoming_groups(view.programmes[programme_id], today)
        if context.services.registrations.closed_reason(g) is None
    ]


def _waitlist_button(t: Translator, programme_id: str, below: bool) -> Button:
    return Button(
        t.gettext("Notify me when a group opens"),
        callbacks.pack(Action.WAITLIST, WaitlistButton.JOIN, programme_id, below=below),
    )


def _back_to_programme(t: Translator, reply: Reply, programme_id: str, below: bool) -> Reply:
    # Opened below an answer, the message has nothing to go back to.
    if not below:
        reply.add_row(Button(t.gettext("« Back"), callbacks.pack(Action.PROGRAMME, programme_id)))
    return reply


def _detail_reply(
    t: Translator,
    view: CatalogueView,
    text: str,
    programme_id: str,
    context: BotContext,
    below: bool,
) -> Reply:
    reply = Reply(text)
    reply.add_row(register_button(t, view, programme_id, context, below))
    return _back_to_programme(t, reply, programme_id, below)


def _groups_reply(
    t: Translator, view: CatalogueView, programme_id: str, context: BotContext, below: bool
) -> Reply:
    """A programme's upcoming groups, each with a button to follow its sessions."""
    now = context.services.clock.now()
    programme = view.programmes[programme_id]
    groups = view.upcoming_groups(programme, now.astimezone(view.zone).date())
    reply = Reply(cards.groups_text(t, view, programme, now))
    for group in groups:
        if group.sessions:
            label = (
                t.gettext("Remind me: {mode} group from {start}")
                if registration_texts.shares_start(programme, group)
                else t.gettext("Remind me: group from {start}")
            ).format(start=t.short_date(group.starts), mode=labels.mode(t, group.mode))
            reply.add_row(
                Button(
                    "⏰ " + label,
                    callbacks.pack(Action.REMINDERS, ReminderButton.FOLLOW, group.id, below=below),
                )
            )
    if not groups:
        reply.add_row(_waitlist_button(t, programme_id, below))
    still_open = [g for g in groups if context.services.registrations.closed_reason(g) is None]
    for group in still_open:
        reply.add_row(_group_button(t, view, group))
    if not still_open:
        reply.add_row(enquiry_texts.register_button(t, programme_id))
    return _back_to_programme(t, reply, programme_id, below)


def _kind_reply(t: Translator, view: CatalogueView, kind: str) -> Reply | None:
    if kind not in menus.PROGRAMME_KINDS:
        return None
    if len(view.departments_of_kind(kind)) > 1:
        return menus.departments_menu(t, view, kind)
    return menus.programme_list(t, view, kind, "-", 0)


def route(
    t: Translator, view: CatalogueView, cb: callbacks.Callback, context: BotContext
) -> Reply | None:
    """The reply a button leads to, or None when it points at nothing we know."""
    programme_ids = view.programmes.keys()
    action = cb.action
    if action == Action.MAIN_MENU:
        return menus.main_menu(t, view)
    if action == Action.PROGRAMME_KINDS:
        return menus.kinds_menu(t, view)
    if action == Action.KIND:
        return _kind_reply(t, view, cb.arg(0))
    if action == Action.LIST:
        kind, department, page = cb.arg(0), cb.arg(1, "-"), cb.arg(2, "0")
        known = department in ("-", "~") or department in view.departments
        if kind not in ALL_KINDS or not known or not PAGE.fullmatch(page):
            return None
        return menus.programme_list(t, view, kind, department, int(page))
    if action in (Action.PROGRAMME, Action.GROUPS, Action.PRICE):
        programme_id = callbacks.resolve(cb.arg(0), programme_ids)
        if programme_id is None or programme_id not in view.programmes:
            return None
        if action == Action.PROGRAMME:
            return _programme_reply(t, view, programme_id, context, cb.below)
        programme = view.programmes[programme_id]
        if action == Action.PRICE:
            return _detail_reply(
                t, view, cards.price_text(t, programme), programme_id, context, cb.below
            )
        return _groups_reply(t, view, programme_id, context, cb.below)
    if action == Action.FAQ_TOPICS:
        return menus.faq_topics(t, view)
    if action == Action.FAQ_TOPIC:
        topic = cb.arg(0)
        if not any(f.topic == topic for f in view.catalogue.faq):
            return None
        return menus.faq_list(t, view, topic)
    if action == Action.FAQ:
        faq_id = callbacks.resolve(cb.arg(0), view.faq.keys())
        if faq_id is None or faq_id not in view.faq:
            return None
        reply = Reply(cards.faq_text(t, view.faq[faq_id]))
        if not cb.below:
            topic = view.faq[faq_id].topic
            reply.add_row(Button(t.gettext("« Back"), callbacks.pack(Action.FAQ_TOPIC, topic)))
        return reply
    if action == Action.CONTACTS:
        reply = Reply(cards.contacts_text(t, view.catalogue.centre))
        # Writing to staff from here saves looking up the e-mail address.
        reply.add_row(conversation_texts.ask_the_centre(t))
        if not cb.below:
            reply.add_row(Button(t.gettext("« Back"), callbacks.pack(Action.MAIN_MENU)))
        return reply
    if action == Action.SUGGESTION:
        return _hit_reply(t, view, cb, context)
    return None


def _suggested(view: CatalogueView, cb: callbacks.Callback) -> tuple[str, str] | None:
    """(kind, id) of the entry a 'Did you mean' button names, if it still exists."""
    kind = callbacks.ENTRY_KINDS.get(cb.arg(0))  # type: ignore[call-overload]
    pools = {
        "programme": view.programmes.keys(),
        "group": view.groups.keys(),
        "faq": view.faq.keys(),
    }
    if kind is None:
        return None
    entry_id = callbacks.resolve(cb.arg(1), pools[kind])
    if entry_id is None or entry_id not in pools[kind]:
        return None
    return kind, entry_id


def _hit_reply(
    t: Translator, view: CatalogueView, cb: callbacks.Callback, context: BotContext
) -> Reply | None:
    """A 'Did you mean' button: the entry as if it had been the best answer."""
    entry = _suggested(view, cb)
    if entry is None:
        return None
    kind, entry_id = entry
    if kind == "programme":
        return _programme_reply(t, view, entry_id, context, below=True)
    hit = Hit(kind, entry_id, 0.0)
    reply = Reply(answers.answer_text(t, view, hit, "info", context.services.clock.now()))
    register = answer_register_button(t, hit, context)
    if register is not None:
        reply.add_row(register)
    reply.add_row(Button(t.gettext("Main menu"), callbacks.pack(Action.MAIN_MENU, below=True)))
    return reply


async def on_button(update: Update, context: BotContext) -> None:
    """The learner gets the menu or card behind the button they pressed."""
    query = update.callback_query
    if query is None:
        return
    cb = callbacks.unpack(query.data)
    if cb is not None and cb.action == Action.LANGUAGE:
        await _language_button(update, context, cb)
        return
    t = await context.translator_for(update)
    view = context.services.catalogue.view
    reply = route(t, view, cb, context) if cb is not None else None
    if reply is None:
        # An old menu (the catalogue changed) or data we never sent.
        log.info("stale or unknown callback data from a learner")
        await acknowledge(update, menus.stale_text(t))
        await show(update, menus.stale_menu(t, view))
        return
    await _remember_course(update, context, view, cb)
    if cb is None or not (cb.below or cb.action == Action.SUGGESTION):
        await acknowledge(update)
        await show(update, reply)
        return
    # Under an answer: the answer stays and what the button opens comes below
    # it, once; the same button again right after only points at it.
    if context.chat_data is not None and context.chat_data.get(LAST_BELOW) == query.data:
        await acknowledge(update, menus.already_below_text(t))
        return
    await acknowledge(update)
    await send(update, reply)
    if context.chat_data is not None:
        context.chat_data[LAST_BELOW] = query.data


async def _remember_course(
    update: Update, context: BotContext, view: CatalogueView, cb: callbacks.Callback | None
) -> None:
    """A course's card opened by a button is what the learner's follow-up
    ("kiek kainuoja?") is about, as a typed answer's is."""
    chat, user = update.effective_chat, update.effective_user
    if cb is None or chat is None:
        return
    entry: tuple[str, str] | None = None
    if cb.action in (Action.PROGRAMME, Action.GROUPS, Action.PRICE):
        programme_id = callbacks.resolve(cb.arg(0), view.programmes.keys())
        entry = ("programme", programme_id) if programme_id is not None else None
    elif cb.action == Action.SUGGESTION:
        entry = _suggested(view, cb)
    if entry is not None:
        # The service keeps courses only: an FAQ card leaves the course as it was.
        await context.services.answers.shown(chat.id, user.id if user else None, *entry)


async def forget_last_below(update: Update, context: BotContext) -> None:
    """Nothing for the learner: anything else in the chat ends the row of one
    card opened below an answer, so the same button opens it again."""
    query = update.callback_query
    if context.chat_data is None:
        return
    if query is None or query.data != context.chat_data.get(LAST_BELOW):
        context.chat_data.pop(LAST_BELOW, None)


async def _language_button(update: Update, context: BotContext, cb: callbacks.Callback) -> None:
    user = update.effective_user
    choice = cb.arg(0)
    if user is None:
        return
    if choice in LANGUAGES:
        await context.services.learners.set_language(user.id, choice)
        t = translator(choice)
        await acknowledge(update, t.gettext("Language changed."))
        reply = menus.main_menu(t, context.services.catalogue.view)
        reply.text = t.gettext("Language changed.") + "\n\n" + reply.text
        await show(update, reply)
        return
    t = await context.translator_for(update)
    await acknowledge(update)
    await show(update, menus.language_menu(t))


def register(app: Application) -> None:  # type: ignore[type-arg]
    # Group -1 sees every update before the handlers that answer it.
    app.add_handler(TypeHandler(Update, forget_last_below), group=-1)
    app.add_handler(CallbackQueryHandler(on_button))
