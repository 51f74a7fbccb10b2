"""What staff see while composing an announcement, and the list of recent ones."""

from __future__ import annotations

import datetime as dt
from html import escape, unescape

from domain.broadcasts import AudienceKind, Broadcast, BroadcastState
from services.broadcasts import Audience, Objection
from services.catalogue.view import CatalogueView
from services.telegram_html import Problem
from texts import callbacks
from texts.callbacks import Action, ComposeButton
from texts.i18n import Translator
from texts.reply import Button, Reply, plain

# The audiences offered, in this order, two per row.
AUDIENCE_ORDER: tuple[str, ...] = tuple(AudienceKind)
# Lists of programmes or groups to choose from are cut here: a staff member with
# a longer list should write to the programme's own followers from its groups.
MAX_TARGETS = 24


def cancel_button(t: Translator) -> Button:
    return Button(
        t.gettext("Cancel"),
        callbacks.pack(Action.COMPOSE, ComposeButton.CANCEL),
    )


def ask_lithuanian(t: Translator) -> Reply:
    text = t.gettext(
        "<b>New announcement</b>\n"
        "Send the text in Lithuanian. To add a photo or a document, send it with the "
        "text as its caption.\n"
        "Formatting: &lt;b&gt;bold&lt;/b&gt;, &lt;i&gt;italic&lt;/i&gt;, "
        '&lt;a href="https://..."&gt;link&lt;/a&gt;; write &amp;lt; for "&lt;" and &amp;amp; '
        'for "&amp;".'
    )
    return Reply(text).add_row(cancel_button(t))


def ask_english(t: Translator) -> Reply:
    text = t.gettext(
        "Now send the same announcement in English, for learners who use the bot in "
        "English. Or send the Lithuanian text to everyone."
    )
    reply = Reply(text)
    reply.add_row(
        Button(
            t.gettext("Lithuanian text to everyone"),
            callbacks.pack(Action.COMPOSE, ComposeButton.ALL_LITHUANIAN),
        )
    )
    reply.add_row(cancel_button(t))
    return reply


def problem_line(t: Translator, p: Problem) -> str:
    """Why Telegram would refuse a text, in one plain sentence (not HTML)."""
    if p.kind == "unknown_tag":
        return t.gettext("{tag} is not a tag Telegram knows.").format(tag=p.detail)
    if p.kind == "bad_attribute":
        return t.gettext("{tag}: wrong or missing attribute.").format(tag=p.detail)
    if p.kind == "unclosed":
        return t.gettext("{tag} is opened but never closed.").format(tag=p.detail)
    if p.kind == "unexpected_close":
        return t.gettext("{tag} closes a tag that is not open here.").format(tag=p.detail)
    if p.kind == "bad_entity":
        return t.gettext("{entity} is not allowed; use the character itself.").format(
            entity=p.detail
        )
    if p.kind == "stray_symbol":
        # The message is written in HTML (the bot sends it so); shown as text
        # it reads: write &lt; for "<", ...
        return unescape(
            t.gettext(
                'A "{symbol}" outside a tag: write &amp;lt; for "&lt;", &amp;gt; for "&gt;" '
                'and &amp;amp; for "&amp;".'
            )
        ).format(symbol=p.detail[:1])
    if p.kind == "too_long":
        return t.ngettext(
            "The text is {n} character long; the limit is {limit}.",
            "The text is {n} characters long; the limit is {limit}.",
            int(p.detail),
        ).format(n=p.detail, limit=p.limit)
    return t.gettext("The text is empty.")


def problems_text(t: Translator, problems: list[Problem]) -> str:
    """Why Telegram would refuse the text, one line per problem (HTML)."""
    lines = [t.gettext("Telegram would not accept this text:")]
    lines.extend("• " + escape(problem_line(t, p), quote=False) for p in problems[:5])
    lines.append(t.gettext("Please send the corrected text."))
    return "\n".join(lines)


