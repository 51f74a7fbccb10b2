"""No token in logs; settings that would leak or mislead are refused."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from vtcbot.logging_setup import RedactSecrets
from vtcbot.settings import Settings


def test_token_is_scrubbed_from_messages_and_tracebacks() -> None:
    token = "123456:SECRET-token_value"
    scrub = RedactSecrets([token])
    try:
        raise ConnectionError(f"cannot reach https://x.invalid/bot{token}/getMe")
    except ConnectionError:
        record = logging.LogRecord(
            "t",
            logging.ERROR,
            __file__,
            1,
            "call %s failed",
            (f"/bot{token}/getMe",),
            exc_info=__import__("sys").exc_info(),
        )
    scrub.filter(record)
    assert token not in record.getMessage()
    assert record.exc_text is not None and token not in record.exc_text
    assert "/bot<token>" in record.getMessage()


def test_api_url_must_be_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", "localhost:8081")
    with pytest.raises(ValidationError):
        Settings()


def test_admin_ids_are_read_from_a_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "1, 22;333")
    assert Settings().admin_ids == [1, 22, 333]
