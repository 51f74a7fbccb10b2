"""One module per feature, each with register(app)."""

from __future__ import annotations

from telegram.ext import Application

from bot.handlers import (
    admin_link,
    broadcasts,
    browse,
    choices,
    enquiries,
    errors,
    fallback,
    feedback,
    modes,
    privacy,
    registration,
    registration_staff,
    reminders,
    settings,
    staff,
    start,
    survey,
)


def register_all(app: Application) -> None:  # type: ignore[type-arg]
    start.register(app)
    privacy.register(app)
    staff.register(app)
    admin_link.register(app)
    broadcasts.register(app)
    # One /cancel and one owner for files and texts (bot/handlers/modes.py).
    modes.register_cancel(app)
    modes.register_files(app)
    settings.register(app)
    enquiries.register(app)
    registration.register(app)
    registration_staff.register(app)
    reminders.register(app)
    # Before browse, whose handler takes every other button.
    feedback.register(app)
    survey.register(app)
    choices.register(app)
    browse.register(app)
    modes.register_text(app)
    fallback.register(app)
    errors.register(app)
