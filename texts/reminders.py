"""Reminders, schedules, change notices and their menus, as text and buttons."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from services.catalogue.schema import Group, Programme, Session
from services.catalogue.view import CatalogueView
from services.clock import instant
from services.reminders.planning import CHOICES, QuietEffect, QuietHours, QuietOutlook
from services.reminders.service import DueReminder, ScheduledSession, Subscription
from texts import callbacks, cards, labels
from texts import enquiries as enquiry_texts
from texts.callbacks import Action, ReminderButton, WaitlistButton
from texts.i18n import N_, Translator
from texts.reply import MAX_LABEL, Button, Reply, fit

CHOICE_LABELS = {
    "evening": N_("The evening before at 18:00"),
    "1d": N_("24 hours before"),
    "2h": N_("2 hours before"),
    "1h": N_("1 hour before"),
    "15m": N_("15 minutes before"),
}
# Quiet-hour presets offered as buttons; (0, 0) means none.
QUIET_PRESETS = ((21, 8), (22, 7), (20, 9), (23, 8), (0, 0))


def choice_label(t: Translator, choice: str) -> str:
    return t.gettext(CHOICE_LABELS[choice])


def _when(t: Translator, moment: dt.datetime, view: CatalogueView) -> str:
    local = moment.astimezone(view.zone)
    return f"{t.weekday_date(local.date())} {t.time(local)}"


def _group_name(t: Translator, programme: Programme, group: Group) -> str:
    return t.gettext("{programme}, group from {start}").format(
        programme=escape(programme.title.get(t.lang)), start=t.date(group.starts)
    )


def quiet_text(t: Translator, quiet: QuietHours) -> str:
    if quiet.off:
        return t.gettext("Quiet hours: none.")
    start, end = quiet.as_text()
    return t.gettext(
        "Quiet hours: {start}–{end}. A reminder that would fall in them comes "
        "before they begin or when they end."
    ).format(start=start, end=end)


def _comes_at(t: Translator, effect: QuietEffect, zone: ZoneInfo) -> str:
    """When a reminder moved out of quiet hours comes, said from its session."""
    assert effect.comes_at is not None
    comes = effect.comes_at.astimezone(zone)
    session_day = effect.session_start.astimezone(zone).date()
    if comes.date() == session_day - dt.timedelta(days=1) and comes.hour >= 12:
        return t.gettext("at {time} the evening before").format(time=t.time(comes))
    if comes.date() == session_day:
        return t.gettext("at {time} the same day").format(time=t.time(comes))
    return t.gettext("on {date} at {time}").format(
        date=t.weekday_date(comes.date()), time=t.time(comes)
    )


def quiet_effect_lines(t: Translator, outlook: QuietOutlook, view: CatalogueView) -> list[str]:
    """Each chosen reminder that quiet hours move or stop, over all the sessions
    to come: for one session, named with its date; for several, counted, with
    what happens to them (said once for every session that fares the same)."""
    same: dict[tuple[str, str], list[QuietEffect]] = {}
    for effect in sorted(outlook.effects, key=lambda e: CHOICES.index(e.choice)):
        when = "" if effect.comes_at is None else _comes_at(t, effect, view.zone)
        same.setdefault((effect.choice, when), []).append(effect)
    lines = []
    for (choice, when), effects in same.items():
        n, total = len(effects), outlook.sessions
        values = {"choice": choice_label(t, choice), "when": when, "n": n, "total": total}
        if n == 1:
            values["session"] = _when(t, effects[0].session_start, view)
            if not when:
                text = t.gettext(
                    "“{choice}” falls in your quiet hours: for the session on {session} it "
                    "will not be sent."
                )
            else:
                text = t.gettext(
                    "“{choice}” falls in your quiet hours: for the session on {session} it "
                    "will come {when}."
                )
        elif n == total and not when:
            text = t.ngettext(
                "“{choice}” falls in your quiet hours for all {n} sessions: it will not be sent.",
                "“{choice}” falls in your quiet hours for all {n} sessions: it will not be sent.",
                n,
            )
        elif n == total:
            text = t.ngettext(
                "“{choice}” falls in your quiet hours for all {n} sessions: it will come {when}.",
                "“{choice}” falls in your quiet hours for all {n} sessions: it will come {when}.",
                n,
            )
        elif not when:
            text = t.ngettext(
                "“{choice}” falls in your quiet hours for {n} of the {total} sessions: for "
                "those it will not be sent.",
                "“{choice}” falls in your quiet hours for {n} of the {total} sessions: for "
                "those it will not be sent.",
                n,
            )
        else:
            text = t.ngettext(
                "“{choice}” falls in your quiet hours for {n} of the {total} sessions: for "
                "those it will come {when}.",
                "“{choice}” falls in your quiet hours for {n} of the {total} sessions: for "
                "those it will come {when}.",
                n,
            )
        lines.append("• " + text.format(**values))
    return lines


def change_quiet_hours_button(t: Translator) -> Button:
    return Button(
        t.gettext("Change quiet hours"),
        callbacks.pack(Action.REMINDERS, ReminderButton.QUIET_HOURS),
    )


def subscription_reply(
    t: Translator,
    view: CatalogueView,
    programme: Programme,
    group: Group,
    choices: Sequence[str],
    quiet: QuietHours,
    outlook: QuietOutlook | None = None,
) -> Reply:
    """A group's reminder settings: what is on, with toggles, and the reminders
    that quiet hours move or stop (with a button to change them)."""
    lines = ["⏰ <b>" + _group_name(t, programme, group) + "</b>"]
    if choices:
        lines.append(t.gettext("You will be reminded of each session:"))
        lines.extend("• " + choice_label(t, c) for c in choices)
    else:
        lines.append(t.gettext("No reminder time is chosen: tick at least one below."))
    lines.append("")
    lines.append(quiet_text(t, quiet))
    outlook = outlook or QuietOutlook()
    lines.extend(quiet_effect_lines(t, outlook, view))
    reply = Reply("\n".join(lines))
    for choice in CHOICES:
        # The state in words: a tick alone says nothing read aloud.
        if choice in choices:
            label = t.gettext("✓ {choice}: on").format(choice=choice_label(t, choice))
        else:
            label = t.gettext("{choice}: off").format(choice=choice_label(t, choice))
        reply.add_row(
            Button(
                label,
                callbacks.pack(Action.REMINDERS, ReminderButton.TOGGLE, group.id, choice),
            )
        )
    if outlook.effects:
        reply.add_row(change_quiet_hours_button(t))
    reply.add_row(
        Button(
            t.gettext("Get a calendar file (.ics)"),
            callbacks.pack(Action.REMINDERS, ReminderButton.CALENDAR, group.id),
        ),
        Button(
            t.gettext("Stop reminders"),
            callbacks.pack(Action.REMINDERS, ReminderButton.STOP, group.id),
        ),
    )
    reply.add_row(
        Button(
            t.gettext("My reminders"),
            callbacks.pack(Action.REMINDERS, ReminderButton.LIST),
        )
    )
    return reply


def not_following_reply(t: Translator, programme: Programme, group: Group) -> Reply:
    reply = Reply(
        t.gettext("You do not get reminders for {group}.").format(
            group=_group_name(t, programme, group)
        )
    )
    label = t.gettext("Remind me: group from {start}").format(start=t.short_date(group.starts))
    reply.add_row(
        Button(
            "⏰ " + label,
            callbacks.pack(Action.REMINDERS, ReminderButton.FOLLOW, group.id),
        )
    )
    reply.add_row(
        Button(
            t.gettext("My reminders"),
            callbacks.pack(Action.REMINDERS, ReminderButton.LIST),
        )
    )
    return reply


def subscriptions_reply(
    t: Translator,
    view: CatalogueView,
    subs: Sequence[Subscription],
    waiting: Sequence[Programme],
    quiet: QuietHours,
    outlooks: Mapping[str, QuietOutlook] | None = None,
) -> Reply:
    """/reminders: every group followed (with the reminders quiet hours move or
    stop), and programmes waited for."""
    outlooks = outlooks or {}
    if not subs and not waiting:
        text = t.gettext(
            "You have no reminders yet. Open a programme, choose “Groups and sessions” "
            "and press “Remind me” under a group."
        )
        reply = Reply(text + "\n\n" + quiet_text(t, quiet))
    else:
        lines = []
        if subs:
            lines.append("<b>" + t.gettext("Your reminders") + "</b>")
            for sub in subs:
                chosen = ", ".join(choice_label(t, c).lower() for c in sub.choices) or "—"
                lines.append(f"• {_group_name(t, sub.programme, sub.group)}: {chosen}")
                lines.extend(
                    "  " + line
                    for line in quiet_effect_lines(
                        t, outlooks.get(sub.group.id, QuietOutlook()), view
                    )
                )
        if waiting:
            lines.append("")
            lines.append("<b>" + t.gettext("Waiting for a new group") + "</b>")
            lines.extend("• " + escape(p.title.get(t.lang)) for p in waiting)
        lines.append("")
        lines.append(quiet_text(t, quiet))
        reply = Reply("\n".join(lines))
    for sub in subs:
        # Two groups of one programme must not get look-alike buttons.
        # The date tells two groups apart: the name gives way to it.
        when = f" · {t.short_date(sub.group.starts)}"
        template = t.gettext("Change: {name}")
        room = MAX_LABEL - len(template.format(name=when))
        name = fit(sub.programme.title.get(t.lang), room) + when
        reply.add_row(
            Button(
                template.format(name=name),
                callbacks.pack(Action.REMINDERS, ReminderButton.GROUP, sub.group.id),
            )
        )
    for programme in waiting:
        label = t.gettext("Stop waiting: {name}").format(name=programme.title.get(t.lang))
        reply.add_row(
            Button(
                fit(label),
                callbacks.pack(Action.WAITLIST, WaitlistButton.LEAVE, programme.id),
            )
        )
    reply.add_row(
        Button(
            t.gettext("Change quiet hours"),
            callbacks.pack(Action.REMINDERS, ReminderButton.QUIET_HOURS),
        ),
        Button(
            t.gettext("My schedule"),
            callbacks.pack(Action.REMINDERS, ReminderButton.SCHEDULE),
        ),
    )
    return reply


def chosen(t: Translator, label: str) -> str:
    """A choice marked as the one in force, in words as well as with a tick."""
    return t.gettext("✓ {label} (chosen)").format(label=label)


def quiet_reply(t: Translator, quiet: QuietHours) -> Reply:
    reply = Reply(quiet_text(t, quiet) + "\n\n" + t.gettext("Choose your quiet hours:"))
    for start, end in QUIET_PRESETS:
        preset = QuietHours(dt.time(start), dt.time(end))
        label = t.gettext("No quiet hours") if preset.off else "{}–{}".format(*preset.as_text())
        if preset == quiet:
            label = chosen(t, label)
        reply.add_row(
            Button(
                label,
                callbacks.pack(Action.REMINDERS, ReminderButton.SET_QUIET_HOURS, start, end),
            )
        )
    reply.add_row(
        Button(
            t.gettext("« Back"),
            callbacks.pack(Action.REMINDERS, ReminderButton.LIST),
        )
    )
    return reply


def _session_line(t: Translator, view: CatalogueView, session: Session, starts: dt.datetime) -> str:
    when = _when(t, starts, view)
    if session.ends_at:
        when += "–" + t.time(instant(session.ends_at, view.zone).astimezone(view.zone))
    line = f"{when} · {labels.session_kind(t, session.kind)}: {escape(session.title.get(t.lang))}"
    if session.room:
        line += " · " + t.gettext("room {room}").format(room=escape(session.room))
    return line


def schedule_reply(
    t: Translator,
    view: CatalogueView,
    items: Sequence[ScheduledSession],
    subscribed: bool,
    next_one: ScheduledSession | None = None,
    pending: Sequence[int] = (),
) -> Reply:
    """/schedule: the next two weeks of the learner's groups; with none in them,
    when the next session is (or that there is none). `pending`: the numbers
    of registrations waiting for the centre's confirmation."""
    if not subscribed:
        if pending:
            # Registered, not yet confirmed: "you follow nothing" would read
            # as if the registration were lost.
            text = t.ngettext(
                "Your registration {numbers} is waiting for the centre's confirmation: "
                "once it is confirmed, its sessions will show here. See /my_courses.",
                "Your registrations {numbers} are waiting for the centre's confirmation: "
                "once they are confirmed, their sessions will show here. See /my_courses.",
                len(pending),
            ).format(numbers=", ".join(str(n) for n in pending))
        else:
            text = t.gettext(
                "You do not follow any group yet. Open a programme, choose “Groups and "
                "sessions” and press “Remind me” under a group: its sessions will show here."
            )
        reply = Reply(text)
        reply.add_row(Button(t.gettext("Main menu"), callbacks.pack(Action.MAIN_MENU)))
        return reply
    if not items:
        lines = [t.gettext("No sessions of your groups in the next two weeks.")]
        if next_one is not None:
            lines.append(
                t.gettext("The next session, {programme}: {session}").format(
                    session=_session_line(t, view, next_one.session, next_one.starts),
                    programme=escape(next_one.programme.title.get(t.lang)),
                )
            )
        else:
            lines.append(t.gettext("Your groups have no more sessions planned."))
        reply = Reply("\n".join(lines))
    else:
        lines = ["<b>" + t.gettext("Your sessions in the next two weeks") + "</b>"]
        current: str | None = None
        for item in items:
            if item.group.id != current:
                current = item.group.id
                lines.append("")
                lines.append("<i>" + escape(item.programme.title.get(t.lang)) + "</i>")
            lines.append("• " + _session_line(t, view, item.session, item.starts))
        reply = Reply("\n".join(lines))
    reply.add_row(
        Button(
            t.gettext("My reminders"),
            callbacks.pack(Action.REMINDERS, ReminderButton.LIST),
        )
    )
    return reply


