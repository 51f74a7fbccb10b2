"""What became of one outgoing message: the same words for every kind."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    # Telegram accepted it.
    SENT = "sent"
    # The recipient blocked the bot or is gone (403): marked inactive, and
    # nothing more is sent to them until they write again.
    BLOCKED = "blocked"
    # Telegram refused this message (400 and the like): trying again would
    # fail the same way.
    FAILED = "failed"
    # No answer came (a timeout, a connection lost after the request may have
    # left): it may have arrived, so it is never sent again.
    UNKNOWN = "unknown"
    # Telegram answered "not now" (429 after the pacer's own waits, 5xx) or
    # no connection was made: not delivered, so it may be tried again.
    RETRY = "retry"
