"""Translations and locale-aware formatting, one Translator per language.

The language is chosen per update and passed around explicitly; there is no
global "current language".
"""

from __future__ import annotations

import datetime as dt
import gettext
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_currency, format_decimal

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
LANGUAGES = ("lt", "en")
# CLDR has no year-less long date for Lithuanian, so these two are patterns.
_SHORT = {"lt": "MMMM d 'd.'", "en": "MMM d"}
_WEEKDAY = {"lt": "MMMM d 'd.', EEEE", "en": "EEE, MMM d"}


class Translator:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._catalog = gettext.translation(
            DOMAIN, localedir=LOCALES_DIR, languages=[lang], fallback=True
        )

    def gettext(self, message: str) -> str:
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog.ngettext(singular, plural, n)

    def date(self, value: dt.date) -> str:
        """'2027 m. vasario 1 d.' / 'February 1, 2027'."""
        return format_date(value, "long", locale=self.lang)

    def short_date(self, value: dt.date) -> str:
        """'vasario 1 d.' / 'Feb 1': a date in the coming months, year left out."""
        return format_date(value, _SHORT[self.lang], locale=self.lang)

    def weekday_date(self, value: dt.date) -> str:
        """'vasario 1 d., pirmadienis' / 'Mon, Feb 1'."""
        return format_date(value, _WEEKDAY[self.lang], locale=self.lang)

    def time(self, value: dt.time | dt.datetime) -> str:
        # 24-hour clock in both languages: Lithuanian timetables use it and
        # English-speaking learners read the same timetables.
        return format_time(value, "HH:mm", locale=self.lang)

    def datetime(self, value: dt.datetime) -> str:
        return format_datetime(value, "long", locale=self.lang)

    def money(self, amount: float) -> str:
        """'1 234,50 €' / '€1,234.50'."""
        return format_currency(amount, "EUR", locale=self.lang)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.lang)


@cache
def translator(lang: str) -> Translator:
    return Translator(lang if lang in LANGUAGES else LANGUAGES[0])


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, where it is shown."""
    return message
