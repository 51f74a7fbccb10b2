"""A free-text question's answer, shaped by what was asked."""

from __future__ import annotations

import datetime as dt
from html import escape

from services.catalogue.schema import Group, Programme
from services.catalogue.view import CatalogueView
from services.search.engine import Hit, SearchResult
from texts import callbacks, cards, labels
from texts.callbacks import Action, EnquiryButton
from texts.feedback import feedback_row
from texts.i18n import Translator
from texts.reply import Button, Reply, fit


def hit_label(t: Translator, view: CatalogueView, hit: Hit) -> str:
    lang = t.lang
    if hit.type == "programme" and hit.id in view.programmes:
        label = view.programmes[hit.id].title.get(lang)
    elif hit.type == "group" and hit.id in view.groups:
        programme, group = view.groups[hit.id]
        label = f"{programme.title.get(lang)}, {t.short_date(group.starts)}"
    elif hit.type == "faq" and hit.id in view.faq:
        questions = view.faq[hit.id].questions.get(lang)
        label = questions[0] if questions else hit.id
    else:
        label = hit.id
    return fit(label)


def _programme_lead(
    t: Translator, view: CatalogueView, p: Programme, intent: str, now: dt.datetime
) -> str:
    lang = t.lang
    today = now.astimezone(view.zone).date()
    title = f"<b>{escape(p.title.get(lang))}</b>"
    group = view.next_open_group(p, today)
    if intent == "price":
        body = [
            t.gettext("Price: {price}").format(price=cards.price(t, p)),
            t.gettext("Funding: {text}").format(text=escape(p.funding.get(lang))),
            t.gettext("Duration: {duration}").format(duration=escape(p.duration.get(lang))),
        ]
    elif intent in ("start", "registration"):
        if group is None:
            body = [t.gettext("No group is open for registration at the moment.")]
        else:
            body = [
                t.gettext("The next group starts {date}.").format(date=t.date(group.starts)),
                t.gettext("Timetable: {timetable}").format(
                    timetable=escape(group.timetable.get(lang))
                ),
                t.gettext("Form of study: {mode}").format(mode=labels.mode(t, group.mode)),
            ]
            if group.registration_deadline:
                body.append(
                    t.gettext("Registration until {date}").format(
                        date=t.date(group.registration_deadline)
                    )
                )
            body.append(cards.seats_sentence(t, view, group))
    elif intent == "duration":
        body = [t.gettext("Duration: {duration}").format(duration=escape(p.duration.get(lang)))]
        load = cards.study_load(t, p)
        if load:
            body.append(t.gettext("Scope: {load}").format(load=load))
    elif intent == "requirements":
        body = [
            t.gettext("Entry requirements: {text}").format(
                text=escape(p.entry_requirements.get(lang))
            ),
            t.gettext("Who it is for: {text}").format(text=escape(p.audience.get(lang))),
        ]
    elif intent == "seats":
        groups = view.upcoming_groups(p, today)
        body = [cards.group_line(t, view, g, lang) for g in groups] or [
            t.gettext("No group is open for registration at the moment.")
        ]
    elif intent == "place" and group is not None:
        body = [t.gettext("Place: {place}").format(place=escape(group.location.get(lang)))]
    else:
        return cards.programme_card(t, view, p, today)
    return "\n".join([title, *body, "", escape(p.summary.get(lang))])


def _group_lead(
    t: Translator, view: CatalogueView, p: Programme, g: Group, intent: str, now: dt.datetime
) -> str:
    text = cards.group_text(t, view, p, g, now)
    if intent == "price":
        text += "\n\n" + cards.price_text(t, p)
    return text


def answer_text(t: Translator, view: CatalogueView, hit: Hit, intent: str, now: dt.datetime) -> str:
    if hit.type == "programme" and hit.id in view.programmes:
        return _programme_lead(t, view, view.programmes[hit.id], intent, now)
    if hit.type == "group" and hit.id in view.groups:
        programme, group = view.groups[hit.id]
        return _group_lead(t, view, programme, group, intent, now)
    if hit.type == "faq" and hit.id in view.faq:
        return cards.faq_text(t, view.faq[hit.id])
    return ""


