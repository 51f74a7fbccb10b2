"""Telegram's length limits, counted as Telegram counts: in UTF-16 code units."""

from __future__ import annotations

from telegram.constants import MessageLimit

from services import telegram_html
from services.enquiries import MAX_TEXT, TooLong, check_length
from texts.split import split_text

# 3,600 code points, 4,200 UTF-16 units: Telegram (and the emulator) refuse it.
LONG_ONLY_IN_UTF16 = "a" * 3000 + "😀" * 600


def test_the_limits_are_telegrams() -> None:
    assert telegram_html.MESSAGE_LIMIT == MessageLimit.MAX_TEXT_LENGTH
    assert telegram_html.CAPTION_LIMIT == MessageLimit.CAPTION_LENGTH


def test_a_text_long_only_in_utf16_units_is_too_long() -> None:
    assert len(LONG_ONLY_IN_UTF16) == 3600
    [problem] = telegram_html.check(LONG_ONLY_IN_UTF16)
    assert (problem.kind, problem.detail, problem.limit) == ("too_long", "4200", 4096)
    assert telegram_html.check("😀" * 2048) == []
    assert [p.kind for p in telegram_html.check("😀" * 513, caption=True)] == ["too_long"]


def test_long_replies_are_split_into_parts_telegram_accepts() -> None:
    parts = split_text(("😀" * 100 + "\n") * 40)
    assert len(parts) == 2
    assert all(telegram_html.utf16_length(p) <= MessageLimit.MAX_TEXT_LENGTH for p in parts)
    assert "".join(parts).count("😀") == 4000


def test_an_enquiry_message_is_measured_in_utf16_units() -> None:
    check_length("😀" * (MAX_TEXT // 2))
    try:
        check_length("a" * 1500 + "😀" * 300)
    except TooLong as exc:
        assert (exc.length, exc.limit) == (2100, MAX_TEXT)
    else:
        raise AssertionError("1,800 code points in 2,100 UTF-16 units were accepted")
