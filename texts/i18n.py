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
from babel.numbers import format_currency

from domain.languages import DEFAULT_LANGUAGE, LANGUAGES

# The catalogs stay beside the Telegram interface (bot/locales/), where the
# project layout puts them; both interfaces read them through this module.
LOCALES_DIR = Path(__file__).resolve().parent.parent / "bot" / "locales"
DOMAIN = "messages"
# Formatting locales: British English, as the catalogue is written ("1 September 2027").
_BABEL = {"lt": "lt_LT", "en": "en_GB"}
# CLDR has no year-less long date for Lithuanian, so these two are patterns.
_SHORT = {"lt": "MMMM d 'd.'", "en": "d MMM"}
_WEEKDAY = {"lt": "MMMM d 'd.', EEEE", "en": "EEE d MMM"}
# A month on its own, as a title says it: "2027 m. kovas" / "March 2027".
_MONTH = {"lt": "y 'm.' LLLL", "en": "LLLL y"}


class Translator:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = _BABEL.get(lang, lang)
        self._catalog = gettext.translation(
            DOMAIN, localedir=LOCALES_DIR, languages=[lang], fallback=True
        )

    def gettext(self, message: str) -> str:
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """A message whose translation depends on what it describes (a
        registration is "atšaukta", a broadcast "atšauktas")."""
        return self._catalog.pgettext(context, message)

    def date(self, value: dt.date) -> str:
        """'2027 m. vasario 1 d.' / '1 February 2027'."""
        return format_date(value, "long", locale=self.locale)

    def short_date(self, value: dt.date) -> str:
        """'vasario 1 d.' / 'Feb 1': a date in the coming months, year left out."""
        return format_date(value, _SHORT[self.lang], locale=self.locale)

    def weekday_date(self, value: dt.date) -> str:
        """'vasario 1 d., pirmadienis' / 'Mon, Feb 1'."""
        return format_date(value, _WEEKDAY[self.lang], locale=self.locale)

    def month(self, value: dt.date) -> str:
        """'2027 m. kovas' / 'March 2027'."""
        return format_date(value, _MONTH[self.lang], locale=self.locale)

    def time(self, value: dt.time | dt.datetime) -> str:
        # 24-hour clock without a leading zero, as the timetables are written
        # ("8:00-15:20"), in both languages.
        return format_time(value, "H:mm", locale=self.locale)

    def moment(self, value: dt.datetime | str | None, zone: dt.tzinfo) -> str:
        """'2026-11-21 02:29' / '21/11/2026, 02:29': an instant (a stored ISO
        time, UTC unless it says otherwise) in the centre's zone; '' for none."""
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                return str(value)  # not a time after all: shown as stored

        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return format_datetime(value, "short", tzinfo=zone, locale=self.locale)

    def money(self, amount: float) -> str:
        """'1 234,50 €' / '€1,234.50'."""
        return format_currency(amount, "EUR", locale=self.locale)


@cache
def translator(lang: str) -> Translator:
    return Translator(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, where it is shown."""
    return message


def NC_(context: str, message: str) -> str:
    """N_ for a message translated with t.pgettext(context, message)."""
    return message
