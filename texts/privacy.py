"""The privacy notice (/privacy) and what /forget asks before erasing."""

from __future__ import annotations

from html import escape

from services.privacy import Holdings, Retention
from texts.i18n import Translator


def notice(t: Translator, email: str, retention: Retention) -> str:
    """Every kind of data kept: what, why, for how long and who sees it."""
    days = retention.enquiry_days
    minutes = retention.draft_minutes
    return "\n".join(
        [
            "<b>" + t.gettext("Your data and this bot") + "</b>",
            "",
            "<b>" + t.gettext("What we keep, why and for how long") + "</b>",
            t.gettext(
                "• Your Telegram user id and the language you chose: to answer you in your "
                "language. Kept until you erase your data."
            ),
            t.gettext(
                "• The questions you ask the bot, whether it could answer them and your "
                "votes on its answers: to pass on what it could not answer and to improve "
                "the answers. Kept until you erase your data."
            ),
            t.gettext(
                "• The messages you send, while the bot handles them: so that none is lost "
                "if the bot restarts. Deleted a day after they are answered."
            ),
            t.gettext(
                '• The course whose card you saw last: so that "how much is it?" is '
                "answered about it. Deleted within two hours."
            ),
            t.ngettext(
                "• An enquiry to the centre: your question, the name and phone number you "
                "gave, and the answers: for staff to answer you and call you back. Deleted "
                "{n} day after it is closed.",
                "• An enquiry to the centre: your question, the name and phone number you "
                "gave, and the answers: for staff to answer you and call you back. Deleted "
                "{n} days after it is closed.",
                days,
            ).format(n=days)
            + " "
            + t.ngettext(
                "An unfinished one is deleted after {n} minute without a reply.",
                "An unfinished one is deleted after {n} minutes without a reply.",
                minutes,
            ).format(n=minutes),
            t.gettext(
                "• If you register for a course group: the details the form asks (name, "
                "phone, e-mail, school, subject), who pays (and your employer's invoice "
                "details if they do), your registration's status and place in line, and the "
                "attendance staff record: to hold your seat, contact you and issue your "
                "certificate. Kept until you erase your data."
            ),
            t.gettext(
                "• A certificate issued to you: your name, the programme, its dates and hours, "
                "and a verification code. Whoever has the code sees only the programme, the "
                "dates and your initials. Kept until you erase your data; then the code "
                "verifies nothing."
            ),
            t.gettext(
                "• Your answers to the feedback survey after a course: kept without your "
                "name or id. Only the fact that you were asked is kept with you, so that you "
                "are asked once."
            ),
            t.gettext(
                "• If you ask for reminders: the groups you follow, when to remind you and "
                "your quiet hours. Kept until you stop them."
            ),
            t.gettext(
                "• If you ask to hear when a group opens: the programme. Kept until we tell "
                "you or you stop waiting."
            ),
            "",
            "<b>" + t.gettext("Who sees it") + "</b>",
            t.gettext(
                "The centre's staff see your enquiries, with your name and phone number, in "
                "their chat and in the centre's web console. Questions the bot could not "
                "answer are shown to them without your name or id. Administrators can open "
                "everything kept about you, to act on your requests about your data. Nobody "
                "else: the data stays with the centre and is never sold or shared."
            ),
            "",
            t.gettext("/my_data sends you everything stored about you; /forget erases it."),
            t.gettext("Questions about your data: {email}").format(email=escape(email)),
        ]
    )


def forget_question(t: Translator, holdings: Holdings) -> str:
    """What /forget erases: only what the learner has, each with its count."""
    counted = [
        (
            holdings.enquiries,
            t.ngettext(
                "• {n} enquiry to the centre, with the name and phone number you gave;",
                "• {n} enquiries to the centre, with the name and phone number you gave;",
                holdings.enquiries,
            ),
        ),
        (
            holdings.registrations,
            t.ngettext(
                "• {n} registration for a course group, with the details you gave; its seat "
                "goes to the next in line;",
                "• {n} registrations for course groups, with the details you gave; their "
                "seats go to the next in line;",
                holdings.registrations,
            ),
        ),
        (
            holdings.certificates,
            t.ngettext(
                "• {n} certificate issued to you: it can no longer be verified by its code, "
                "so keep your PDF;",
                "• {n} certificates issued to you: they can no longer be verified by their "
                "codes, so keep your PDFs;",
                holdings.certificates,
            ),
        ),
        (
            holdings.groups,
            t.ngettext(
                "• {n} group you follow for reminders;",
                "• {n} groups you follow for reminders;",
                holdings.groups,
            ),
        ),
        (
            holdings.reminders,
            t.ngettext(
                "• {n} reminder planned for you;",
                "• {n} reminders planned for you;",
                holdings.reminders,
            ),
        ),
        (
            holdings.waitlist,
            t.ngettext(
                "• {n} place on a waiting list for a new group;",
                "• {n} places on waiting lists for a new group;",
                holdings.waitlist,
            ),
        ),
    ]
    return "\n".join(
        [
            t.gettext("This erases everything the bot keeps about you:"),
            t.gettext("• your language choice and the questions you asked;"),
            # What the learner does not have is not listed: "0 enquiries" reads
            # as if something were wrong.
            *(text.format(n=n) for n, text in counted if n),
            t.gettext("• the messages kept while the bot handles them."),
            t.gettext(
                "Staff will no longer see your enquiries. Statistics keep only anonymous "
                "counts. Erase everything?"
            ),
        ]
    )
