"""The audit log in words: what was done, to what, with what outcome."""

from __future__ import annotations

import re
from collections.abc import Mapping

from texts.enquiries import STATUS_LABELS
from texts.i18n import N_, Translator

ACTION_LABELS = {
    "admin_link": N_("asked for a sign-in link"),
    "attendance_mark": N_("marked attendance"),
    "attendance_read": N_("opened an attendance sheet"),
    "certificate_issue": N_("issued certificates"),
    "certificate_list": N_("listed certificates"),
    "certificate_send": N_("sent a certificate"),
    "survey_read": N_("read the feedback survey's results"),
    "registration_list": N_("listed a group's registrations"),
    "registration_export": N_("exported registrations"),
    "registration_confirm": N_("confirming a registration"),
    "registration_confirmed": N_("confirmed a registration"),
    "registration_decline": N_("declining a registration"),
    "registration_declined": N_("declined a registration"),
    "registration_move": N_("moved a registration"),
    "admin_sign_in": N_("signing in"),
    "admin_sign_in_link": N_("signed in with a link"),
    "admin_sign_in_password": N_("signed in with a password"),
    "admin_sign_in_throttled": N_("signing in, too many attempts"),
    "admin_sign_out": N_("signed out"),
    "admin_set_password": N_("set a password"),
    "audit_read": N_("read the audit log"),
    "broadcast": N_("created a broadcast"),
    "broadcast_cancel": N_("cancelled a broadcast"),
    "broadcast_compose": N_("wrote a broadcast"),
    "broadcast_count": N_("counted recipients"),
    "broadcast_list": N_("listed broadcasts"),
    "catalogue_apply": N_("applied a catalogue"),
    "catalogue_download": N_("downloaded the catalogue"),
    "catalogue_upload": N_("checked a catalogue file"),
    "dashboard": N_("opened the dashboard"),
    "enquiry_answer": N_("answered an enquiry"),
    "enquiry_assign": N_("assigned an enquiry"),
    "enquiry_export": N_("exported enquiries"),
    "enquiry_list": N_("listed enquiries"),
    "enquiry_note": N_("added a note"),
    "enquiry_read": N_("read an enquiry"),
    "enquiry_status": N_("changed an enquiry's status"),
    "faq_add": N_("added an FAQ wording"),
    "unanswered_dismiss": N_("dismissed a question"),
    "grant_staff": N_("made someone staff"),
    "revoke_staff": N_("revoked a staff role"),
    "list_staff": N_("listed staff"),
    "staff_rename": N_("renamed a staff member"),
    "person_erase": N_("erased a person's data"),
    "person_export": N_("exported a person's data"),
    "person_find": N_("searched for people"),
    "person_view": N_("viewed a person"),
    "unanswered_read": N_("read unanswered questions"),
}
OUTCOME_LABELS = {
    "done": N_("done"),
    "refused": N_("refused"),
    "sent": N_("delivered"),
    "uncertain": N_("not confirmed"),
    "pending": N_("on its way"),
}
# Why an answer was not delivered, as the audit's target names it.
_REASONS = {
    "blocked": N_("the learner has blocked the bot"),
    "erased": N_("the learner erased their data"),
    "failed": N_("Telegram refused it"),
}


def action_label(t: Translator, action: str) -> str:
    return t.gettext(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def outcome_label(t: Translator, outcome: str) -> str:
    return t.gettext(OUTCOME_LABELS[outcome]) if outcome in OUTCOME_LABELS else outcome


_FROM = re.compile(r"(link|[0-9]+) from (\S+)")


def target_label(t: Translator, target: str | None, names: Mapping[int, str] | None = None) -> str:
    """'12:answered' -> '12: answered' in words; 'link from 203.0.113.7' ->
    'a sign-in link, from 203.0.113.7'; a staff member by name ('7001' ->
    'Jonas Petraitis', '12:7001' -> '12: Jonas Petraitis', from `names`);
    other targets as stored."""
    if not target:
        return ""
    names = names or {}
    if target.isdigit() and int(target) in names:
        return names[int(target)]
    sign_in = _FROM.fullmatch(target)
    if sign_in:
        what, address = sign_in.groups()
        if what == "link":
            return t.gettext("a sign-in link, from {address}").format(address=address)
        return t.gettext("user {id}, from {address}").format(id=what, address=address)
    head, sep, code = target.partition(":")
    if not sep:
        return target
    if code.isdigit() and int(code) in names:
        return f"{head}: {names[int(code)]}"
    label = STATUS_LABELS.get(code) or _REASONS.get(code)
    return f"{head}: {t.gettext(label)}" if label else target
