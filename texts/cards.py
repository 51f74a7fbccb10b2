"""Catalogue entries as the learner reads them."""

from __future__ import annotations

import datetime as dt
from html import escape

from services.catalogue.schema import Centre, Faq, Group, Programme
from services.catalogue.view import CatalogueView
from texts import labels
from texts.i18n import Translator

MAX_GROUPS_ON_CARD = 4
MAX_SESSIONS = 8


def price(t: Translator, programme: Programme) -> str:
    if programme.price_eur is None:
        return t.gettext("free")
    return t.money(programme.price_eur)


def seats(t: Translator, view: CatalogueView, group: Group) -> str:
    left = view.seats_left(group)
    if left == 0:
        return t.gettext("full")
    return t.ngettext("{n} seat left", "{n} seats left", left).format(n=left)


def seats_sentence(t: Translator, view: CatalogueView, group: Group) -> str:
    """Seats as a line of its own: 'Seats left: 7' / 'The group is full.'"""
    left = view.seats_left(group)
    if left == 0:
        return t.gettext("The group is full.")
    return t.ngettext("{n} seat left.", "{n} seats left.", left).format(n=left)


def study_load(t: Translator, programme: Programme) -> str | None:
    if programme.hours:
        return t.ngettext("{n} academic hour", "{n} academic hours", programme.hours).format(
            n=programme.hours
        )
    if programme.credits:
        return t.ngettext("{n} credit", "{n} credits", programme.credits).format(
            n=programme.credits
        )
    return None


def group_line(t: Translator, view: CatalogueView, group: Group, lang: str) -> str:
    parts = [
        t.gettext("starts {date}").format(date=t.date(group.starts)),
        labels.mode(t, group.mode),
        escape(group.timetable.get(lang)),
        seats(t, view, group),
    ]
    return "• " + " · ".join(parts)


def programme_card(t: Translator, view: CatalogueView, p: Programme, today: dt.date) -> str:
    lang = t.lang
    lines = [f"<b>{escape(p.title.get(lang))}</b>", escape(p.summary.get(lang)), ""]
    lines.append(t.gettext("Duration: {duration}").format(duration=escape(p.duration.get(lang))))
    load = study_load(t, p)
    if load:
        lines.append(t.gettext("Scope: {load}").format(load=load))
    if p.level:
        lines.append(t.gettext("Level: {level}").format(level=escape(p.level)))
    lines.append(
        t.gettext("Entry requirements: {text}").format(text=escape(p.entry_requirements.get(lang)))
    )
    lines.append(t.gettext("Price: {price}").format(price=price(t, p)))
    lines.append(t.gettext("Funding: {text}").format(text=escape(p.funding.get(lang))))
    lines.append("")
    groups = view.upcoming_groups(p, today)
    if groups:
        lines.append("<b>" + t.gettext("Upcoming groups") + "</b>")
        lines += [group_line(t, view, g, lang) for g in groups[:MAX_GROUPS_ON_CARD]]
        hidden = len(groups) - MAX_GROUPS_ON_CARD
        if hidden > 0:
            lines.append(
                t.ngettext("and {n} more group", "and {n} more groups", hidden).format(n=hidden)
            )
    else:
        lines.append(t.gettext("No group is open for registration at the moment."))
    return "\n".join(lines).strip()


def price_text(t: Translator, p: Programme) -> str:
    lang = t.lang
    return "\n".join(
        [
            f"<b>{escape(p.title.get(lang))}</b>",
            t.gettext("Price: {price}").format(price=price(t, p)),
            t.gettext("Funding: {text}").format(text=escape(p.funding.get(lang))),
        ]
    )


def group_text(t: Translator, view: CatalogueView, p: Programme, g: Group, now: dt.datetime) -> str:
    lang = t.lang
    lines = [
        f"<b>{escape(p.title.get(lang))}</b>",
        t.gettext("Group from {start} to {end}").format(start=t.date(g.starts), end=t.date(g.ends)),
    ]
    today = now.astimezone(view.zone).date()
    if g.registration_deadline and g.registration_deadline < today:
        lines.append(
            t.gettext("Registration closed on {date}").format(date=t.date(g.registration_deadline))
        )
    elif g.registration_deadline:
        lines.append(
            t.gettext("Registration until {date}").format(date=t.date(g.registration_deadline))
        )
    lines.append(
        t.gettext("Timetable: {timetable}").format(timetable=escape(g.timetable.get(lang)))
    )
    lines.append(t.gettext("Form of study: {mode}").format(mode=labels.mode(t, g.mode)))
    lines.append(t.gettext("Place: {place}").format(place=escape(g.location.get(lang))))
    lines.append(seats_sentence(t, view, g))
    sessions = view.upcoming_sessions(g, now)
    if sessions:
        lines.append("")
        lines.append("<b>" + t.gettext("Upcoming sessions") + "</b>")
        for s in sessions[:MAX_SESSIONS]:
            when = f"{t.weekday_date(s.starts_at.date())} {t.time(s.starts_at)}"
            if s.ends_at:
                when += f"–{t.time(s.ends_at)}"
            line = f"• {when} · {labels.session_kind(t, s.kind)}: {escape(s.title.get(lang))}"
            if s.room:
                line += " · " + t.gettext("room {room}").format(room=escape(s.room))
            lines.append(line)
        hidden = len(sessions) - MAX_SESSIONS
        if hidden > 0:
            lines.append(
                t.ngettext("and {n} more session", "and {n} more sessions", hidden).format(n=hidden)
            )
    return "\n".join(lines)


def groups_text(t: Translator, view: CatalogueView, p: Programme, now: dt.datetime) -> str:
    local_today = now.astimezone(view.zone).date()
    groups = view.upcoming_groups(p, local_today)
    if not groups:
        return "\n".join(
            [
                f"<b>{escape(p.title.get(t.lang))}</b>",
                t.gettext("No group is open for registration at the moment."),
            ]
        )
    return "\n\n".join(group_text(t, view, p, g, now) for g in groups)


def faq_text(t: Translator, faq: Faq) -> str:
    """The answer under the question it answers (answers may start "Yes." or "No.")."""
    questions = faq.questions.get(t.lang)
    answer = escape(faq.answer.get(t.lang))
    return f"<b>{escape(questions[0])}</b>\n{answer}" if questions else answer


def contacts_text(t: Translator, centre: Centre) -> str:
    lang = t.lang
    return "\n".join(
        [
            f"<b>{escape(centre.name.get(lang))}</b>",
            t.gettext("Address: {address}").format(address=escape(centre.address.get(lang))),
            t.gettext("Phone: {phone}").format(phone=escape(centre.phone)),
            t.gettext("E-mail: {email}").format(email=escape(centre.email)),
            t.gettext("Website: {url}").format(url=escape(centre.website)),
            t.gettext("Opening hours: {hours}").format(
                hours=escape(centre.opening_hours.get(lang))
            ),
        ]
    )
