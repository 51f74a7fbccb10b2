"""Registrations for a group's seats (issue 18): the service and its results."""

from services.registrations.service import (
    DEFAULT_OFFER_HOLD,
    Change,
    ChangeResult,
    Closed,
    Outcome,
    RegisterResult,
    RegistrationService,
    source_key,
)

__all__ = [
    "DEFAULT_OFFER_HOLD",
    "Change",
    "ChangeResult",
    "Closed",
    "Outcome",
    "RegisterResult",
    "RegistrationService",
    "source_key",
]