def objection_line(t: Translator, objection: Objection) -> str:
    """One reason an announcement cannot go out, in plain text, naming its part."""
    if objection.problem is not None:
        part = t.gettext("Lithuanian text") if objection.part == "lt" else t.gettext("English text")
        return f"{part}: {problem_line(t, objection.problem)}"
    if objection.part == "en":
        return t.gettext("Write the English text, or tick “Send the Lithuanian text to everyone”.")
    if objection.reason == "unknown":
        return t.gettext("Choose the audience.")
    if objection.reason == "target":
        return t.gettext("Choose the programme or group of this audience.")
    return t.gettext("Nobody would receive this announcement. Choose another audience.")


def audience_label(t: Translator, kind: str) -> str:
    labels: dict[str, str] = {
        AudienceKind.EVERYONE: t.gettext("Everyone"),
        AudienceKind.LT: t.gettext("Lithuanian speakers"),
        AudienceKind.EN: t.gettext("English speakers"),
        AudienceKind.PROGRAMME: t.gettext("Followers of a programme"),
        AudienceKind.GROUP: t.gettext("Followers of a group"),
        AudienceKind.WAITLIST: t.gettext("Waiting for a programme"),
        AudienceKind.TEACHERS: t.gettext("Teachers"),
        AudienceKind.STAFF: t.gettext("Staff"),
    }
    return labels.get(kind, kind)


def audience_menu(t: Translator, totals: dict[str, int]) -> Reply:
    """The audiences, with how many each reaches (programme-wide ones: how many
    follow any programme, group or waitlist)."""
    reply = Reply(t.gettext("Who should receive it?"))
    row: list[Button] = []
    for kind in AUDIENCE_ORDER:
        label = audience_label(t, kind)
        if kind in totals:
            label = label + " · " + str(totals[kind])
        row.append(
            Button(
                label,
                callbacks.pack(Action.COMPOSE, ComposeButton.AUDIENCE, kind),
            )
        )
        if len(row) == 2:
            reply.add_row(*row)
            row = []
    if row:
        reply.add_row(*row)
    reply.add_row(cancel_button(t))
    return reply


def target_label(t: Translator, view: CatalogueView, kind: str, target: str) -> str:
    if kind == "group":
        found = view.groups.get(target)
        if found is None:
            return target
        programme, group = found
        return t.gettext("{programme}, from {date}").format(
            programme=programme.title.get(t.lang), date=t.short_date(group.starts)
        )
    programme_ = view.programmes.get(target)
    return programme_.title.get(t.lang) if programme_ else target


def target_menu(t: Translator, view: CatalogueView, kind: str, targets: dict[str, int]) -> Reply:
    cut = len(targets) > MAX_TARGETS
    if not targets:
        reply = Reply(
            t.gettext("Nobody follows or waits for any programme yet. Choose another audience.")
        )
        reply.add_row(
            Button(
                t.gettext("Back"),
                callbacks.pack(Action.COMPOSE, ComposeButton.BACK, "audience"),
            )
        )
        return reply
    if kind == "group":
        text = t.gettext("Which group's followers?")
    elif kind == "programme":
        text = t.gettext("Followers of which programme?")
    else:
        text = t.gettext("Waiting for which programme?")
    reply = Reply(text)
    ranked = sorted(targets.items(), key=lambda item: (-item[1], item[0]))[:MAX_TARGETS]
    for target, count in ranked:
        label = target_label(t, view, kind, target) + " · " + str(count)
        reply.add_row(
            Button(
                label,
                callbacks.pack(Action.COMPOSE, ComposeButton.TARGET, kind, target),
            )
        )
    if cut:
        reply.text += "\n" + t.ngettext(
            "Only the {n} with the most followers is shown.",
            "Only the {n} with the most followers are shown.",
            MAX_TARGETS,
        ).format(n=MAX_TARGETS)
    reply.add_row(
        Button(
            t.gettext("Back"),
            callbacks.pack(Action.COMPOSE, ComposeButton.BACK, "audience"),
        )
    )
    return reply


