"""What learners and staff read about enquiries."""

from __future__ import annotations

import datetime as dt
from html import escape

from domain.enquiries import Enquiry, EnquiryStatus
from services.bidi import safe_name
from services.catalogue.schema import Group
from services.enquiries import OPEN_STATUSES, EnquiryDraft
from texts import callbacks
from texts.callbacks import Action, EnquiryButton
from texts.i18n import N_, Translator
from texts.reply import Button, Reply

STATUS_LABELS = {
    "new": N_("new"),
    "in_progress": N_("in progress"),
    "answered": N_("answered"),
    "closed": N_("closed"),
    "spam": N_("spam"),
}
SNIPPET = 80


def _cancel(t: Translator, draft: EnquiryDraft) -> Button:
    # Every button of a draft carries its nonce: a button of an earlier draft
    # (sent, cancelled, expired or replaced) does not act on this one.
    return Button(
        t.gettext("Cancel"),
        callbacks.pack(Action.ENQUIRY, EnquiryButton.CANCEL, draft.nonce),
    )


TOPICS = {
    "programmes": N_("Programmes"),
    "driving": N_("Driving school"),
    "teachers": N_("For teachers"),
    "other": N_("Something else"),
}


def topic_label(t: Translator, topic: str | None, programme_title: str | None = None) -> str:
    """An enquiry's topic in the reader's language, with the programme it is
    about when there is one ("Programmes – Electrician")."""
    if not topic:
        return t.gettext("no topic")
    label = TOPICS.get(topic)
    shown = t.gettext(label) if label else topic
    return f"{shown} – {programme_title}" if programme_title else shown


def ask_topic(t: Translator, draft: EnquiryDraft) -> Reply:
    reply = Reply(t.gettext("What is your question about?"))
    for key, label in TOPICS.items():
        reply.add_row(
            Button(
                t.gettext(label),
                callbacks.pack(Action.ENQUIRY, EnquiryButton.TOPIC, key, draft.nonce),
            )
        )
    return reply.add_row(_cancel(t, draft))


def ask_question(t: Translator, draft: EnquiryDraft) -> Reply:
    return Reply(
        t.gettext(
            "Write your question to the centre in one message. Send /cancel to stop at any time."
        )
    ).add_row(_cancel(t, draft))


def too_long(t: Translator, length: int) -> str:
    return t.ngettext(
        "Your message has {length} character; please shorten it to 2,000 and send it again.",
        "Your message has {length} characters; please shorten it to 2,000 and send it again.",
        length,
    ).format(length=length)


def added(t: Translator) -> str:
    """Words typed at the consent or confirmation step went into the enquiry."""
    return t.gettext("Added to your enquiry.")


def addition_too_long(t: Translator, length: int) -> str:
    return t.ngettext(
        "With this, your enquiry would have {length} character; the limit is 2,000. "
        "Send a shorter addition, or send the enquiry and add to it later in /my_enquiries.",
        "With this, your enquiry would have {length} characters; the limit is 2,000. "
        "Send a shorter addition, or send the enquiry and add to it later in /my_enquiries.",
        length,
    ).format(length=length)


def answer_too_long(t: Translator, length: int, limit: int) -> str:
    """To staff: the answer was refused whole, before anything was sent."""
    return t.ngettext(
        "The answer is {length} character long; the limit is {limit}. "
        "Nothing was sent: please shorten it and reply again.",
        "The answer is {length} characters long; the limit is {limit}. "
        "Nothing was sent: please shorten it and reply again.",
        length,
    ).format(length=length, limit=limit)


def register_button(t: Translator, programme_id: str, group: Group | None = None) -> Button:
    """ "Register": an enquiry about this programme (and group) that asks for a
    name and phone number for the centre to call back."""
    if group is None:
        return Button(
            t.gettext("Register interest"),
            callbacks.pack(Action.ENQUIRY, EnquiryButton.PROGRAMME, programme_id),
        )
    return Button(
        t.gettext("Register: group from {start}").format(start=t.short_date(group.starts)),
        callbacks.pack(Action.ENQUIRY, EnquiryButton.PROGRAMME, programme_id, group.id),
    )


def registration_text(t: Translator, programme: str, group: Group | None) -> str:
    """The enquiry's text, written for the learner (they see it before sending)."""
    if group is None:
        return t.gettext("I would like to register for {programme}.").format(programme=programme)
    return t.gettext("I would like to register for {programme}, the group from {start}.").format(
        programme=programme, start=t.date(group.starts)
    )


def ask_registration_contact(t: Translator, draft: EnquiryDraft) -> str:
    return "\n\n".join(
        [
            "<b>" + escape(draft.text or "") + "</b>",
            t.gettext(
                "Registration is done by phone for now: staff will call you back to "
                "register you and answer your questions. Share your phone number with the "
                "button below, or type your name and phone number, for example: Ona "
                "Onaitė 8 612 34567."
            ),
        ]
    )


def ask_contact(t: Translator) -> str:
    return t.gettext(
        "Would you like staff to be able to call you? Share your phone number with the "
        "button below, or type your name and phone number, or press “Skip”."
    )


