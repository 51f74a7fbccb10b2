"""`vtcbot enquiries export` memory with 1,000 and 100,000 enquiries (issue 3).

The export streams rows from SQLite in batches; peak resident memory of the
exporting process should not grow with the number of rows.

    .venv/bin/python bench/export_memory.py
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ROOT as PROJECT  # noqa: E402
from bench.common import VTCBOT, machine, table  # noqa: E402
from services.clock import SystemClock  # noqa: E402
from services.container import Services  # noqa: E402


async def make_db(path: Path, rows: int) -> None:
    services = Services.create(path, SystemClock())
    await services.start(PROJECT / "data" / "centre.yaml")
    await services.close()
    now = "2026-11-21T10:00:00+00:00"
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO enquiries(user_id, lang, topic, text, consent_at, status, source_key, "
            "created_at, updated_at) VALUES (?, 'lt', 'Programos', ?, ?, 'new', ?, ?, ?)",
            (
                (
                    i,
                    f"Klausimas {i}: ar yra vakarinių grupių ir kiek kainuoja mokslas? " * 3,
                    now,
                    f"k{i}",
                    now,
                    now,
                )
                for i in range(rows)
            ),
        )


def peak_rss_of_export(db: Path, fmt: str) -> tuple[float, float, int]:
    """(peak RSS in MB, seconds, bytes written)."""
    env = dict(os.environ, DATABASE_PATH=str(db), LOG_LEVEL="ERROR")
    out = db.with_suffix(f".{fmt}")
    started = time.perf_counter()
    with out.open("wb") as sink:
        proc = psutil.Popen(
            [str(VTCBOT), "enquiries", "export", "--format", fmt], stdout=sink, env=env
        )
        peak = 0
        while proc.poll() is None:
            try:
                peak = max(peak, proc.memory_info().rss)
            except psutil.NoSuchProcess:
                break
            time.sleep(0.01)  # sampling another process's memory
    return peak / 2**20, time.perf_counter() - started, out.stat().st_size


async def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in (1_000, 100_000):
            db = Path(tmp) / f"e{count}.db"
            await make_db(db, count)
            for fmt in ("csv", "jsonl"):
                peak, seconds, size = peak_rss_of_export(db, fmt)
                rows.append((count, fmt, f"{peak:.0f}", f"{seconds:.1f}", f"{size / 2**20:.0f}"))
    print(f"vtcbot enquiries export, peak resident memory ({machine()})")
    print(table(("enquiries", "format", "peak RSS MB", "seconds", "output MB"), rows))


if __name__ == "__main__":
    asyncio.run(main())
