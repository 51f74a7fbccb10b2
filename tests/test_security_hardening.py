"""Smaller security findings of issue 12: no secret or personal value in the
log at any level (uvicorn's own handlers too), private files, bidi controls
in names neutralised, password rules, FORWARDED_ALLOW_IPS, and an INFO log
without APScheduler's per-run chatter."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import os
import re
import stat
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.triggers.interval import IntervalTrigger
from pydantic import ValidationError

from emulator import BotApiEmulator
from services.admin_auth import CommonPassword, WeakPassword, check_password
from services.bidi import BIDI_CONTROLS, safe_name, strip_bidi
from services.broadcasts import Audience
from services.clock import FixedClock
from services.container import Services
from storage import admin_repo, learners_repo
from storage.database import Database
from tests.conftest import ADMIN_ID, DEMO, TOKEN
from tests.emu_helpers import file_enquiry, staffed_centre
from vtcbot import cli
from vtcbot.logging_setup import CHATTY, QUIET, configure_logging, uninstall_redaction
from vtcbot.runner import BotRunner, ConsoleConfig
from vtcbot.settings import Settings

WEBHOOK_SECRET = "wh-secret_7f3a9c2e5b1d"
STAFF_CHAT = -1009876
LEARNER = 2600
# What the learner types: a name with a right-to-left override in it, a phone
# in the local form, and a question with a word found nowhere else.
NAME = "Eglė Žvaigždūnaitė"
TYPED_CONTACT = f"\u202e{NAME} 8 612 98765"
PHONE_FORMS = ("+37061298765", "37061298765", "8 612 98765", "612 98765")
FIRST_NAME = "Rūtenė"
QUESTION = "Ar galima mokytis kalvystės naktimis?"
PASSWORD = "žalia varlė šoka polką 1987"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/login/([A-Za-z0-9_-]+)")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def log_state() -> Iterator[None]:
    """Whatever configure_logging changes is put back after the test."""
    root = logging.getLogger()
    names = [*CHATTY, *QUIET, "uvicorn.error", "uvicorn.access", "uvicorn.asgi"]
    levels = {name: logging.getLogger(name).level for name in names}
    root_level, handlers = root.level, list(root.handlers)
    yield
    uninstall_redaction()
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(root_level)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    for name in ("uvicorn", "uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True


def capture(level: int) -> io.StringIO:
    """The log as an operator's file would hold it: a plain handler of its
    own on the root logger, with no filter (the scrubbing must not depend on
    the handler)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    return stream


# ---------------------------------------------------------------- redaction


@pytest.fixture
async def centre(
    tmp_path: Path, clock: FixedClock, emulator: BotApiEmulator
) -> AsyncIterator[tuple[Services, BotRunner]]:
    async with staffed_centre(
        tmp_path / "sec.db", clock, emulator, STAFF_CHAT, console=ConsoleConfig("127.0.0.1", 0)
    ) as (services, runner):
        yield services, runner


async def _next(emulator: BotApiEmulator, chat_id: int) -> dict[str, Any]:
    count = len(emulator.messages(chat_id))
    return (await emulator.wait_for_messages(chat_id, count + 1))[-1]


async def _file_enquiry(emulator: BotApiEmulator) -> dict[str, Any]:
    """The learner asks the centre, with a name and a phone; the staff post."""
    emulator.send_text(LEARNER, "/start", language_code="lt", first_name=FIRST_NAME)
    return await file_enquiry(emulator, LEARNER, QUESTION, TYPED_CONTACT, STAFF_CHAT)


