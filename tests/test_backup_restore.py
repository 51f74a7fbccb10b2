"""`vtcbot backup` while the bot works, `vtcbot restore`, and the copy taken
before migrations (issue 17, must-show 1)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from storage import backup, database
from storage.database import Database, latest_schema_version
from tests.conftest import DEMO
from tests.ops_helpers import enquiries_now, enquiry_texts, file_enquiry
from tests.process import run_cli, start_bot, stop_bot

WAVE = 12  # learners filing enquiries at once
FAST = {"SEND_CHAT_INTERVAL_SECONDS": "0", "METRICS_PORT": "-1"}


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


async def _wave(emulator: BotApiEmulator, first: int) -> None:
    await asyncio.gather(*(file_enquiry(emulator, first + i) for i in range(WAVE)))


async def test_backups_while_learners_write_hold_everything_committed_before_them(
    tmp_path: Path, emulator: BotApiEmulator
) -> None:
    assert emulator.url is not None
    db = tmp_path / "bot.db"
    proc = await start_bot(db, emulator.url, tmp_path, **FAST)
    copies: list[tuple[Path, set[str]]] = []
    try:
        await _wave(emulator, 30_000)
        for n in (1, 2):
            # Learners keep filing enquiries while the copy is taken.
            wave = asyncio.create_task(_wave(emulator, 30_000 + n * 100))
            await asyncio.sleep(0)  # the wave has begun
            committed = await enquiries_now(db)
            copy = tmp_path / f"copy{n}.db"
            code, out, err = await run_cli("backup", str(copy), db=db, cwd=tmp_path)
            assert code == 0, err
            assert "backed up" in out
            copies.append((copy, committed))
            await wave
    finally:
        assert await stop_bot(proc) == 0
    everyone = enquiry_texts(db)
    assert len(everyone) == 3 * WAVE, "the bot stopped answering while being backed up"

    for n, (copy, committed) in enumerate(copies, start=1):
        assert _integrity(copy) == "ok"
        assert len(committed) >= n * WAVE
        restored = tmp_path / f"restored{n}" / "bot.db"
        code, out, err = await run_cli("restore", str(copy), db=restored, cwd=tmp_path)
        assert code == 0, err
        assert "enquiries" in out
        assert committed <= enquiry_texts(restored), (
            "an enquiry committed before the backup is missing"
        )
        assert f"{len(enquiry_texts(restored))} enquiries" in out


async def test_restore_refuses_a_damaged_copy_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    services = Services.create(db)
    await services.start(DEMO)
    await services.close()
    before = db.read_bytes()
    damaged = tmp_path / "damaged.db"
    data = bytearray(before)
    data[4096 * 3 : 4096 * 3 + 512] = b"\xff" * 512  # a page of garbage
    damaged.write_bytes(bytes(data))
    code, _out, err = await run_cli("restore", str(damaged), db=db, cwd=tmp_path)
    assert code == 1
    assert "nothing was changed" in err
    assert db.read_bytes() == before


async def test_restore_refuses_while_the_bot_runs(tmp_path: Path, emulator: BotApiEmulator) -> None:
    assert emulator.url is not None
    db = tmp_path / "bot.db"
    proc = await start_bot(db, emulator.url, tmp_path, **FAST)
    try:
        emulator.send_text(5000, "/start")
        await emulator.wait_for_messages(5000, 1, timeout=30)
        copy = tmp_path / "copy.db"
        assert (await run_cli("backup", str(copy), db=db, cwd=tmp_path))[0] == 0
        code, _out, err = await run_cli("restore", str(copy), db=db, cwd=tmp_path)
        assert code == 1
        assert "stop it first" in err
    finally:
        assert await stop_bot(proc) == 0


async def test_a_failed_migration_leaves_the_database_as_it_was(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "bot.db"
    services = Services.create(db, clock)
    await services.start(DEMO)
    await services.learners.seen(777, "lt")
    await services.close()
    with sqlite3.connect(db) as conn:
        before = list(conn.iterdump())
    shipped = database._migrations()
    latest = latest_schema_version()
    good = (latest + 1, "good.sql", "CREATE TABLE added (x INTEGER);\nDELETE FROM learners;")
    bad = (latest + 2, "bad.sql", "INSERT INTO no_such_table VALUES (1);")
    monkeypatch.setattr(database, "_migrations", lambda: [*shipped, good, bad])

    with pytest.raises(sqlite3.OperationalError):
        await Database(db).open()

    with sqlite3.connect(db) as conn:
        assert list(conn.iterdump()) == before
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest
    # The copy taken before trying passes every check and has the learner.
    [copy] = (tmp_path / backup.PRE_MIGRATION_DIR).glob("bot-v*.db")
    contents = backup.inspect(copy, latest)
    assert (contents.schema_version, contents.learners) == (latest, 1)

    # With the migrations fixed, the next start applies them.
    monkeypatch.setattr(database, "_migrations", lambda: [*shipped, good])
    fixed = Database(db)
    await fixed.open()
    async with fixed.reader.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    await fixed.close()
    assert row is not None and row[0] == latest + 1
