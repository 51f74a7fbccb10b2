"""The bot's Prometheus metrics: one registry per process, the hooks the bot
calls as things happen, and the figures read from the database when
/metrics is scraped.

Labels carry kinds and codes only, never a learner's id, name or words.
The names are a contract with the operators' dashboards and alerts
(docs/operations.md): keep them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from storage import ops_repo
from storage.database import Database

REGISTRY = CollectorRegistry()

# What became of each update: handled; failed (an error escaped its handling,
# it will be tried again); set_aside (failed too often, or unparseable: kept
# for a person); ignored (a redelivery of one already stored); deferred (the
# bot was stopping: handled at the next start).
OUTCOMES = ("handled", "failed", "set_aside", "ignored", "deferred")
UPDATES = Counter(
    "vtcbot_updates",
    "Updates from Telegram, by what became of them",
    ["outcome"],
    registry=REGISTRY,
)
REPLY_LATENCY = Histogram(
    "vtcbot_reply_latency_seconds",
    "From a learner's update reaching the bot to Telegram accepting the first reply to it",
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0, 60.0),
    registry=REGISTRY,
)
# update: updates stored, not handled yet; paced: messages of any kind waiting
# in the bot's paced sender; broadcast: recipients of running broadcasts not
# sent yet; notice: schedule notices whose time has come, not sent yet.
QUEUES = ("update", "paced", "broadcast", "notice")
OUTBOX_PENDING = Gauge(
    "vtcbot_outbox_pending", "Work waiting to go out, by kind", ["kind"], registry=REGISTRY
)
TELEGRAM_ERRORS = Counter(
    "vtcbot_telegram_errors",
    "Bot API calls that failed: the HTTP status Telegram answered, or network / timeout",
    ["code"],
    registry=REGISTRY,
)
# The paced sender's priorities: interactive (replies to learners, posts in
# the staff chat), reminder (reminders and notices), broadcast.
SENT = Counter("vtcbot_sent", "Messages Telegram accepted, by kind", ["kind"], registry=REGISTRY)
REMINDERS_DUE = Gauge(
    "vtcbot_reminders_due",
    "Reminders whose time has come and that are not sent yet",
    registry=REGISTRY,
)
DATABASE_BYTES = Gauge(
    "vtcbot_database_bytes", "The database file and its write-ahead log", registry=REGISTRY
)
BACKUP_LAST_SUCCESS = Gauge(
    "vtcbot_backup_last_success_timestamp_seconds",
    "When the newest complete backup was taken (vtcbot backup, the copy before "
    "migrations, or the newest data in the Litestream replica); 0: none known",
    registry=REGISTRY,
)

for _outcome in OUTCOMES:
    UPDATES.labels(_outcome)
for _kind in ("interactive", "reminder", "broadcast"):
    SENT.labels(_kind)

# When each update still waiting for its first reply reached the bot
# (monotonic); bounded, oldest dropped first (an update that never replies).
_RECEIVED_LIMIT = 10_000
_received: OrderedDict[int, float] = OrderedDict()
_last_telegram_ok: float | None = None
_replica_time: dt.datetime | None = None
# Live queue lengths of this process (the paced sender), by QUEUES kind.
_live: dict[str, Callable[[], int]] = {}


def update_outcome(outcome: str) -> None:
    UPDATES.labels(outcome).inc()


def received(inbox_id: int) -> None:
    """An update was stored (a learner's message reached the bot)."""
    _received[inbox_id] = time.monotonic()
    if len(_received) > _RECEIVED_LIMIT:
        _received.popitem(last=False)


def replied(inbox_id: int) -> None:
    """Telegram accepted a reply made while handling the update (first one counts)."""
    at = _received.pop(inbox_id, None)
    if at is not None:
        REPLY_LATENCY.observe(time.monotonic() - at)


def finished(inbox_id: int) -> None:
    """An update is done: one that sent no reply is not waited for any more."""
    _received.pop(inbox_id, None)


def telegram_answered(status: int) -> None:
    """Every Bot API call's HTTP status; 200 is a success."""
    global _last_telegram_ok
    if status == 200:
        _last_telegram_ok = time.monotonic()
    else:
        TELEGRAM_ERRORS.labels(str(status)).inc()


def telegram_failed(kind: str) -> None:
    """A Bot API call got no answer: "network" or "timeout"."""
    TELEGRAM_ERRORS.labels(kind).inc()


def telegram_age() -> float | None:
    """Seconds since the last successful Bot API call; None: none yet."""
    return None if _last_telegram_ok is None else time.monotonic() - _last_telegram_ok


def sent(kind: str) -> None:
    SENT.labels(kind).inc()


def watch_queue(kind: str, length: Callable[[], int]) -> None:
    """A queue of this process whose length is read at each scrape."""
    _live[kind] = length


def replica_seen(at: dt.datetime | None) -> None:
    """The newest data the continuous replica holds (Litestream), if known."""
    global _replica_time
    _replica_time = at


async def refresh(db: Database, now: dt.datetime) -> None:
    """Read what the database says into the gauges (called at each scrape)."""
    conn = db.reader
    queued = await ops_repo.queued(conn, now)
    for kind in QUEUES:
        length = _live.get(kind)
        OUTBOX_PENDING.labels(kind).set(length() if length else queued.get(kind, 0))
    REMINDERS_DUE.set(await ops_repo.reminders_due(conn, now))
    DATABASE_BYTES.set(database_bytes(db.path))
    known = [t for t in (await ops_repo.last_backup(conn), _replica_time) if t is not None]
    BACKUP_LAST_SUCCESS.set(max(known).timestamp() if known else 0)


def database_bytes(path: str) -> int:
    total = 0
    for name in (path, f"{path}-wal"):
        try:
            total += Path(name).stat().st_size
        except OSError:
            continue
    return total


def render() -> bytes:
    """The metrics in Prometheus' text format."""
    return generate_latest(REGISTRY)