async def test_debug_log_holds_no_secret_and_no_personal_data(
    log_state: None,
    centre: tuple[Services, BotRunner],
    emulator: BotApiEmulator,
) -> None:
    services, runner = centre
    configure_logging("DEBUG", secrets=[TOKEN, WEBHOOK_SECRET])
    log = capture(logging.DEBUG)

    post = await _file_enquiry(emulator)

    # An admin's sign-in: the link from the bot, its form, a password set.
    emulator.send_text(ADMIN_ID, "/admin", language_code="en")
    match = LINK.search((await _next(emulator, ADMIN_ID))["text"])
    assert match is not None
    link_token = match.group(1)
    assert runner.console_url is not None
    async with httpx.AsyncClient(base_url=runner.console_url) as browser:
        page = await browser.get(f"/login/{link_token}")
        login_csrf = CSRF.search(page.text)
        assert login_csrf is not None
        signed_in = await browser.post(f"/login/{link_token}", data={"csrf": login_csrf.group(1)})
        assert signed_in.status_code == 303
        session_id = browser.cookies["vtc_session"]
        home = await browser.get("/")
        session_csrf = CSRF.search(home.text)
        assert session_csrf is not None
        saved = await browser.post(
            "/password", data={"csrf": session_csrf.group(1), "password": PASSWORD}
        )
        assert saved.status_code == 200
    stored_hash = await admin_repo.password_hash(services.db.reader, ADMIN_ID)
    assert stored_hash is not None and stored_hash.startswith("$argon2id$")

    # Lines as libraries write them at DEBUG and on errors (a Bot API call's
    # parameters, a webhook request's headers), and uvicorn's error logger.
    logging.getLogger("vtcbot.probe").debug(
        "Calling Bot API endpoint `%s` with parameters `%s`",
        "sendMessage",
        {"chat_id": STAFF_CHAT, "text": f"Kontaktai: {NAME}, +37061298765"},
    )
    logging.getLogger("aiohttp.server").error(
        "Error handling request, headers: {'X-Telegram-Bot-Api-Secret-Token': '%s'}",
        WEBHOOK_SECRET,
    )
    logging.getLogger("uvicorn.error").error("stored %s for /login/%s", stored_hash, link_token)

    text = log.getvalue()
    assert "DEBUG" in text  # the level was really DEBUG
    secrets = {
        "sign-in link token": link_token,
        "sign-in form CSRF": login_csrf.group(1),
        "session CSRF": session_csrf.group(1),
        "session id": session_id,
        "password": PASSWORD,
        "argon2 hash": stored_hash,
        "argon2 prefix": "$argon2id$",
        "bot token": TOKEN,
        "webhook secret": WEBHOOK_SECRET,
    }
    personal = {
        "surname": "Žvaigždūnaitė",
        "Telegram first name": FIRST_NAME,
        "question": "kalvystės",
        **{f"phone {form}": form for form in PHONE_FORMS},
    }
    for what, value in {**secrets, **personal}.items():
        assert value not in text, f"the log holds the {what}"
    assert "/login/<token>" in text and "<argon2-hash>" in text
    # What an operator needs is still there, by number only.
    assert re.search(r"INFO bot\.handlers\.enquiries: enquiry 1 received \(lt\)", text)

    # The staff post shows the name without the override, before the phone.
    assert not set(post["text"]) & BIDI_CONTROLS
    assert f"{NAME}, +37061298765" in post["text"]


def test_uvicorns_own_handlers_get_scrubbed_records(
    log_state: None, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    configure_logging("DEBUG", secrets=[TOKEN])
    # uvicorn's default configuration: its own handlers and formatters
    # (stderr, stdout), not propagating to ours.
    uvicorn.Config("tests.test_security_hardening:_no_app", log_config=LOGGING_CONFIG)
    token = "Zx8" * 15
    logging.getLogger("uvicorn.error").warning("bad form csrf=%s&password=hunter22", token)
    # The access log's formatter unpacks record.args: it must still work.
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "POST", f"/login/{token}", "1.1", 303
    )
    written = capsys.readouterr()  # uvicorn's access log is on stdout, the rest on stderr
    assert token not in written.err + written.out and "hunter22" not in written.err
    assert "csrf=<redacted>" in written.err
    assert '"POST /login/<token> HTTP/1.1" 303' in written.out


def test_the_consoles_server_leaves_logging_to_ours(log_state: None) -> None:
    from starlette.applications import Starlette

    from admin.server import AdminServer

    server = AdminServer(Starlette(), "127.0.0.1", 0)
    assert server.config.log_config is None
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        assert logger.handlers == [] and logger.propagate


def _no_app() -> None:  # pragma: no cover - never served
    pass


# ---------------------------------------------------------------- INFO noise


async def test_info_log_says_what_matters_without_scheduler_chatter(
    log_state: None,
    tmp_path: Path,
    clock: FixedClock,
    emulator: BotApiEmulator,
) -> None:
    configure_logging("INFO", secrets=[TOKEN])
    log = capture(logging.DEBUG)
    services = Services.create(tmp_path / "info.db", clock, admin_ids=[ADMIN_ID])
    await services.start(DEMO)
    async with services.db.transaction() as conn:
        for user in (3100, 3101, ADMIN_ID):
            await learners_repo.touch(conn, user, "lt", "-")
    for user in (3100, 3101, ADMIN_ID):
        emulator.state.ensure_private_chat(user)
    assert emulator.url is not None
    runner = BotRunner(services, TOKEN, emulator.url, concurrent_updates=8)
    await runner.start()
    try:
        job_queue = runner.app.job_queue
        assert job_queue is not None
        scheduler = job_queue.scheduler
        ran: list[str] = []
        enough = asyncio.Event()
        jobs = [job for job in scheduler.get_jobs() if isinstance(job.trigger, IntervalTrigger)]
        assert len(jobs) >= 3
        wanted = 0

        def executed(event: JobExecutionEvent) -> None:
            ran.append(str(event.job_id))
            if len(ran) >= wanted:
                enough.set()

        scheduler.add_listener(executed, EVENT_JOB_EXECUTED)
        # Every repeating job runs now, three times over (no waiting for
        # their 5-30 s intervals).
        for _ in range(3):
            wanted += len(jobs)
            enough.clear()
            for job in jobs:
                job.modify(next_run_time=dt.datetime.now(dt.UTC))
            await asyncio.wait_for(enough.wait(), timeout=10)
        broadcast = await services.broadcasts.create(
            ADMIN_ID, "Rytoj pamokų nebus.", None, Audience("everyone")
        )
        for started in await runner.broadcaster.start_due():
            await runner.broadcaster.run(started)
        await runner.broadcaster.join()
    finally:
        await runner.stop()
        await services.close()
    text = log.getvalue()
    assert len(ran) >= 9
    assert "apscheduler" not in text, text
    assert "HTTP Request" not in text  # httpx's line per Bot API call
    assert re.search(r"INFO vtcbot\.runner: bot @\w+ is running", text)
    assert f"broadcast {broadcast} started for 3 recipients" in text
    assert re.search(rf"broadcast {broadcast} ended: \{{'sent': 3\}}", text)
    assert "Rytoj" not in text