def reminder_reply(t: Translator, view: CatalogueView, due: DueReminder) -> Reply:
    """The reminder itself."""
    lines = [
        "⏰ <b>" + escape(due.session.title.get(t.lang)) + "</b>",
        escape(due.programme.title.get(t.lang)),
        _session_line(t, view, due.session, due.starts),
        t.gettext("Place: {place}").format(place=escape(due.group.location.get(t.lang))),
    ]
    reply = Reply("\n".join(lines))
    reply.add_row(
        Button(
            t.gettext("My schedule"),
            callbacks.pack(Action.REMINDERS, ReminderButton.SCHEDULE),
        ),
        Button(
            t.gettext("Reminder settings"),
            callbacks.pack(Action.REMINDERS, ReminderButton.GROUP, due.group.id),
        ),
    )
    return reply


def _at(t: Translator, view: CatalogueView, iso: str | None) -> str:
    return _when(t, dt.datetime.fromisoformat(iso), view) if iso else ""


def _change_line(t: Translator, view: CatalogueView, change: dict[str, Any]) -> str:
    title = escape(change.get("title", {}).get(t.lang) or change.get("session_id", ""))
    old, new = _at(t, view, change.get("old_start")), _at(t, view, change.get("new_start"))
    room = change.get("new_room")
    kind = change.get("kind")
    if kind == "cancelled":
        return "• " + t.gettext("{title} on {old} is cancelled").format(title=title, old=old)
    if kind == "added":
        line = t.gettext("New: {title} on {new}").format(title=title, new=new)
    elif old == new:
        line = t.gettext("{title} on {old}: now in room {room}").format(
            title=title, old=old, room=escape(room or "—")
        )
        return "• " + line
    else:
        line = t.gettext("{title} moves from {old} to {new}").format(title=title, old=old, new=new)
    if room:
        line += ", " + t.gettext("room {room}").format(room=escape(room))
    return "• " + line


