"""Helpers shared by the benchmarks: percentiles and a plain-text table."""

from __future__ import annotations

import asyncio
import os
import platform
import sys
from collections.abc import Sequence
from pathlib import Path


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def machine() -> str:
    system = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    return f"{system}, Python {platform.python_version()}"


ROOT = Path(__file__).resolve().parent.parent
# What the simulated learners ask, answered and unanswered ones mixed.
QUESTIONS = (
    "kiek kainuoja B kategorija?",
    "kada prasideda suvirintoju kursai",
    "how much is the forklift course?",
    "ar yra bendrabutis?",
    "is there an evening electrician course?",
    "cepelinu receptas pls",
    "kokius dokumentus reikia atsinesti?",
    "I want to learn Lithuanian, do you have a beginner course?",
)

VTCBOT = Path(sys.executable).parent / "vtcbot"


async def start_bot(url: str, db: Path, **extra: str) -> asyncio.subprocess.Process:
    """`vtcbot run` in its own process, polling the emulator at `url`.

    BENCH_BOT_COMMAND replaces the command, e.g. to run it under a profiler.
    """
    env = dict(os.environ)
    env.update(
        TELEGRAM_BOT_TOKEN="123456:BENCH",
        TELEGRAM_API_URL=url,
        DATABASE_PATH=str(db),
        CATALOGUE_PATH=str(ROOT / "data" / "centre.yaml"),
        LOG_LEVEL="ERROR",
        WEBHOOK_URL="",
        ADMIN_PORT="0",  # any free port
        METRICS_PORT="0",
    )
    env.update(extra)
    command = os.environ.get("BENCH_BOT_COMMAND", str(VTCBOT)).split()
    return await asyncio.create_subprocess_exec(*command, "run", env=env, cwd=db.parent)
