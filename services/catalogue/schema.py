"""The catalogue file format (SCHEMA.md, version 1) as validated models."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9-]+$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Model(BaseModel):
    # The format is exact: an unknown key is most often a typo ("hourz")
    # that would otherwise silently drop what it was meant to say.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Model):
    lt: Text
    en: Text

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.lt


class LocalizedList(_Model):
    lt: list[Text] = Field(default_factory=list)
    en: list[Text] = Field(default_factory=list)

    def get(self, lang: str) -> list[str]:
        return self.en if lang == "en" else self.lt


class Centre(_Model):
    id: Slug
    name: Localized
    timezone: str = "Europe/Vilnius"
    address: Localized
    phone: Text
    email: Text
    website: Text
    opening_hours: Localized


class Department(_Model):
    id: Slug
    name: Localized


SessionKind = Literal["lesson", "exam", "meeting", "deadline", "event"]
Mode = Literal["day", "evening", "weekend", "blended", "online"]
ProgrammeKind = Literal["formal", "continuing", "nonformal", "driving", "teacher"]
Topic = Literal[
    "admission",
    "funding",
    "documents",
    "schedule",
    "certificates",
    "driving",
    "teachers",
    "contacts",
    "services",
    "privacy",
]
TOPICS: tuple[str, ...] = get_args(Topic)


class Session(_Model):
    id: Slug
    kind: SessionKind
    title: Localized
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    room: str | None = None


class Group(_Model):
    id: Slug
    starts: dt.date
    ends: dt.date
    registration_deadline: dt.date | None = None
    mode: Mode
    timetable: Localized
    location: Localized
    seats: Annotated[int, Field(ge=0)]
    seats_taken: Annotated[int, Field(ge=0)]
    sessions: list[Session] = Field(default_factory=list)

    @property
    def seats_left(self) -> int:
        return max(self.seats - self.seats_taken, 0)


# What a registration may ask for; the bot asks them in this order.
RegistrationField = Literal["name", "phone", "email", "school", "subject", "workplace"]
REGISTRATION_FIELDS: tuple[str, ...] = get_args(RegistrationField)
# Who pays: the learner, their employer (with invoice details), the
# Employment Service, or a KURSUOK voucher (values stored with registrations).
Payment = Literal["self", "employer", "employment_service", "kursuok"]
PAYMENTS: tuple[str, ...] = get_args(Payment)
ConfirmBy = Literal["automatic", "staff"]

# The details asked when a programme does not list its own.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "teacher": ("name", "email", "school", "subject"),
}
ADULT_FIELDS: tuple[str, ...] = ("name", "phone")


class Registration(_Model):
    """How learners register for a programme's groups (all optional:
    defaults by the programme's kind)."""

    fields: list[RegistrationField] | None = None
    confirm: ConfirmBy = "staff"
    payment: list[Payment] | None = None


class Certificate(_Model):
    """A certificate for participants whose attendance reaches the minimum."""

    hours: Annotated[int, Field(ge=0)]
    # Per cent of the group's sessions attended (0-100).
    min_attendance: Annotated[int, Field(ge=0, le=100)]


@dataclass(frozen=True)
class RegistrationForm:
    """What the bot asks and how a registration is confirmed, with the
    defaults by kind applied."""

    fields: tuple[str, ...]
    confirm: str
    payments: tuple[str, ...]

    @property
    def automatic(self) -> bool:
        return self.confirm == "automatic"


class Programme(_Model):
    id: Slug
    kind: ProgrammeKind
    department: Slug | None = None
    code: str | None = None
    level: str | None = None
    title: Localized
    summary: Localized
    description: Localized
    audience: Localized
    duration: Localized
    hours: Annotated[int, Field(ge=0)] | None = None
    credits: Annotated[int, Field(ge=0)] | None = None
    entry_requirements: Localized
    price_eur: Annotated[float, Field(ge=0)] | None
    funding: Localized
    keywords: LocalizedList = Field(default_factory=LocalizedList)
    registration: Registration | None = None
    certificate: Certificate | None = None
    groups: list[Group] = Field(default_factory=list)

    def registration_form(self) -> RegistrationForm:
        """The fields to ask (name and phone for adult and driving courses;
        name, e-mail, school and subject for teacher events), the payment
        choices and who confirms."""
        declared = self.registration or Registration()
        fields = declared.fields or DEFAULT_FIELDS.get(self.kind, ADULT_FIELDS)
        # Nobody pays for a free event, so nobody is asked who pays.
        payments = ("self",) if self.price_eur is None else tuple(declared.payment or PAYMENTS)
        return RegistrationForm(
            fields=tuple(f for f in REGISTRATION_FIELDS if f in fields),
            confirm=declared.confirm,
            payments=payments,
        )


class Faq(_Model):
    id: Slug
    topic: Topic
    questions: LocalizedList
    answer: Localized
    related: list[Slug] = Field(default_factory=list)


class Catalogue(_Model):
    version: Literal[1]
    centre: Centre
    departments: list[Department] = Field(default_factory=list)
    programmes: list[Programme] = Field(default_factory=list)
    faq: list[Faq] = Field(default_factory=list)
