"""What the bot says while a learner registers for a group, in /my_courses,
and about offers and staff decisions; the staff chat's registration posts."""

from __future__ import annotations

import datetime as dt
from html import escape

from domain.registrations import Registration, RegistrationStatus, SeatCounts
from services.catalogue.schema import Centre, Group, Programme
from services.registrations import Closed, Outcome, RegisterResult
from texts import callbacks, cards, labels
from texts.callbacks import Action, RegisterButton
from texts.i18n import N_, NC_, Translator
from texts.reply import Button, Reply

QUESTIONS = {
    "name": N_("Your first name and surname?"),
    "phone": N_("Your phone number?"),
    "email": N_("Your e-mail address?"),
    "school": N_("The school or institution you work at?"),
    "subject": N_("The subject or field you teach?"),
    "workplace": N_("Your workplace?"),
}
LABELS = {
    "name": N_("Name"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "school": N_("School"),
    "subject": N_("Subject"),
    "workplace": N_("Workplace"),
}
PAYMENTS = {
    "self": N_("I pay myself"),
    "employer": N_("My employer pays"),
    "employment_service": N_("The Employment Service"),
    "kursuok": N_("KURSUOK funds"),
}
# A registration ("registracija") is feminine in Lithuanian: its statuses
# agree with it, where a broadcast's "cancelled" does not.
# (Written out in each NC_ call too: message extraction reads literals only.)
STATUS_CONTEXT = "registration status"
STATUSES = {
    RegistrationStatus.PENDING: NC_("registration status", "waiting for the centre's confirmation"),
    RegistrationStatus.CONFIRMED: NC_("registration status", "confirmed"),
    RegistrationStatus.WAITING: NC_("registration status", "on the waiting list"),
    RegistrationStatus.OFFERED: NC_("registration status", "a seat is offered to you"),
    RegistrationStatus.DECLINED: NC_("registration status", "declined"),
    RegistrationStatus.CANCELLED: NC_("registration status", "cancelled"),
    RegistrationStatus.EXPIRED: NC_("registration status", "the offer lapsed"),
}

# Where a status reads differently to staff than to the learner.
STAFF_STATUSES = {
    **STATUSES,
    RegistrationStatus.OFFERED: NC_(
        "registration status", "offered a seat, waiting for the learner's answer"
    ),
}


def status_text(t: Translator, status: RegistrationStatus, staff: bool = False) -> str:
    """A registration's status as the learner (or staff) reads it."""
    return t.pgettext(STATUS_CONTEXT, (STAFF_STATUSES if staff else STATUSES)[status])


def _button(t: Translator, label: str, *args: str | int) -> Button:
    return Button(t.gettext(label), callbacks.pack(Action.REGISTER, *args))


def shares_start(programme: Programme, group: Group) -> bool:
    """Another group of the programme starts the same day (the welder's day
    and evening groups): the date alone does not tell them apart."""
    return any(g.starts == group.starts and g.id != group.id for g in programme.groups)


def register_button(
    t: Translator,
    group: Group,
    another: bool = False,
    full: bool = False,
    programme: Programme | None = None,
) -> Button:
    """ "Register" for a group: the registration steps in the bot (`another`:
    in place of the group asked about, which takes no more registrations;
    `full`: no seat is free, so the registration joins the waiting list;
    `programme`: given, its groups starting the same day are told apart by
    their form of study)."""
    with_mode = programme is not None and shares_start(programme, group)
    if full and with_mode:
        label = t.gettext("Join the waiting list: {mode} group from {start}")
    elif full:
        label = t.gettext("Join the waiting list: group from {start}")
    elif another:
        label = t.gettext("Register for the next group: from {start}")
    elif with_mode:
        label = t.gettext("Register: {mode} group from {start}")
    else:
        label = t.gettext("Register: group from {start}")
    return Button(
        label.format(start=t.short_date(group.starts), mode=labels.mode(t, group.mode)),
        callbacks.pack(Action.REGISTER, RegisterButton.START, group.id),
    )


def group_line(t: Translator, programme: Programme, group: Group) -> str:
    """The programme and group in words, ready for an HTML message."""
    if shares_start(programme, group):
        return t.gettext("{programme}, the {mode} group from {start}").format(
            programme=escape(programme.title.get(t.lang)),
            mode=labels.mode(t, group.mode),
            start=t.date(group.starts),
        )
    return t.gettext("{programme}, the group from {start}").format(
        programme=escape(programme.title.get(t.lang)), start=t.date(group.starts)
    )


def _details(t: Translator, details: dict[str, str]) -> list[str]:
    """The learner's own words, escaped: the messages are HTML."""
    return [f"{t.gettext(LABELS[k])}: {escape(v)}" for k, v in details.items() if k in LABELS]


def ask_field(t: Translator, field: str, programme: Programme, group: Group, first: bool) -> Reply:
    text = t.gettext(QUESTIONS[field])
    if first:
        text = (
            t.gettext("Registration: {group}.").format(group=group_line(t, programme, group))
            + "\n"
            + t.gettext("Send /cancel to stop.")
            + "\n\n"
            + text
        )
    return Reply(text)


def invalid_field(t: Translator, field: str) -> str:
    if field == "phone":
        return t.gettext("That is not a phone number. Please write it like 8 612 34567.")
    if field == "email":
        return t.gettext("That is not an e-mail address. Please write it like name@example.lt.")
    if field == "name":
        return t.gettext(
            "That does not look like a name. Please write your first name and surname, "
            "like Ona Onaitė."
        )
    if field == "school":
        return t.gettext(
            "Please write the name of the school or institution you work at, "
            "like Alytaus profesinio rengimo centras."
        )
    if field == "subject":
        return t.gettext("Please write the subject or field you teach, like Informatika.")
    if field == "workplace":
        return t.gettext("Please write the name of your workplace, like UAB Statyba.")
    return too_long(t)


def too_long(t: Translator) -> str:
    return t.gettext("Please write it in one message of up to 200 characters.")


def carry_on(t: Translator, step: Reply) -> Reply:
    """The step asked again after a question answered in passing."""
    step.text = t.gettext("Your registration is still open.") + "\n\n" + step.text
    return step


def ask_payment(t: Translator, nonce: str, choices: tuple[str, ...]) -> Reply:
    reply = Reply(t.gettext("Who will pay for the course?"))
    for choice in choices:
        reply.add_row(_button(t, PAYMENTS[choice], RegisterButton.PAY, nonce, choice))
    return reply


def ask_invoice(t: Translator) -> Reply:
    return Reply(
        t.gettext(
            "The invoice details of your employer: company name, company code and address, "
            "in one message."
        )
    )


def ask_consent(t: Translator, nonce: str) -> Reply:
    return Reply(
        t.gettext(
            "The centre's staff will see these details to register you and to contact you "
            "about the course. How they are kept and how to erase them: /privacy."
        )
    ).add_row(
        _button(t, N_("I agree"), RegisterButton.AGREE, nonce),
        _button(t, N_("Cancel"), RegisterButton.CANCEL, nonce),
    )


def summary(
    t: Translator,
    programme: Programme,
    group: Group,
    details: dict[str, str],
    payment: str,
    invoice: str | None,
    nonce: str,
) -> Reply:
    lines = [t.gettext("Please check your registration:"), group_line(t, programme, group)]
    lines += _details(t, details)
    if programme.price_eur is None:
        lines.append(t.gettext("Price: {price}").format(price=cards.price(t, programme)))
    else:
        lines.append(f"{t.gettext('Payment')}: {t.gettext(PAYMENTS[payment])}")
    if invoice:
        lines.append(f"{t.gettext('Invoice details')}: {escape(invoice)}")
    return Reply("\n".join(lines)).add_row(
        _button(t, N_("Confirm"), RegisterButton.CONFIRM, nonce),
        _button(t, N_("Edit"), RegisterButton.EDIT, nonce),
        _button(t, N_("Cancel"), RegisterButton.CANCEL, nonce),
    )


def ask_what_to_edit(t: Translator, nonce: str, editable: list[str]) -> Reply:
    """A button for each detail the summary shows, and one back to it."""
    reply = Reply(t.gettext("What would you like to change?"))
    names = {**LABELS, "payment": N_("Payment"), "invoice": N_("Invoice details")}
    for what in editable:
        reply.add_row(_button(t, names[what], RegisterButton.EDIT_FIELD, nonce, what))
    return reply.add_row(
        _button(t, N_("Back to the summary"), RegisterButton.EDIT_FIELD, nonce, "")
    )


def place_text(t: Translator, place: int) -> str:
    return t.ngettext(
        "You are number {place} in line.", "You are number {place} in line.", place
    ).format(place=place)


def result(t: Translator, found: RegisterResult, centre: Centre) -> Reply:
    made = found.registration
    number = made.id if made else 0
    if found.outcome == Outcome.PENDING:
        text = t.gettext(
            "Registered, number {number}. A seat is held for you; the centre will confirm it."
        )
    elif found.outcome == Outcome.CONFIRMED:
        text = t.gettext("Registered and confirmed, number {number}. See you there!")
    elif found.outcome == Outcome.WAITING:
        text = t.gettext(
            "The group is full, so you are on the waiting list (registration number {number}). "
            "When a seat frees, you will get an offer here."
        )
        if found.place:
            text += " " + place_text(t, found.place)
    elif found.outcome == Outcome.DUPLICATE:
        text = t.gettext(
            "You are already registered for this group, number {number}. See /my_courses."
        )
    elif found.outcome == Outcome.CLOSED:
        return Reply(closed_text(t, found.closed, centre))
    else:
        text = t.gettext("This group is no longer in the catalogue.")
    return Reply(text.format(number=number))


def closed_text(t: Translator, reason: Closed | None, centre: Centre) -> str:
    if reason == Closed.STARTED:
        text = t.gettext("Registration for this group is closed: the group has started.")
    else:
        text = t.gettext("Registration for this group is closed: the deadline has passed.")
    return (
        text
        + " "
        + t.gettext("Contact the centre: {phone}, {email}.").format(
            phone=centre.phone, email=centre.email
        )
    )


def unknown_group(t: Translator) -> str:
    return t.gettext("There is no such group. Here is what the centre offers:")


def already_registered(t: Translator, number: int) -> str:
    return t.gettext(
        "You are already registered for this group, number {number}. See /my_courses."
    ).format(number=number)


def full_group(t: Translator, waiting: int) -> str:
    """Before the form of a full group: the learner will join its waiting list."""
    if waiting == 0:
        return t.gettext(
            "This group is full. Register to join its waiting list: you will be first in line "
            "and get an offer here when a seat frees."
        )
    return t.ngettext(
        "This group is full and {count} person is waiting for a seat. Register to join the "
        "waiting list: you will get an offer here when a seat frees.",
        "This group is full and {count} people are waiting for a seat. Register to join the "
        "waiting list: you will get an offer here when a seat frees.",
        waiting,
    ).format(count=waiting)


def cancelled_draft(t: Translator) -> str:
    return t.gettext("The registration was not sent.")


def replaced_draft(t: Translator, group: str) -> str:
    """`group`: the form's group line, HTML."""
    return t.gettext(
        "Your registration for {group} was not sent: you started registering for another group."
    ).format(group=group)


def stale(t: Translator) -> str:
    return t.gettext("This button is from an earlier registration form.")


def offer(
    t: Translator, made: Registration, title: str, until: dt.datetime, zone: dt.tzinfo
) -> Reply:
    text = t.gettext(
        "A seat is free in {programme} (registration {number}). It is held for you until "
        "{until}. Do you take it?"
    ).format(programme=escape(title), number=made.id, until=t.moment(until, zone))
    return Reply(text).add_row(
        _button(t, N_("Accept"), RegisterButton.ACCEPT_OFFER, made.id),
        _button(t, N_("Decline"), RegisterButton.DECLINE_OFFER, made.id),
    )


def offer_answer(t: Translator, change: str, status: RegistrationStatus | None) -> str:
    if change == "done" and status == RegistrationStatus.CONFIRMED:
        return t.gettext("The seat is yours: your registration is confirmed.")
    if change == "done" and status == RegistrationStatus.PENDING:
        return t.gettext("The seat is held for you; the centre will confirm it.")
    if change == "done":
        return t.gettext("You declined the seat; it goes to the next in line.")
    if change == "lapsed" or status == RegistrationStatus.EXPIRED:
        return t.gettext("This offer has lapsed and passed to the next in line.")
    return t.gettext("This offer is no longer open.")


def moved(t: Translator, made: Registration, line: str) -> str:
    """Staff moved the learner's registration to another group (`line`, HTML)."""
    return t.gettext(
        "The centre moved your registration No. {number} to another group: {group}. "
        "If these dates do not suit you, cancel it in /my_courses or write to the centre."
    ).format(number=made.id, group=line)


def lapsed(t: Translator, made: Registration) -> str:
    return t.gettext(
        "Your offer for registration {number} lapsed and passed to the next in line."
    ).format(number=made.id)


def confirmed(t: Translator, made: Registration, title: str) -> str:
    return t.gettext(
        "Your registration {number} for {programme} is confirmed. You will get reminders "
        "of its sessions (you can stop them in /reminders); the calendar file follows."
    ).format(number=made.id, programme=escape(title))


def declined(t: Translator, made: Registration, title: str) -> str:
    return t.gettext(
        "The centre declined your registration {number} for {programme}. Reason: {reason}"
    ).format(number=made.id, programme=escape(title), reason=escape(made.reason or "—"))


def my_courses(
    t: Translator,
    rows: list[tuple[Registration, str, int | None, str | None]],
) -> Reply:
    """(registration, group line, place in line, next session) for each."""
    if not rows:
        return Reply(t.gettext("You have no registrations. Find a course with /start."))
    lines = [t.gettext("Your registrations:")]
    reply = Reply("")
    for made, line, place, next_session in rows:
        entry = f"\n<b>{made.id}</b>. {line}\n{status_text(t, made.status)}"
        if place:
            entry += ". " + place_text(t, place)
        if next_session:
            entry += "\n" + t.gettext("Next session: {session}").format(session=next_session)
        lines.append(entry)
        if made.status in (
            RegistrationStatus.PENDING,
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.WAITING,
            RegistrationStatus.OFFERED,
        ):
            reply.add_row(
                Button(
                    t.gettext("Cancel registration {number}").format(number=made.id),
                    callbacks.pack(Action.MY_COURSES, RegisterButton.ASK_CANCEL, made.id),
                )
            )
    reply.text = "\n".join(lines)
    return reply


def ask_cancel(t: Translator, number: int, holds_seat: bool = True) -> Reply:
    """Are you sure? A seat holder is told the seat passes on; someone waiting,
    that they leave the line. "No" keeps everything as it was."""
    if holds_seat:
        question = t.gettext("Cancel registration {number}? Your seat goes to the next in line.")
    else:
        question = t.gettext("Cancel registration {number}? You leave the waiting list.")
    return Reply(question.format(number=number)).add_row(
        Button(
            t.gettext("Yes, cancel it"),
            callbacks.pack(Action.MY_COURSES, RegisterButton.DO_CANCEL, number),
        ),
        Button(
            t.gettext("No, keep it"),
            callbacks.pack(Action.MY_COURSES, RegisterButton.KEEP, number),
        ),
    )


def kept(t: Translator, number: int) -> str:
    return t.gettext("Registration {number} stays as it was.").format(number=number)


def cancel_done(t: Translator, done: bool, number: int) -> str:
    if done:
        return t.gettext("Registration {number} is cancelled.").format(number=number)
    return t.gettext("Registration {number} was already closed.").format(number=number)


# -- the staff chat ------------------------------------------------------------


def staff_post(t: Translator, made: Registration, line: str, counts: SeatCounts | None) -> Reply:
    lines = [
        t.gettext("New registration {number}: {group}").format(number=made.id, group=line),
        status_text(t, made.status, staff=True),
    ]
    lines += _details(t, made.details)
    lines.append(f"{t.gettext('Payment')}: {t.gettext(PAYMENTS.get(made.payment, made.payment))}")
    if made.payment_details:
        invoice = escape(made.payment_details.get("invoice", ""))
        lines.append(f"{t.gettext('Invoice details')}: {invoice}")
    if counts is not None:
        lines.append(seat_line(t, counts))
    reply = Reply("\n".join(lines))
    if made.status == RegistrationStatus.PENDING:
        reply.add_row(
            Button(
                t.gettext("Confirm"),
                callbacks.pack(Action.STAFF_REGISTRATION, RegisterButton.STAFF_CONFIRM, made.id),
            ),
            Button(
                t.gettext("Decline with a reason"),
                callbacks.pack(Action.STAFF_REGISTRATION, RegisterButton.STAFF_DECLINE, made.id),
            ),
        )
    return reply


def seat_line(t: Translator, counts: SeatCounts) -> str:
    return t.ngettext(
        "Seats: {free} of {seats} free; {pending} pending, {confirmed} confirmed, "
        "{offered} offered, {waiting} waiting.",
        "Seats: {free} of {seats} free; {pending} pending, {confirmed} confirmed, "
        "{offered} offered, {waiting} waiting.",
        counts.free,
    ).format(
        free=counts.free,
        seats=counts.seats,
        pending=counts.pending,
        confirmed=counts.confirmed,
        offered=counts.offered,
        waiting=counts.waiting,
    )


def staff_moved(t: Translator, made: Registration, line: str) -> str:
    return t.gettext(
        "The waiting list moved: registration {number} ({group}) was offered a seat."
    ).format(number=made.id, group=line)


def staff_done(t: Translator, made: Registration) -> str:
    return t.gettext("Registration {number}: {status}.").format(
        number=made.id, status=status_text(t, made.status, staff=True)
    )


def ask_decline_reason(t: Translator, number: int) -> str:
    return t.gettext(
        "Why is registration {number} declined? Reply to this message with the reason; "
        "the learner gets it."
    ).format(number=number)


def staff_seat_taken(t: Translator, made: Registration) -> str:
    if made.status == RegistrationStatus.CONFIRMED:
        # The programme confirms automatically: nothing is left to staff.
        text = t.gettext(
            "Registration {number} took the seat offered from the waiting list and is confirmed."
        )
    else:
        text = t.gettext(
            "Registration {number} took the seat offered from the waiting list; "
            "confirm or decline it in its post."
        )
    return text.format(number=made.id)


def staff_declined(t: Translator, number: int) -> str:
    return t.gettext("Registration {number} is declined; the learner gets the reason.").format(
        number=number
    )


def staff_erased(t: Translator, number: int) -> str:
    return t.gettext("Registration {number} was erased at the learner's request.").format(
        number=number
    )