def schedule_change_reply(t: Translator, view: CatalogueView, data: dict[str, Any]) -> Reply:
    """A notice that the sessions of a followed group changed."""
    found = view.groups.get(str(data.get("group_id")))
    head = _group_name(t, found[0], found[1]) if found else escape(str(data.get("group_id", "")))
    lines = ["📅 <b>" + t.gettext("Schedule change") + "</b>", head, ""]
    lines.extend(_change_line(t, view, c) for c in data.get("changes", []))
    if found:
        lines.append("")
        lines.append(t.gettext("Your reminders follow the new times."))
    else:
        lines.append("")
        lines.append(t.gettext("This group is no longer in the catalogue; its reminders stop."))
    reply = Reply("\n".join(lines))
    reply.add_row(
        Button(
            t.gettext("My schedule"),
            callbacks.pack(Action.REMINDERS, ReminderButton.SCHEDULE),
        )
    )
    return reply


def group_opened_reply(
    t: Translator, view: CatalogueView, data: dict[str, Any], now: dt.datetime
) -> Reply | None:
    """A notice to a waitlist that a programme has a new group."""
    programme = view.programmes.get(str(data.get("programme_id")))
    if programme is None:
        return None
    groups = [view.groups[g][1] for g in data.get("group_ids", []) if g in view.groups]
    if not groups:
        return None
    parts = ["🎉 " + t.gettext("A new group is open, as you asked to hear:")]
    parts.extend(cards.group_text(t, view, programme, g, now) for g in groups)
    reply = Reply("\n\n".join(parts))
    for group in groups:
        label = t.gettext("Remind me: group from {start}").format(start=t.short_date(group.starts))
        reply.add_row(
            Button(
                label,
                callbacks.pack(Action.REMINDERS, ReminderButton.FOLLOW, group.id),
            )
        )
    for group in groups:
        reply.add_row(enquiry_texts.register_button(t, programme.id, group))
    return reply


