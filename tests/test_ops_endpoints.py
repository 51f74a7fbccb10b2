"""GET /metrics and GET /healthz of the running bot (issue 17, must-show 3)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from storage import backup
from vtcbot.ops_server import OpsServer
from vtcbot.runner import BotRunner

METRICS = (
    "vtcbot_updates_total",
    "vtcbot_reply_latency_seconds",
    "vtcbot_outbox_pending",
    "vtcbot_telegram_errors_total",
    "vtcbot_sent_total",
    "vtcbot_reminders_due",
    "vtcbot_database_bytes",
    "vtcbot_backup_last_success_timestamp_seconds",
)
LEARNER = 4242
BLOCKED = 4343


@pytest.fixture
async def ops(
    running_bot: BotRunner, services: Services, clock: FixedClock
) -> AsyncIterator[OpsServer]:
    server = OpsServer(services.db, clock, "127.0.0.1", 0)
    assert await server.start()
    yield server
    await server.stop()


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def _scrape(ops: OpsServer) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample by (name, labels); also proves the text parses as Prometheus'."""
    status, text = await _get(f"{ops.url}/metrics")
    assert status == 200
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def _value(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_metrics_parse_and_move_when_a_learner_asks(
    ops: OpsServer, emulator: BotApiEmulator
) -> None:
    before = await _scrape(ops)
    names = {name for name, _labels in before}
    # Every metric of the contract, with a sample (a histogram has _bucket,
    # _count and _sum; an error counter shows once an error happened).
    for metric in METRICS:
        if metric == "vtcbot_telegram_errors_total":
            continue
        assert any(n == metric or n.startswith(f"{metric}_") for n in names), metric

    emulator.send_text(LEARNER, "kiek kainuoja B kategorija?")
    await emulator.wait_for_messages(LEARNER, 1, timeout=10)
    # A learner who blocked the bot: Telegram answers 403.
    emulator.add_fault("sendMessage", BLOCKED, kind="403", times=None)
    emulator.send_text(BLOCKED, "kiek kainuoja B kategorija?")
    # Until the bot has marked both updates done (each scrape is a round
    # trip through the bot's loop; bounded in time, not in count: the
    # blocked learner's update ends after the 1 s per-chat pace).
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    after = await _scrape(ops)
    while loop.time() < deadline and not (
        _value(after, "vtcbot_updates_total", outcome="handled")
        >= _value(before, "vtcbot_updates_total", outcome="handled") + 2
        and _value(after, "vtcbot_telegram_errors_total", code="403")
    ):
        after = await _scrape(ops)
    handled = _value(after, "vtcbot_updates_total", outcome="handled")
    assert handled >= _value(before, "vtcbot_updates_total", outcome="handled") + 2
    assert _value(after, "vtcbot_sent_total", kind="interactive") >= (
        _value(before, "vtcbot_sent_total", kind="interactive") + 1
    )
    assert _value(after, "vtcbot_reply_latency_seconds_count") >= (
        _value(before, "vtcbot_reply_latency_seconds_count") + 1
    )
    assert _value(after, "vtcbot_telegram_errors_total", code="403") >= 1
    assert _value(after, "vtcbot_database_bytes") > 0
    for kind in ("update", "paced", "broadcast", "notice"):
        assert ("vtcbot_outbox_pending", (("kind", kind),)) in after
    # No learner's id in any label.
    values = {value for _name, labels in after for _key, value in labels}
    assert not any(str(user) in value for value in values for user in (LEARNER, BLOCKED))


async def test_healthz_turns_unhealthy_when_the_database_is_read_only(
    ops: OpsServer, services: Services, emulator: BotApiEmulator
) -> None:
    emulator.send_text(LEARNER, "/start")  # a successful round trip to Telegram
    await emulator.wait_for_messages(LEARNER, 1, timeout=10)
    status, body = await _get(f"{ops.url}/healthz")
    assert status == 200, body
    assert json.loads(body)["checks"] == {"database": "ok", "telegram": "ok"}

    # The database refuses writes (as on a disk remounted read-only): SQLite's
    # query_only gives every write SQLITE_READONLY, as such a disk would.
    # (chmod cannot show it: the tests may run as root.)
    writer = services.db._writer
    assert writer is not None
    await writer.execute("PRAGMA query_only=ON")
    try:
        status, body = await _get(f"{ops.url}/healthz")
    finally:
        await writer.execute("PRAGMA query_only=OFF")
    assert status == 503
    report = json.loads(body)
    assert report["status"] == "unhealthy"
    assert "readonly" in report["checks"]["database"]

    status, _body = await _get(f"{ops.url}/healthz")
    assert status == 200


async def test_a_backup_moves_the_last_backup_metric(ops: OpsServer, services: Services) -> None:
    at = dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC)
    await asyncio.to_thread(backup.record_success, Path(services.db.path), at)
    samples = await _scrape(ops)
    assert _value(samples, "vtcbot_backup_last_success_timestamp_seconds") == at.timestamp()