def describe_audience(t: Translator, view: CatalogueView, audience: Audience) -> str:
    label = audience_label(t, audience.kind)
    if audience.target is None:
        return label
    return label + ": " + target_label(t, view, audience.kind, audience.target)


def preview_header(t: Translator, lang: str | None, n: int) -> str:
    """Above each preview: whose view it shows."""
    if lang is None:
        text = t.ngettext(
            "Preview: all {n} recipient will see this.",
            "Preview: all {n} recipients will see this.",
            n,
        )
    elif lang == "lt":
        text = t.ngettext(
            "Preview: {n} recipient using Lithuanian will see this.",
            "Preview: {n} recipients using Lithuanian will see this.",
            n,
        )
    else:
        text = t.ngettext(
            "Preview: {n} recipient using English will see this.",
            "Preview: {n} recipients using English will see this.",
            n,
        )
    return "<i>" + text.format(n=n) + "</i>"


def nobody(t: Translator) -> Reply:
    reply = Reply(t.gettext("Nobody would receive this announcement. Choose another audience."))
    reply.add_row(
        Button(
            t.gettext("Back"),
            callbacks.pack(Action.COMPOSE, ComposeButton.BACK, "audience"),
        )
    )
    return reply


def ask_when(t: Translator) -> Reply:
    reply = Reply(t.gettext("When should it be sent?"))
    reply.add_row(Button(t.gettext("Now"), callbacks.pack(Action.COMPOSE, ComposeButton.NOW)))
    reply.add_row(
        Button(
            t.gettext("Tomorrow at 09:00"),
            callbacks.pack(Action.COMPOSE, ComposeButton.TOMORROW),
        ),
        Button(
            t.gettext("Another time"),
            callbacks.pack(Action.COMPOSE, ComposeButton.AT),
        ),
    )
    reply.add_row(
        Button(
            t.gettext("Change the audience"),
            callbacks.pack(Action.COMPOSE, ComposeButton.BACK, "audience"),
        ),
        cancel_button(t),
    )
    return reply


def ask_time(t: Translator, example: dt.datetime) -> Reply:
    text = t.gettext("Type the date and time in Lithuanian time, for example {example}.").format(
        example=example.strftime("%Y-%m-%d %H:%M")
    )
    reply = Reply(text)
    reply.add_row(
        Button(
            t.gettext("Back"),
            callbacks.pack(Action.COMPOSE, ComposeButton.BACK, "when"),
        ),
        cancel_button(t),
    )
    return reply


def refused(t: Translator, step: str, error: str) -> str:
    """Telegram refused a preview: which text, and its own words."""
    if step == "en":
        text = t.gettext("Telegram refused the English text ({error}). Please send it again.")
    else:
        text = t.gettext("Telegram refused the Lithuanian text ({error}). Please send it again.")
    return text.format(error=escape(error))


def confirm_cancel(t: Translator, broadcast_id: int) -> Reply:
    reply = Reply(
        t.gettext(
            "Cancel broadcast No. {id}? Whoever has received it keeps it; nobody else will."
        ).format(id=broadcast_id)
    )
    reply.add_row(
        Button(
            t.gettext("Yes, cancel it"),
            callbacks.pack(Action.BROADCAST_CANCEL_YES, broadcast_id),
        ),
        Button(t.gettext("No, keep sending"), callbacks.pack(Action.BROADCAST_CANCEL_NO)),
    )
    return reply


def bad_time(t: Translator, reason: str, example: dt.datetime) -> str:
    if reason == "past":
        return t.gettext("That time has already passed. Please give a later one.")
    if reason == "too_far":
        return t.gettext("Announcements can be scheduled at most 90 days ahead.")
    return t.gettext("I could not read that date and time. Please write it like {example}.").format(
        example=example.strftime("%Y-%m-%d %H:%M")
    )