def test_library_loggers_are_held_back_at_debug(log_state: None) -> None:
    configure_logging("DEBUG", secrets=[])
    assert logging.getLogger().level == logging.DEBUG
    for name in ("telegram", "httpx", "aiosqlite", "uvicorn", "aiohttp"):
        assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
    for name in ("apscheduler.scheduler", "apscheduler.executors.default"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name


# ---------------------------------------------------------------- file modes


@pytest.fixture
def loose_umask() -> Iterator[None]:
    old = os.umask(0o022)  # a usual default: files readable by everyone
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_database_and_its_wal_are_private(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "new" / "vtcbot.db"
    db = Database(path)
    await db.open()
    try:
        async with db.transaction() as conn:
            await conn.execute("CREATE TABLE t(x)")
            await conn.execute("INSERT INTO t VALUES (1)")
        assert _mode(path.parent) == 0o700
        for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert file.exists() and _mode(file) == 0o600, file
    finally:
        await db.close()


async def test_a_database_left_readable_is_made_private(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    db = Database(path)
    await db.open()
    await db.close()
    assert _mode(path) == 0o600


def test_the_command_makes_private_files(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    loose_umask: None,
    log_state: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "var" / "cli.db"))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    assert cli.main(["ask", "Kiek kainuoja?"]) == 0
    made = os.umask(0o022)
    assert made == cli.PRIVATE_UMASK
    assert _mode(tmp_path / "var") == 0o700
    assert _mode(tmp_path / "var" / "cli.db") == 0o600
    # A file any code of the process creates later is private too.
    os.umask(made)
    (tmp_path / "later.log").write_text("x")
    assert _mode(tmp_path / "later.log") == 0o600


# ---------------------------------------------------------------- bidi


def test_bidi_controls_are_dropped_and_rtl_names_isolated() -> None:
    assert strip_bidi("a\u202eb\u2066c\u200fd\u061c") == "abcd"
    assert safe_name("\u202eOna\u202c Onaitė") == "Ona Onaitė"
    assert safe_name(None) == "" and safe_name("") == ""
    hebrew = safe_name("\u202dשרה")
    assert hebrew == "\u2068שרה\u2069"
    assert all(c not in BIDI_CONTROLS for c in safe_name("x" + "".join(BIDI_CONTROLS) + "y"))


# ---------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    "password",
    [" " * 12, " " * 40, "a b c d e f g h i j k", "\t\n" * 10 + "abc"],
)
def test_short_passwords_count_without_spaces(password: str) -> None:
    with pytest.raises(WeakPassword) as refused:
        check_password(password)
    assert not isinstance(refused.value, CommonPassword)


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "123456789012",
        "qwertyuiop123",
        "iloveyou1234",
        "aaaaaaaaaaaaaaaa",
        # The centre's town and a common Lithuanian word, with digits.
        "alytus123456",
        "lietuva123456",
    ],
)
def test_the_commonest_passwords_are_refused(password: str) -> None:
    with pytest.raises(CommonPassword):
        check_password(password)


def test_the_admins_own_id_makes_a_weak_password() -> None:
    check_password("7391842650173")
    with pytest.raises(CommonPassword):
        check_password("7391842650173", ("7391842650173",))


@pytest.mark.parametrize(
    "password", [PASSWORD, "correct horse battery staple", "x" * 5 + PASSWORD * 4]
)
def test_good_passwords_pass(password: str) -> None:
    check_password(password)


# ---------------------------------------------------------------- settings


def test_forwarded_allow_ips_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert Settings(_env_file=None).forwarded_allow_ips == []  # type: ignore[call-arg]
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1, 10.0.0.0/8,::1")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.forwarded_allow_ips == ["127.0.0.1", "10.0.0.0/8", "::1"]
    config = cli.console_config(settings)
    assert config is not None and config.forwarded_allow_ips == ("127.0.0.1", "10.0.0.0/8", "::1")
    for wrong in ("*", "localhost", "10.0.0.0/33"):
        monkeypatch.setenv("FORWARDED_ALLOW_IPS", wrong)
        with pytest.raises(ValidationError):
            Settings(_env_file=None)  # type: ignore[call-arg]
    example = (Path(__file__).resolve().parent.parent / ".env.example").read_text()
    assert "\nFORWARDED_ALLOW_IPS=\n" in example
