"""The `vtcbot` command: run, chat, import, ask, enquiries, registrations, backup, restore."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from domain.enquiries import EnquiryStatus
from domain.languages import DEFAULT_LANGUAGE, LANGUAGES
from domain.registrations import RegistrationStatus
from services.catalogue_service import CatalogueError
from services.container import Services
from vtcbot.logging_setup import configure_logging
from vtcbot.settings import PROJECT, Settings

if TYPE_CHECKING:
    from vtcbot.runner import ConsoleConfig

log = logging.getLogger("vtcbot")
OFFLINE_DATABASE = PROJECT / "var" / "offline-chat.db"
# The offline chat's screen is the conversation: its log lines go here.
OFFLINE_LOG = PROJECT / "var" / "offline-chat.log"
PRIVATE_UMASK = 0o077


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vtcbot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "run",
        help="run the bot (long polling, or a webhook when WEBHOOK_URL is set); "
        "without TELEGRAM_BOT_TOKEN, start the offline chat",
    )
    chat = sub.add_parser("chat", help="chat with the bot offline, through the emulator")
    chat.add_argument("--user", type=int, default=1001, help="the learner's Telegram id")
    chat.add_argument("--language-code", default="lt", help="the learner's Telegram language")
    imp = sub.add_parser("import", help="validate a catalogue file and import it")
    imp.add_argument("path", type=Path)
    ask = sub.add_parser("ask", help="ask the answer engine (one question, or one per line)")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    enquiries = sub.add_parser("enquiries", help="the enquiry log")
    what = enquiries.add_subparsers(dest="enquiries_command", required=True)
    listing = what.add_parser("list", help="list enquiries, one a line")
    listing.add_argument("--status", choices=tuple(EnquiryStatus))
    listing.add_argument("--since", type=_date, help="YYYY-MM-DD")
    listing.add_argument("--programme", help="programme id")
    export = what.add_parser("export", help="export enquiries as CSV or JSON lines (streamed)")
    export.add_argument("--since", type=_date, help="YYYY-MM-DD")
    export.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    registrations = sub.add_parser("registrations", help="registrations for a group's seats")
    reg_what = registrations.add_subparsers(dest="registrations_command", required=True)
    reg_list = reg_what.add_parser("list", help="a group's registrations as CSV or JSON lines")
    reg_list.add_argument("--group", required=True, help="group id")
    reg_list.add_argument("--status", choices=tuple(RegistrationStatus))
    reg_list.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    save = sub.add_parser(
        "backup", help="write a consistent, checked copy of the database (also while the bot runs)"
    )
    save.add_argument("path", type=Path, help="the copy's file, or a folder for a dated file")
    restore = sub.add_parser(
        "restore",
        help="replace the database with a backup file or the replica's newest state, "
        "after checking it (the bot must be stopped)",
    )
    restore.add_argument(
        "source", nargs="?", help="a backup file, or a replica (default: BACKUP_REPLICA_URL)"
    )
    return parser


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from None


def main(argv: list[str] | None = None) -> int:
    # The database, its -wal and -shm, and anything else this process creates
    # hold learners' data: readable by the bot's own user only.
    os.umask(PRIVATE_UMASK)
    args = _parser().parse_args(argv)
    settings = Settings()
    offline_chat = args.command == "chat" or (args.command == "run" and not settings.token)
    quiet = (
        args.command in ("ask", "import", "enquiries", "registrations", "backup", "restore")
        or offline_chat
    )
    webhook_secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    configure_logging(
        logging.WARNING if quiet else settings.log_level.upper(),
        secrets=[settings.token, webhook_secret],
        # The offline chat's screen is the conversation: its log goes to a file.
        log_file=OFFLINE_LOG if offline_chat else None,
    )
    try:
        return _run_loop(_dispatch(args, settings))
    except KeyboardInterrupt:
        return 130


def _run_loop(main: Coroutine[Any, Any, int]) -> int:
    try:
        import uvloop
    except ImportError:  # not available on every platform; asyncio's loop works too
        return asyncio.run(main)
    return uvloop.run(main)


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command in ("backup", "restore"):
        # Neither opens the database through the services: a restore must not
        # create or migrate the file it is about to replace.
        from vtcbot import backup_cli

        if args.command == "backup":
            return await asyncio.to_thread(backup_cli.run_backup, settings.database_path, args.path)
        return await asyncio.to_thread(
            backup_cli.run_restore,
            settings.database_path,
            args.source or settings.backup_replica_url,
        )
    if args.command == "import":
        return await _import(settings, args.path)
    offline_chat = args.command == "chat" or (args.command == "run" and not settings.token)
    if offline_chat and args.command == "run":
        print("No TELEGRAM_BOT_TOKEN is configured: starting the offline chat instead.")
    if offline_chat and not settings.admin_ids:
        # Whoever tries the bot offline may also try the web console: the
        # offline learner is the offline database's administrator.
        settings = settings.model_copy(update={"admin_ids": [getattr(args, "user", 1001)]})
    if offline_chat and "database_path" not in settings.model_fields_set:
        # The offline chat's made-up learners stay out of the real database.
        settings = settings.model_copy(update={"database_path": OFFLINE_DATABASE})
    services = await _start_services(settings)
    if services is None:
        return 2
    try:
        if offline_chat:
            from vtcbot.chat import run_chat

            user = getattr(args, "user", 1001)
            language_code = getattr(args, "language_code", "lt")
            return await run_chat(services, user, language_code, console_config(settings))
        if args.command == "ask":
            from vtcbot import ask

            return await ask.run(services, args.question, args.lang, args.json)
        if args.command == "enquiries":
            from vtcbot import enquiries_cli

            if args.enquiries_command == "list":
                return await enquiries_cli.list_(services, args.since, args.status, args.programme)
            return await enquiries_cli.export(services, args.since, args.format)
        if args.command == "registrations":
            from vtcbot import registrations_cli

            return await registrations_cli.list_(services, args.group, args.status, args.format)
        return await _run_bot(settings, services)
    finally:
        await services.close()


def _services(settings: Settings) -> Services:
    services = Services.create(
        settings.database_path,
        admin_ids=settings.admin_ids,
        staff_chat_id=settings.staff_chat_id,
        escalation_hours=settings.enquiry_escalation_hours,
        retention_days=settings.retention_days,
        staff_thread_id=settings.staff_thread_id,
        draft_idle_minutes=settings.enquiry_idle_minutes,
        offer_hold_hours=settings.offer_hold_hours,
    )
    services.certificates.font = settings.certificate_font
    return services


async def _start_services(settings: Settings) -> Services | None:
    """The services with the stored catalogue, a new database being filled
    from CATALOGUE_PATH; None (and why, on stderr) when that is impossible."""
    services = _services(settings)
    try:
        await services.start(settings.catalogue_path)
    except CatalogueError as exc:
        await services.close()
        print(
            f"{settings.catalogue_path}: cannot fill the new database {settings.database_path} "
            "from this catalogue:",
            file=sys.stderr,
        )
        for error in exc.report.errors:
            print(f"  {error}", file=sys.stderr)
        return None
    return services


async def _import(settings: Settings, path: Path) -> int:
    services = _services(settings)
    await services.db.open()
    try:
        # A fresh database is filled from the file being imported, not the demo.
        await services.catalogue.load(None)
        report, summary = await services.catalogue.import_file(path)
        for warning in report.warnings:
            print(f"warning: {warning}")
        if summary is None:
            print(f"{path}: the catalogue was not imported; nothing changed.", file=sys.stderr)
            for error in report.errors:
                print(f"  {error}", file=sys.stderr)
            return 1
        print(f"{path}: imported.")
        for line in summary.lines():
            print(f"  {line}")
        return 0
    finally:
        await services.close()


def console_config(settings: Settings) -> ConsoleConfig | None:
    from vtcbot.runner import ConsoleConfig

    if not settings.admin_enabled:
        return None
    return ConsoleConfig(
        settings.admin_host,
        settings.admin_port,
        settings.admin_public_url or None,
        tuple(settings.forwarded_allow_ips),
    )


async def _run_bot(settings: Settings, services: Services) -> int:
    from bot.app import PacingSettings
    from bot.transport.pacing import PacedRateLimiter
    from storage import run_lock
    from vtcbot.lifecycle import run_until_signal
    from vtcbot.ops_server import OpsServer
    from vtcbot.runner import BotRunner, WebhookConfig

    token = settings.token
    assert token is not None
    webhook = None
    if settings.webhook_url:
        if settings.webhook_secret is None:
            print(
                "WEBHOOK_URL is set but WEBHOOK_SECRET is not; refusing to start.", file=sys.stderr
            )
            return 2
        webhook = WebhookConfig(
            settings.webhook_url,
            settings.webhook_secret.get_secret_value(),
            settings.webhook_listen,
            settings.webhook_port,
        )
    runner = BotRunner(
        services,
        token,
        settings.telegram_api_url,
        webhook,
        settings.concurrent_updates,
        pacing=PacingSettings(
            overall_per_second=settings.send_rate_per_second,
            chat_interval=settings.send_chat_interval_seconds,
            group_per_minute=settings.send_group_per_minute,
            paid_broadcasts=settings.paid_broadcasts,
        ),
        console=console_config(settings),
    )
    ops = None
    if settings.metrics_port >= 0:
        from services import metrics

        # Messages of any kind waiting in the paced sender, read at each scrape.
        limiter = runner.app.bot.rate_limiter
        if isinstance(limiter, PacedRateLimiter):
            metrics.watch_queue("paced", limiter.pending)
        ops = OpsServer(
            services.db,
            services.clock,
            settings.metrics_host,
            settings.metrics_port,
            replica_url=settings.backup_replica_url,
            # Polling asks Telegram all the time; a webhook bot is asked to.
            telegram_probe=runner.app.bot.get_me if webhook else None,
        )
    if not settings.backup_replica_url:
        log.warning("BACKUP_REPLICA_URL is not set: the database is not replicated")
    try:
        with run_lock.hold(settings.database_path):
            await run_until_signal(runner, settings.stop_grace_seconds, ops)
    except run_lock.InUse:
        print(f"{settings.database_path}: another vtcbot is running on it.", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
