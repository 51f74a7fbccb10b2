"""The languages the centre speaks to learners in: the one list."""

from __future__ import annotations

# Lithuanian first: it is the default for anyone who has not chosen.
LANGUAGES: tuple[str, ...] = ("lt", "en")
DEFAULT_LANGUAGE = LANGUAGES[0]
# The staff chat's language: posts, notices and replies to staff.
STAFF_LANGUAGE = "lt"


def sql_list() -> str:
    """The list as an SQL literal, for queries that copy the language rule."""
    return ", ".join(f"'{lang}'" for lang in LANGUAGES)
