"""Litestream to a directory, the bot and Litestream killed with SIGKILL, the
database deleted, `vtcbot restore` from the replica: no enquiry confirmed
more than the replication interval before the kill is lost (issue 17,
must-show 2; `make bench` runs it bigger)."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from bench.litestream_restore import report, run
from services.container import Services
from storage import replica
from storage.replica import litestream, replica_url
from tests.conftest import DEMO


async def test_restore_from_the_replica_after_the_machine_died(tmp_path: Path) -> None:
    figures = await run(learners=40, kill_after=25, tmp=tmp_path)
    print("\n" + report(figures, 40))
    assert figures.confirmed >= 25
    assert figures.confirmed_before_interval > 0
    assert figures.lost_before_interval == 0
    assert figures.restored >= figures.confirmed_before_interval
    assert "restored from" in figures.restore_output


async def test_an_erasure_does_not_hold_up_writes_while_litestream_replicates(
    tmp_path: Path,
) -> None:
    """/forget empties the write-ahead log; Litestream's read lock keeps that
    from completing, and every write of the bot waits meanwhile: the wait
    must stay short (it was 3 x 5 s)."""
    services = Services.create(tmp_path / "bot.db")
    await services.start(DEMO)
    replicator = await asyncio.create_subprocess_exec(
        litestream(),
        "replicate",
        str(tmp_path / "bot.db"),
        replica_url(str(tmp_path / "replica")),
        # Litestream logs to stdout by default.
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await services.learners.seen(777, "lt")
        # Litestream holds the log once it says its first snapshot is complete.
        assert replicator.stdout is not None
        log = replicator.stdout
        while b"snapshot complete" not in await asyncio.wait_for(log.readline(), 30):
            pass
        # What vtcbot_backup_last_success_timestamp_seconds reads from it.
        newest = await asyncio.to_thread(replica.newest, str(tmp_path / "replica"))
        assert newest is not None
        assert abs((newest - dt.datetime.now(dt.UTC)).total_seconds()) < 60
        loop = asyncio.get_running_loop()
        started = loop.time()
        await services.privacy.forget(777)
        await services.learners.seen(778, "lt")  # the next write
        held = loop.time() - started
    finally:
        replicator.terminate()
        await replicator.wait()
        await services.close()
    assert held < 2.0, f"writes were held up {held:.1f} s"
