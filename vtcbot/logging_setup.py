"""Logging that writes neither secrets nor what people typed, at any level.

The bot token is part of every Bot API URL and libraries put URLs in their
messages; at DEBUG, libraries log request bodies (learners' names, phones,
texts), SQL parameters, forms with CSRF tokens and sign-in links. So:

- every record is scrubbed when it is created (a log-record factory), before
  any handler sees it: also the handlers uvicorn, aiohttp or a test install
  themselves, whatever their formatter;
- the chatty libraries stay at INFO even when LOG_LEVEL=DEBUG (their DEBUG
  lines are request and SQL dumps), and APScheduler's two lines per job run
  are kept out of INFO altogether.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_BOT_URL = re.compile(r"/bot[0-9]+:[A-Za-z0-9_-]+")
# A bot token outside a URL ("123456789:AA…" is 8-10 digits, a colon, 35 characters).
_BOT_TOKEN = re.compile(r"(?<![A-Za-z0-9_])[0-9]{5,}:[A-Za-z0-9_-]{30,}")
# The console's one-time sign-in link: /login/<token>.
_SIGN_IN_LINK = re.compile(r"(/login/)[A-Za-z0-9_-]{16,}")
_ARGON2 = re.compile(r"\$argon2(?:id|i|d)\$[A-Za-z0-9+/=$,.-]*")
# A phone number in international form: +370 612 34567, +37061234567.
_PHONE = re.compile(r"(?<![\w+])\+[0-9](?:[ ().-]?[0-9]){6,14}(?![0-9])")
# A Lithuanian mobile number as Telegram's contacts give it, without "+".
_LT_MOBILE = re.compile(r"(?<![\w+-])3706[0-9]{7}(?![0-9])")
# The value of a field that holds a secret or what a person typed, in every
# shape it is logged in: a form (key=value&), a cookie (key=value;), JSON
# ("key": "value"), a Python repr (key='value', 'key': 'value') and a
# header (key: value). Telegram's objects name people in first_name etc.
_FIELDS = (
    "csrf",
    "vtc_session",
    "vtc_login",
    "session_id",
    "session",
    "secret_token",
    "x-telegram-bot-api-secret-token",
    "token",
    "secret",
    "password",
    "current",
    "cookie",
    "set-cookie",
    "authorization",
    "phone_number",
    "phone",
    "first_name",
    "last_name",
    "username",
    "name",
    "text",
    "caption",
    "vcard",
    "bio",
    "query",
    "question",
)
_VALUE = r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s&;,)}\]'"]+)"""
_KEY_VALUE = re.compile(
    r"""(?<![A-Za-z0-9_-])(["']?(?:"""
    + "|".join(re.escape(f) for f in _FIELDS)
    + r""")["']?\s*[:=]\s*(?:b(?=['"]))?)"""
    + _VALUE,
    re.IGNORECASE,
)
# HTML forms: <input name="csrf" value="…">.
_HTML_INPUT = re.compile(
    r"""(name=["'](?:csrf|password|current|token)["'][^>]*?value=)(["'])[^"']*\2""",
    re.IGNORECASE,
)

# Libraries whose DEBUG lines are dumps of requests, responses, SQL
# parameters or form parts: held at INFO when LOG_LEVEL=DEBUG.
CHATTY = (
    "telegram",
    "httpx",
    "httpcore",
    "hpack",
    "aiohttp",
    "uvicorn",
    "aiosqlite",
    "multipart",
    "python_multipart",
)
# Libraries whose INFO lines are routine chatter (APScheduler: "Running
# job…" and "Job … executed successfully" for every run; httpx: one line per
# Bot API request): WARNING at every level.
QUIET = ("apscheduler", "httpx", "httpcore")


