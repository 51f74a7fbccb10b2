"""Names of catalogue enums in the learner's language."""

from __future__ import annotations

from texts.i18n import N_, Translator

KIND_LABELS = {
    "formal": N_("Vocational training (initial)"),
    "continuing": N_("Courses for adults"),
    "nonformal": N_("Non-formal courses"),
    "driving": N_("Driving school"),
    "teacher": N_("For teachers"),
}
MODE_LABELS = {
    "day": N_("daytime"),
    "evening": N_("evening"),
    "weekend": N_("weekend"),
    "blended": N_("blended"),
    "online": N_("online"),
}
SESSION_LABELS = {
    "lesson": N_("lesson"),
    "exam": N_("exam"),
    "meeting": N_("meeting"),
    "deadline": N_("deadline"),
    "event": N_("event"),
}
TOPIC_LABELS = {
    "admission": N_("Admission"),
    "funding": N_("Prices and funding"),
    "documents": N_("Documents"),
    "schedule": N_("Timetables"),
    "certificates": N_("Certificates"),
    "driving": N_("Driving school"),
    "teachers": N_("For teachers"),
    "contacts": N_("Contacts"),
    "services": N_("Services"),
    "privacy": N_("Privacy"),
}


LANGUAGE_LABELS = {"lt": N_("Lithuanian"), "en": N_("English")}


def language_name(t: Translator, code: str | None) -> str:
    return t.gettext(LANGUAGE_LABELS[code]) if code in LANGUAGE_LABELS else (code or "")


ROLE_LABELS = {
    "learner": N_("learner"),
    "staff": N_("staff"),
    "admin": N_("administrator"),
}


def role_label(t: Translator, value: str) -> str:
    return t.gettext(ROLE_LABELS.get(value, value))


def kind(t: Translator, value: str) -> str:
    return t.gettext(KIND_LABELS.get(value, value))


def mode(t: Translator, value: str) -> str:
    return t.gettext(MODE_LABELS.get(value, value))


def session_kind(t: Translator, value: str) -> str:
    return t.gettext(SESSION_LABELS.get(value, value))


def topic(t: Translator, value: str) -> str:
    return t.gettext(TOPIC_LABELS.get(value, value))


ATTENDANCE_LABELS = {
    "present": N_("Present"),
    "absent": N_("Absent"),
    "excused": N_("Excused"),
}


def attendance_label(t: Translator, state: str) -> str:
    return t.gettext(ATTENDANCE_LABELS[state]) if state in ATTENDANCE_LABELS else state
