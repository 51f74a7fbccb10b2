"""What learners and staff read about enquiries."""

from __future__ import annotations

from html import escape

from domain.enquiries import Enquiry
from services.bidi import safe_name
from services.enquiries import EnquiryDraft
from texts import callbacks
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
    return Button(t.gettext("Cancel"), callbacks.pack("Q", "cancel", draft.nonce))


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
        reply.add_row(Button(t.gettext(label), callbacks.pack("Q", "t", key, draft.nonce)))
    return reply.add_row(_cancel(t, draft))


def ask_question(t: Translator, draft: EnquiryDraft) -> Reply:
    return Reply(
        t.gettext(
            "Write your question to the centre in one message. Send /cancel to stop at any time."
        )
    ).add_row(_cancel(t, draft))


def too_long(t: Translator, length: int) -> str:
    return t.gettext(
        "Your message has {length} characters; please shorten it to 2,000 and send it again."
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


def ask_contact(t: Translator) -> str:
    return t.gettext(
        "Would you like staff to be able to call you? Share your phone number with the "
        "button below, or type your name and phone number, or press “Skip”."
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
        Button(t.gettext("I agree"), callbacks.pack("Q", "agree", draft.nonce)), _cancel(t, draft)
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
        Button(t.gettext("Send"), callbacks.pack("Q", "send", draft.nonce)), _cancel(t, draft)
    )


def sent(t: Translator, enquiry: Enquiry) -> str:
    return t.gettext(
        "Thank you! Your enquiry number is {number}. Staff answer here in this chat, "
        "usually within one working day."
    ).format(number=enquiry.id)


def staff_post(t: Translator, enquiry: Enquiry, programme_title: str | None = None) -> Reply:
    """The enquiry as staff see it in their shared chat (in the staff language)."""
    status = t.gettext(STATUS_LABELS.get(enquiry.status, enquiry.status))
    lines = [
        "<b>"
        + t.gettext("Enquiry {number}").format(number=enquiry.id)
        + f"</b> · {enquiry.lang} · {status}",
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
        Button(t.gettext("Take"), callbacks.pack("E", "take", enquiry.id, enquiry.status)),
        Button(t.gettext("Close"), callbacks.pack("E", "close", enquiry.id, enquiry.status)),
        Button(t.gettext("Spam"), callbacks.pack("E", "spam", enquiry.id, enquiry.status)),
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


def my_enquiries(t: Translator, rows: list[tuple[Enquiry, str | None]]) -> str:
    if not rows:
        return t.gettext("You have not sent any enquiries.")
    lines = []
    for enquiry, last_answer in rows:
        status = t.gettext(STATUS_LABELS.get(enquiry.status, enquiry.status))
        lines.append(f"<b>#{enquiry.id}</b> · {status} · {escape(enquiry.text[:SNIPPET])}")
        if last_answer is not None:
            # An answer that was a photo or a file without a caption has no text.
            shown = escape(last_answer[:SNIPPET]) if last_answer else t.gettext("a photo or a file")
            lines.append(t.gettext("Last answer: {text}").format(text=shown))
    return "\n".join(lines)


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