class Redactor:
    """Replaces secrets and personal values in a text."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        # The longest first: a secret that contains another is removed whole.
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        text = _BOT_URL.sub("/bot<token>", text)
        for secret in self.secrets:
            text = text.replace(secret, "<secret>")
        text = _BOT_TOKEN.sub("<token>", text)
        text = _SIGN_IN_LINK.sub(r"\1<token>", text)
        text = _ARGON2.sub("<argon2-hash>", text)
        text = _HTML_INPUT.sub(r"\1\2<redacted>\2", text)
        text = _KEY_VALUE.sub(r"\1<redacted>", text)
        text = _PHONE.sub("<phone>", text)
        return _LT_MOBILE.sub("<phone>", text)

    def clean(self, text: str) -> bool:
        return self.scrub(text) == text


_PLAIN = (str, int, float, bool, type(None))


def scrub_record(record: logging.LogRecord, redactor: Redactor) -> None:
    """Scrub a record in place. A record with nothing to hide is left as it
    is; plain arguments are scrubbed one by one where that is enough, so a
    formatter that reads record.args (uvicorn's access log) still works."""
    try:
        message = record.getMessage()
    except Exception:  # a wrong format string: never let the arguments through
        record.msg = redactor.scrub(str(record.msg)) + " <arguments not shown>"
        record.args = None
        message = record.msg
    if not redactor.clean(message):
        args = record.args
        done = False
        plain = isinstance(args, tuple) and bool(args) and all(isinstance(a, _PLAIN) for a in args)
        if isinstance(record.msg, str) and isinstance(args, tuple) and plain:
            each = tuple(redactor.scrub(a) if isinstance(a, str) else a for a in args)
            try:
                candidate = record.msg % each
            except (TypeError, ValueError):
                candidate = None
            if candidate is not None and redactor.clean(candidate):
                record.args = each
                done = True
        if not done:
            record.msg = redactor.scrub(message)
            record.args = None
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        # Tracebacks quote exception messages; the formatter uses exc_text as is.
        record.exc_text = redactor.scrub(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = redactor.scrub(record.exc_text)
    if record.stack_info:
        record.stack_info = redactor.scrub(record.stack_info)


class RedactSecrets(logging.Filter):
    """The same scrubbing as a filter, for a handler of one's own."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self.redactor = Redactor(secrets)

    def scrub(self, text: str) -> str:
        return self.redactor.scrub(text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.scrub(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


HANDLER_NAME = "vtcbot"
_BASE_FACTORY: Callable[..., logging.LogRecord] | None = None


def install_redaction(secrets: Iterable[str | None]) -> None:
    """Scrub every record made from now on, in this process, by any logger."""
    global _BASE_FACTORY
    if _BASE_FACTORY is None:
        _BASE_FACTORY = logging.getLogRecordFactory()
    base = _BASE_FACTORY
    redactor = Redactor(secrets)

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        scrub_record(record, redactor)
        return record

    logging.setLogRecordFactory(factory)


def uninstall_redaction() -> None:
    """Back to the plain record factory (for tests)."""
    global _BASE_FACTORY
    if _BASE_FACTORY is not None:
        logging.setLogRecordFactory(_BASE_FACTORY)
        _BASE_FACTORY = None


def configure_logging(
    level: int | str, secrets: Iterable[str | None], log_file: Path | None = None
) -> None:
    """One handler, on stderr or appending to `log_file` (the offline chat's
    screen is the conversation); every record scrubbed; library chatter held back."""
    secrets = list(secrets)
    install_redaction(secrets)
    numeric = logging.getLevelName(level.upper()) if isinstance(level, str) else level
    if not isinstance(numeric, int):
        numeric = logging.INFO
    root = logging.getLogger()
    if not any(h.get_name() == HANDLER_NAME for h in root.handlers):
        handler: logging.Handler
        if log_file is not None:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(log_file, encoding="utf-8")
        else:
            handler = logging.StreamHandler(sys.stderr)
        handler.set_name(HANDLER_NAME)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(RedactSecrets(secrets))
        root.addHandler(handler)
    root.setLevel(numeric)
    for name in CHATTY:
        logging.getLogger(name).setLevel(max(numeric, logging.INFO))
    for name in QUIET:
        logging.getLogger(name).setLevel(max(numeric, logging.WARNING))