def after_contact(t: Translator, draft: EnquiryDraft) -> str:
    """After the phone step: how staff will reach the learner, and what is left."""
    if draft.phone:
        return t.gettext(
            "Thank you: staff can call you on {phone} or answer here in this chat. One step "
            "is left before sending: your agreement below."
        ).format(phone=draft.phone)
    return t.gettext(
        "No phone number, then: staff will answer you here in this chat. One step is left "
        "before sending: your agreement below."
    )


def bad_phone(t: Translator) -> str:
    return t.gettext(
        "This does not look like a phone number. Type it like +370 612 34567 or 8 612 34567, "
        "share it with the button, or press “Skip”."
    )


def ask_consent(t: Translator, draft: EnquiryDraft) -> Reply:
    return Reply(
        t.gettext(
            "To pass your enquiry on, the centre keeps your question and the contact details "
            "you gave, and staff read them to answer you. Details: /privacy. Do you agree?"
        )
    ).add_row(
        Button(
            t.gettext("I agree"),
            callbacks.pack(Action.ENQUIRY, EnquiryButton.AGREE, draft.nonce),
        ),
        _cancel(t, draft),
    )


def confirm(t: Translator, draft: EnquiryDraft, programme_title: str | None = None) -> Reply:
    lines = ["<b>" + t.gettext("Your enquiry") + "</b>"]
    if draft.topic:
        topic = topic_label(t, draft.topic, programme_title)
        lines.append(t.gettext("Topic: {topic}").format(topic=escape(topic)))
    lines.append(escape(draft.text or ""))
    if draft.name or draft.phone:
        contact = ", ".join(escape(safe_name(v)) for v in (draft.name, draft.phone) if v)
        lines.append(t.gettext("Contact: {contact}").format(contact=contact))
    lines.append("")
    lines.append(t.gettext("Send it to the centre?"))
    return Reply("\n".join(lines)).add_row(
        Button(
            t.gettext("Send"),
            callbacks.pack(Action.ENQUIRY, EnquiryButton.SEND, draft.nonce),
        ),
        _cancel(t, draft),
    )


def sent(t: Translator, enquiry: Enquiry) -> str:
    return t.gettext(
        "Thank you! Your enquiry number is {number}. Staff answer here in this chat, "
        "usually within one working day."
    ).format(number=enquiry.id)


def staff_member(user_id: int, name: str | None) -> str:
    """A staff member as others see them: their name when one is kept, else
    their Telegram id (the one place that decides it)."""
    return safe_name(name) if name else str(user_id)


def staff_post(
    t: Translator,
    enquiry: Enquiry,
    assignee_name: str | None = None,
    programme_title: str | None = None,
) -> Reply:
    """The enquiry as staff see it in their shared chat (in the staff language):
    its status and who took it, kept up to date in place."""
    status = t.gettext(STATUS_LABELS.get(enquiry.status, enquiry.status))
    if enquiry.assignee_id is None:
        assignee = t.gettext("Assignee: nobody yet")
    else:
        assignee = t.gettext("Assignee: {name}").format(
            name=escape(staff_member(enquiry.assignee_id, assignee_name))
        )
    lines = [
        "<b>" + t.gettext("Enquiry {number}").format(number=enquiry.id) + f"</b> · {enquiry.lang}",
        t.gettext("Status: {status}").format(status=status) + " · " + assignee,
        t.gettext("Topic: {topic}").format(
            topic=escape(topic_label(t, enquiry.topic, programme_title))
        ),
    ]
    if enquiry.name or enquiry.phone:
        # Bidi controls in a name must not reorder the phone beside it.
        contact = ", ".join(escape(safe_name(v)) for v in (enquiry.name, enquiry.phone) if v)
        lines.append(t.gettext("Contact: {contact}").format(contact=contact))
    lines += [
        "",
        escape(_learners_words(enquiry.text)),
        "",
        t.gettext("Reply to this message to answer."),
    ]
    return Reply("\n".join(lines)).add_row(
        # Each carries the status it was shown for: pressed after the
        # enquiry moved on (answered, taken, closed), it only refreshes the post.
        Button(
            t.gettext("Take it"),
            callbacks.pack(Action.STAFF_ENQUIRY, "take", enquiry.id, enquiry.status),
        ),
        Button(
            t.gettext("Close enquiry"),
            callbacks.pack(Action.STAFF_ENQUIRY, "close", enquiry.id, enquiry.status),
        ),
        Button(
            t.gettext("Mark as spam"),
            callbacks.pack(Action.STAFF_ENQUIRY, "spam", enquiry.id, enquiry.status),
        ),
    )


def already_sent(t: Translator, enquiry: Enquiry, cancelling: bool = True) -> str:
    """A button of a sent enquiry's draft, pressed again: what became of it."""
    if not cancelling:
        return t.gettext(
            "This enquiry was already sent as number {number}. Staff answer here in this chat."
        ).format(number=enquiry.id)
    return t.gettext(
        "This enquiry was already sent as number {number}; it can no longer be cancelled. "
        "Staff answer here in this chat."
    ).format(number=enquiry.id)


