"""Figures that size a deployment (issue 17, docs/operations.md): how much
the database grows in a year per 1,000 learners, how big a backup and a
Litestream replica of it are, and how long a backup, an integrity check and
a restore take.

A year of 1,000 learners is written through the services (the rows the bot
itself writes), with these assumptions per learner and year, on the high
side for a vocational centre:

- 30 questions to the answer engine (question log; half answered),
- 1 enquiry with a name and phone, one staff answer and one follow-up,
- following 1 group with the default reminders (every session, twice),
- 24 announcements received (two a month to everyone),
- 10 "Was this helpful?" votes.

The inbox (updates) keeps finished updates one day only, so it does not grow
with the year; it is left out.

    .venv/bin/python bench/operations_sizing.py [--learners 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import QUESTIONS, machine, table  # noqa: E402
from services.broadcasts import Audience  # noqa: E402
from services.clock import FixedClock  # noqa: E402
from services.container import Services  # noqa: E402
from storage import backup, question_log_repo, replica  # noqa: E402
from storage.database import latest_schema_version  # noqa: E402
from storage.question_log_repo import QuestionRecord  # noqa: E402

ADMIN = 9001
STAFF = 9002
FIRST = 1_000_000
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
QUESTIONS_A_YEAR = 30
BROADCASTS_A_YEAR = 24
VOTES_A_YEAR = 10


async def fill(db: Path, learners: int) -> None:
    clock = FixedClock(START)
    services = Services.create(db, clock, admin_ids=[ADMIN])
    await services.start(ROOT / "data" / "centre.yaml")
    await services.roles.grant_staff(ADMIN, STAFF)
    rng = random.Random(17)
    # Groups with a timetable of sessions (the others have nothing to remind of).
    groups = sorted(gid for gid, (_p, g) in services.catalogue.view.groups.items() if g.sessions)
    users = range(FIRST, FIRST + learners)
    for user in users:
        await services.learners.seen(user, rng.choice(("lt", "lt", "lt", "en")))
    # Questions, spread over the year, in batches of a day's worth.
    message = 0
    async with services.db.transaction() as conn:
        for user in users:
            for _ in range(QUESTIONS_A_YEAR):
                message += 1
                asked = START + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
                text = f"{rng.choice(QUESTIONS)} ({rng.randrange(1000)})"
                answered = rng.random() < 0.5
                await question_log_repo.add(
                    conn,
                    QuestionRecord(
                        update_id=message,
                        chat_id=user,
                        message_id=message,
                        user_id=user,
                        lang="lt",
                        text=text,
                        intent="price",
                        top_type="programme" if answered else None,
                        top_id="b-kategorija" if answered else None,
                        score=12.5 if answered else None,
                        answered=answered,
                        asked_at=asked.isoformat(),
                    ),
                )
    # One enquiry each, answered, with a follow-up.
    for user in users:
        draft = await services.enquiries.start(user, "lt", topic="programmes")
        draft = await services.enquiries.set_text(
            user, draft, f"Ar bus vakarinė grupė rudenį? Dirbu iki 17 val. ({user})"
        )
        draft = await services.enquiries.set_contact(
            user, draft, "+37060012345", "Vardenis Pavardenis"
        )
        draft = await services.enquiries.consent(user, draft)
        assert draft.nonce is not None
        enquiry = await services.enquiries.submit(user, draft.nonce)
        assert enquiry is not None
        await services.enquiries.staff_answer(
            STAFF,
            enquiry.id,
            "Taip, vakarinė grupė prasidės spalio 6 d., užsiregistruoti galite čia.",
            f"a{user}",
        )
        await services.enquiries.follow_up(
            user, enquiry.id, "Ačiū, ar reikia atsinešti nuotrauką?", f"f{user}"
        )
    # Following one group: every session reminded twice (the defaults).
    for user in users:
        await services.reminders.subscribe(user, rng.choice(groups))
    # Announcements: each delivered to everyone (outbox rows end sent).
    for n in range(BROADCASTS_A_YEAR):
        await services.broadcasts.create(
            ADMIN,
            f"Skelbimas nr. {n}: registracija į naujas grupes jau prasidėjo, "
            "informacija svetainėje.",
            "Announcement: registration for the new groups is open, see the website.",
            Audience("everyone"),
        )
        await services.broadcasts.start_due()
    # Votes on answers the learner got.
    votable = await asyncio.to_thread(_answered_questions, db)
    for user in users:
        mine = votable.get(user, [])
        for question_id in rng.sample(mine, min(VOTES_A_YEAR, len(mine))):
            await services.feedback.vote(user, question_id, rng.choice(("up", "up", "down")))
    await services.close()
    # Delivered: what the sender's finish() leaves on each row, written at once here.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE outbox SET state = 'sent', attempts = 1")
        conn.execute("UPDATE broadcasts SET state = 'done'")


def _answered_questions(db: Path) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    with sqlite3.connect(db) as conn:
        for question_id, user in conn.execute(
            "SELECT id, user_id FROM question_log WHERE answered = 1"
        ):
            found.setdefault(int(user), []).append(int(question_id))
    return found


def timed(step: object) -> float:
    assert callable(step)
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def measure(db: Path, tmp: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = {
            name: conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
            for name in (
                "learners",
                "question_log",
                "enquiries",
                "enquiry_messages",
                "reminders",
                "outbox",
            )
        }
        tables = (
            dict(
                conn.execute(
                    "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 6"
                ).fetchall()
            )
            if _has_dbstat(conn)
            else {}
        )
    size = db.stat().st_size
    copy = tmp / "copy.db"
    backup_s = timed(lambda: backup.copy_database(db, copy))
    check_s = timed(lambda: backup.inspect(copy, latest_schema_version()))
    restored = tmp / "restored" / "bot.db"

    def restore() -> None:
        scratch = restored.with_name("scratch")
        backup.copy_database(copy, scratch)
        backup.inspect(scratch, latest_schema_version())
        backup.replace_database(scratch, restored, START)

    restore_s = timed(restore)
    gz = tmp / "copy.db.gz"
    gzip_s = timed(lambda: subprocess.run(["gzip", "-k", "-6", str(copy)], check=True))
    rep = tmp / "replica"
    litestream_s = timed(
        lambda: subprocess.run(
            [
                replica.litestream(),
                "replicate",
                "-once",
                "-force-snapshot",
                "-config",
                str(_config(tmp, db, rep)),
            ],
            check=True,
            capture_output=True,
        )
    )
    out = tmp / "from-replica.db"
    litestream_restore_s = timed(lambda: replica.restore(str(rep), out))
    replica_bytes = sum(p.stat().st_size for p in rep.rglob("*") if p.is_file())
    figures = [(f"rows: {name}", f"{count:,}") for name, count in rows.items()]
    figures += [
        (f"bytes: table/index {name}", f"{int(b) / 1e6:.1f} MB") for name, b in tables.items()
    ]
    figures += [
        ("database file", f"{size / 1e6:.1f} MB"),
        ("vtcbot backup (online backup API)", f"{backup_s:.2f} s"),
        ("integrity check + counts of the copy", f"{check_s:.2f} s"),
        ("restore from a backup file (copy, check, swap)", f"{restore_s:.2f} s"),
        ("backup gzip -6", f"{gz.stat().st_size / 1e6:.1f} MB in {gzip_s:.2f} s"),
        (
            "Litestream replica (snapshot, LTX)",
            f"{replica_bytes / 1e6:.1f} MB in {litestream_s:.2f} s",
        ),
        ("litestream restore from the directory replica", f"{litestream_restore_s:.2f} s"),
    ]
    return figures


def _has_dbstat(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT 1 FROM dbstat LIMIT 1")
    except sqlite3.OperationalError:
        return False
    return True


def _config(tmp: Path, db: Path, rep: Path) -> Path:
    path = tmp / "litestream.yml"
    path.write_text(f"dbs:\n  - path: {db}\n    replica:\n      url: {rep.as_uri()}\n")
    return path


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        db = tmp / "bot.db"
        empty = tmp / "empty.db"
        services = Services.create(empty)
        await services.start(ROOT / "data" / "centre.yaml")
        await services.close()
        started = time.perf_counter()
        await fill(db, args.learners)
        filled_s = time.perf_counter() - started
        figures = await asyncio.to_thread(measure, db, tmp)
        with sqlite3.connect(empty) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        base = empty.stat().st_size
        grown = db.stat().st_size - base
    print(f"A year of {args.learners:,} learners ({machine()}; written in {filled_s:.0f} s)")
    print(
        table(
            ("figure", "value"),
            [
                *figures,
                ("empty database (demo catalogue)", f"{base / 1e6:.1f} MB"),
                (f"growth per {args.learners:,} learners a year", f"{grown / 1e6:.1f} MB"),
            ],
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