def which_course_reply(t: Translator) -> Reply:
    """ "Kiek kainuoja?" with nothing asked before: the price of which course?"""
    reply = Reply(
        t.gettext(
            'Which course do you mean? Write its name (for example, "welder" or '
            '"category B") or choose below.'
        )
    )
    reply.add_row(
        Button(t.gettext("Programmes"), callbacks.pack(Action.PROGRAMME_KINDS, below=True)),
        Button(
            t.gettext("Driving school"),
            callbacks.pack(Action.LIST, "driving", "-", 0, below=True),
        ),
    )
    reply.add_row(
        Button(
            t.gettext("For teachers"),
            callbacks.pack(Action.LIST, "teacher", "-", 0, below=True),
        ),
    )
    return reply


def not_found_text(t: Translator, view: CatalogueView) -> str:
    centre = view.catalogue.centre
    return "\n".join(
        [
            t.gettext(
                "Sorry, I do not know the answer to that. I have noted your question so that "
                "the centre's staff can look at it."
            ),
            "",
            t.gettext("You can reach the centre directly:"),
            t.gettext("Phone: {phone}").format(phone=escape(centre.phone)),
            t.gettext("E-mail: {email}").format(email=escape(centre.email)),
        ]
    )


def answer_reply(
    t: Translator,
    view: CatalogueView,
    result: SearchResult,
    now: dt.datetime,
    question_id: int | None = None,
    register: Button | None = None,
) -> Reply:
    """The answer card; `register` is the Register button of the course it
    is about (the bot decides which: it knows the groups still open)."""
    if result.choices:
        return choices_reply(t, view, result)
    if result.needs_topic:
        return which_course_reply(t)
    if not result.hits:
        reply = Reply(not_found_text(t, view))
        reply.add_row(
            Button(
                t.gettext("Ask the centre"),
                callbacks.pack(Action.ENQUIRY, EnquiryButton.ASK),
            )
        )
        reply.add_row(
            Button(t.gettext("Contacts"), callbacks.pack(Action.CONTACTS, below=True)),
            Button(t.gettext("Main menu"), callbacks.pack(Action.MAIN_MENU, below=True)),
        )
        return reply
    # Every button under an answer opens below it: the answer stays in place.
    best = result.hits[0]
    reply = Reply(answer_text(t, view, best, result.intent, now))
    programme_id = None
    if best.type == "programme":
        programme_id = best.id
    elif best.type == "group" and best.id in view.groups:
        programme_id = view.groups[best.id][0].id
    if programme_id:
        reply.add_row(
            Button(
                t.gettext("Groups and sessions"),
                callbacks.pack(Action.GROUPS, programme_id, below=True),
            ),
            Button(
                t.gettext("Price and funding"),
                callbacks.pack(Action.PRICE, programme_id, below=True),
            ),
        )
    if register is not None:
        reply.add_row(register)
    others = result.hits[1:3]
    if others:
        reply.text += "\n\n" + t.gettext("Or did you mean one of these?")
        for hit in others:
            reply.add_row(
                Button(
                    # Read aloud, an arrow says nothing: the label says what it does.
                    t.gettext("Open: {name}").format(name=hit_label(t, view, hit)),
                    callbacks.pack(Action.SUGGESTION, callbacks.entry_kind(hit.type), hit.id),
                )
            )
    if question_id is not None:
        # The vote names the logged question, so it is checked against who asked it.
        reply.add_row(*feedback_row(t, question_id))
    return reply


def choices_reply(t: Translator, view: CatalogueView, result: SearchResult) -> Reply:
    """Entries too close to choose between: one button each, and a person."""
    reply = Reply(t.gettext("Did you mean:"))
    for hit in result.choices:
        data = callbacks.pack(Action.CHOICE, callbacks.entry_kind(hit.type), hit.id, result.intent)
        reply.add_row(Button(hit_label(t, view, hit), data))
    reply.add_row(
        Button(
            t.gettext("Ask the centre"),
            callbacks.pack(Action.ENQUIRY, EnquiryButton.ASK),
        )
    )
    return reply