def waitlist_reply(t: Translator, programme: Programme, joined: bool, back: bool = True) -> Reply:
    """Joined or left a programme's waiting list (`back`: to the programme's card,
    which a message sent below an answer does not have)."""
    name = escape(programme.title.get(t.lang))
    if joined:
        text = t.gettext(
            "Done: you will get one message when a new group of {programme} opens."
        ).format(programme=name)
        reply = Reply(text)
        reply.add_row(
            Button(
                t.gettext("Do not notify me"),
                callbacks.pack(Action.WAITLIST, WaitlistButton.LEAVE, programme.id),
            )
        )
    else:
        reply = Reply(
            t.gettext("You will not be notified about {programme}.").format(programme=name)
        )
    if back:
        reply.add_row(Button(t.gettext("« Back"), callbacks.pack(Action.PROGRAMME, programme.id)))
    return reply


# Characters a file name may not hold on the phones and computers learners use.
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def calendar_file_name(t: Translator, programme: Programme, group: Group) -> str:
    """The calendar file named as the learner would look for it: the programme
    and the group's first month, in their language ("Category B (cars), March 2027.ics")."""
    name = t.gettext("{programme}, {month}").format(
        programme=programme.title.get(t.lang), month=t.month(group.starts)
    )
    return " ".join(_NOT_IN_FILE_NAMES.sub(" ", name).split()).strip(" .") + ".ics"
