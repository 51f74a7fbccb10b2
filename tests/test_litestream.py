"""Litestream to a directory, the bot and Litestream killed with SIGKILL, the
database deleted, `vtcbot restore` from the replica: no enquiry confirmed
more than the replication interval before the kill is lost (issue 17,
must-show 2; `make bench` runs it bigger)."""

from __future__ import annotations

from pathlib import Path

from bench.litestream_restore import report, run


async def test_restore_from_the_replica_after_the_machine_died(tmp_path: Path) -> None:
    figures = await run(learners=40, kill_after=25, tmp=tmp_path)
    print("\n" + report(figures, 40))
    assert figures.confirmed >= 25
    assert figures.confirmed_before_interval > 0
    assert figures.lost_before_interval == 0
    assert figures.restored >= figures.confirmed_before_interval
    assert "restored from" in figures.restore_output
