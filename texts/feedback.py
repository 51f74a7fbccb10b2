"""'Was this helpful?': the buttons under an answer and what a vote is told."""

from __future__ import annotations

from texts import callbacks
from texts.callbacks import Action, EnquiryButton
from texts.i18n import Translator
from texts.reply import Button, Reply

# Callback action of the vote buttons (bot/handlers/feedback.py): V|up|<question id>,
# V|down|<question id>, and V|done|<question id> once the vote is in.
FEEDBACK = Action.FEEDBACK


def feedback_row(t: Translator, question_id: int) -> list[Button]:
    """Labels that say what they do when read aloud, not the emoji alone."""
    return [
        Button(t.gettext("👍 Helpful"), callbacks.pack(FEEDBACK, "up", question_id)),
        Button(t.gettext("👎 Not helpful"), callbacks.pack(FEEDBACK, "down", question_id)),
    ]


def received_row(t: Translator, question_id: int) -> list[Button]:
    """What replaces the vote buttons: the message shows the vote was received."""
    return [
        Button(
            t.gettext("✓ Feedback received, thank you"),
            callbacks.pack(FEEDBACK, "done", question_id),
        )
    ]


def thanks(t: Translator) -> str:
    return t.gettext("Thank you for your feedback!")


def already(t: Translator) -> str:
    return t.gettext("You already told us, thank you.")


def gone(t: Translator) -> str:
    return t.gettext("This answer's record was erased, so your vote was not kept.")


def refused(t: Translator) -> str:
    return t.gettext("This vote could not be recorded.")


def not_helpful(t: Translator, question_id: int) -> Reply:
    """After a 👎: the centre's staff can answer; the question goes with the enquiry."""
    reply = Reply(
        t.gettext(
            "Sorry that this answer did not help. The centre's staff can answer you "
            "themselves: press “Ask the centre” and your question goes with it."
        )
    )
    return reply.add_row(
        Button(
            t.gettext("Ask the centre"),
            callbacks.pack(Action.ENQUIRY, EnquiryButton.ASK, question_id),
        )
    )