def not_sent(t: Translator) -> str:
    return t.gettext(
        "This enquiry was not sent: it was cancelled, it expired or a newer one replaced it."
    )


def staff_post_moved_on(t: Translator, enquiry: Enquiry) -> str:
    status = t.gettext(STATUS_LABELS.get(enquiry.status, enquiry.status))
    return t.gettext(
        "Enquiry {number} is {status} now; nothing was changed. The post shows it as it is."
    ).format(number=enquiry.id, status=status)


def staff_follow_up(t: Translator, enquiry: Enquiry, text: str) -> str:
    title = t.gettext("Follow-up on enquiry {number}").format(number=enquiry.id)
    return f"<b>{title}</b>\n{escape(_learners_words(text))}"


def _learners_words(text: str) -> str:
    """A learner's words for staff: their bidi controls cannot reorder the post."""
    return "\n".join(safe_name(line) for line in text.split("\n"))


def answer_to_learner(t: Translator, enquiry: Enquiry, text: str) -> str:
    return "\n".join(
        [
            "<b>"
            + t.gettext("Answer from the centre to your enquiry {number}").format(number=enquiry.id)
            + "</b>",
            escape(text),
            "",
            t.gettext("Reply to this message to write more about this enquiry."),
        ]
    )


# The status as a learner reads it: what is happening, not the staff's label.
LEARNER_STATUS = {
    EnquiryStatus.NEW: N_("waiting for staff to read it"),
    EnquiryStatus.IN_PROGRESS: N_("staff are working on it"),
    EnquiryStatus.ANSWERED: N_("answered"),
    EnquiryStatus.CLOSED: N_("closed"),
    EnquiryStatus.SPAM: N_("closed"),
}


def snippet(text: str, limit: int = SNIPPET) -> str:
    """The start of a text, cut between words and marked with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–-") + "…"


def my_enquiries(t: Translator, rows: list[tuple[Enquiry, str | None]]) -> Reply:
    """The learner's enquiries, newest first: number, date, status in words, the
    start of the question and of the last answer; a button to add to each open one."""
    if not rows:
        return Reply(t.gettext("You have not sent any enquiries."))
    blocks = ["<b>" + t.gettext("Your enquiries to the centre") + "</b>"]
    reply = Reply("")
    for enquiry, last_answer in rows:
        status = t.gettext(LEARNER_STATUS.get(EnquiryStatus(enquiry.status), N_("closed")))
        sent_on = t.date(dt.datetime.fromisoformat(enquiry.created_at).date())
        lines = [
            t.gettext("<b>Enquiry No. {number}</b>, sent {date}: {status}.").format(
                number=enquiry.id, date=sent_on, status=status
            ),
            t.gettext("Your question: {text}").format(text=escape(snippet(enquiry.text))),
        ]
        if last_answer is not None:
            # An answer that was a photo or a file without a caption has no text.
            shown = escape(snippet(last_answer)) if last_answer else t.gettext("a photo or a file")
            lines.append(t.gettext("Last answer: {text}").format(text=shown))
        blocks.append("\n".join(lines))
        if enquiry.status in OPEN_STATUSES:
            reply.add_row(
                Button(
                    t.gettext("Add to enquiry No. {number}").format(number=enquiry.id),
                    callbacks.pack(Action.ENQUIRY, EnquiryButton.ADD, enquiry.id),
                )
            )
    reply.text = "\n\n".join(blocks)
    return reply


def ask_follow_up(t: Translator, draft: EnquiryDraft) -> Reply:
    return Reply(
        t.gettext(
            "Write what you would like to add to enquiry No. {number} in one message: it goes "
            "to the staff with your enquiry. Send /cancel if you change your mind."
        ).format(number=draft.follow_up_of)
    ).add_row(_cancel(t, draft))


def follow_up_closed(t: Translator) -> str:
    return t.gettext(
        "This enquiry is closed, so nothing can be added to it. Press “Ask the centre” in "
        "the menu to write a new one."
    )


_DELIVERY = {
    "pending": N_("On its way to the learner"),
    "sent": N_("Delivered to the learner"),
    "uncertain": N_("Not confirmed by Telegram: it may not have arrived"),
}
_REFUSED = {
    "blocked": N_("Not delivered: the learner has blocked the bot"),
    "erased": N_("Not delivered: the learner erased their data"),
    "failed": N_("Not delivered: Telegram refused it"),
}


def delivery_label(t: Translator, state: str, reason: str | None) -> str:
    """What became of a staff answer, in words; Telegram's own reason after
    a refusal it explained ("Bad Request: chat not found")."""
    if state != "refused":
        return t.gettext(_DELIVERY.get(state, state))
    code, _, detail = (reason or "failed").partition(":")
    label = t.gettext(_REFUSED.get(code, _REFUSED["failed"]))
    return f"{label} ({detail})" if detail else label