def confirm(
    t: Translator,
    view: CatalogueView,
    audience: Audience,
    counts: dict[str, int],
    when: dt.datetime | None,
    nonce: str = "",
) -> Reply:
    total = sum(counts.values())
    lines = [
        "<b>" + t.gettext("Ready to send") + "</b>",
        t.gettext("Audience: {audience}").format(
            audience=escape(describe_audience(t, view, audience))
        ),
        t.ngettext(
            "Recipients now: {n} (Lithuanian {lt}, English {en})",
            "Recipients now: {n} (Lithuanian {lt}, English {en})",
            total,
        ).format(n=total, lt=counts.get("lt", 0), en=counts.get("en", 0)),
    ]
    if when is None:
        lines.append(t.gettext("When: now"))
    else:
        lines.append(
            t.gettext("When: {date} at {time}").format(date=t.date(when.date()), time=t.time(when))
        )
        lines.append(t.gettext("The recipients are counted again when it starts."))
    reply = Reply("\n".join(lines))
    reply.add_row(
        Button(
            t.gettext("Confirm and send"),
            callbacks.pack(Action.COMPOSE, ComposeButton.CONFIRM, nonce),
        )
    )
    reply.add_row(
        Button(
            t.gettext("Change the time"),
            callbacks.pack(Action.COMPOSE, ComposeButton.BACK, "when"),
        ),
        cancel_button(t),
    )
    return reply


def created(t: Translator, broadcast_id: int, when: dt.datetime | None) -> Reply:
    if when is None:
        text = t.gettext("Broadcast No. {id} is starting.").format(id=broadcast_id)
    else:
        text = t.gettext("Broadcast No. {id} will be sent on {date} at {time}.").format(
            id=broadcast_id, date=t.date(when.date()), time=t.time(when)
        )
    reply = Reply(text)
    reply.add_row(
        Button(
            t.gettext("Cancel this broadcast"),
            callbacks.pack(Action.BROADCAST_CANCEL, broadcast_id),
        )
    )
    return reply


def state_label(t: Translator, state: str) -> str:
    labels: dict[str, str] = {
        BroadcastState.SCHEDULED: t.gettext("scheduled"),
        BroadcastState.RUNNING: t.gettext("sending"),
        BroadcastState.DONE: t.gettext("done"),
        BroadcastState.CANCELLED: t.gettext("cancelled"),
    }
    return labels.get(state, state)


def recent_list(
    t: Translator,
    view: CatalogueView,
    rows: list[tuple[Broadcast, dict[str, int], dt.datetime]],
) -> Reply:
    """Recent broadcasts with their figures; cancel buttons for those not finished."""
    if not rows:
        return Reply(t.gettext("No broadcasts yet. Send /broadcast to write one."))
    lines = ["<b>" + t.gettext("Recent broadcasts") + "</b>"]
    reply = Reply("")
    for row, figures, when in rows:
        audience = Audience.from_json(row.audience)
        first_line = " ".join(plain(row.text_lt).split())[:60]
        lines.append("")
        lines.append(
            t.gettext("No. {id} · {state} · {date} {time}").format(
                id=row.id,
                state=state_label(t, row.state),
                date=t.short_date(when.date()),
                time=t.time(when),
            )
        )
        lines.append(escape(describe_audience(t, view, audience)))
        lines.append("<i>" + escape(first_line) + "</i>")
        if figures:
            left = figures.get("pending", 0) + figures.get("sending", 0)
            lines.append(
                t.gettext(
                    "Sent {sent} · blocked {blocked} · failed {failed} · unknown {unknown} "
                    "· left {left}"
                ).format(
                    sent=figures.get("sent", 0),
                    blocked=figures.get("blocked", 0),
                    failed=figures.get("failed", 0),
                    unknown=figures.get("unknown", 0),
                    left=left,
                )
            )
        if row.state in ("scheduled", "running"):
            reply.add_row(
                Button(
                    t.gettext("Cancel No. {id}").format(id=row.id),
                    callbacks.pack(Action.BROADCAST_CANCEL, row.id),
                )
            )
    reply.text = "\n".join(lines)
    return reply
