"""Answer-engine latency (p50, p99) on the demo catalogue and on 10,000 entries.

.venv/bin/python bench/engine_latency.py [--entries 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, percentile, table  # noqa: E402
from bench.generated_catalogue import generate  # noqa: E402
from services.catalogue.validation import validate  # noqa: E402
from services.clock import SystemClock  # noqa: E402
from services.container import Services  # noqa: E402

DEMO = ROOT / "data" / "centre.yaml"
QUESTIONS = ROOT / "tests" / "data" / "questions-dev.yaml"


async def measure(
    raw: dict[str, object], questions: list[str], rounds: int
) -> tuple[int, list[float]]:
    report = validate(raw)
    assert report.catalogue is not None, report.errors[:5]
    with tempfile.TemporaryDirectory() as tmp:
        services = Services.create(Path(tmp) / "bench.db", SystemClock())
        await services.db.open()
        from services.catalogue.importer import import_catalogue

        await import_catalogue(services.db, report.catalogue, "bench", dt.datetime.now(dt.UTC))
        await services.catalogue.load(None)
        engine = services.catalogue.engine
        for q in questions:  # warm caches (stemmer, SQLite pages)
            await engine.search(q)
        timings: list[float] = []
        for _ in range(rounds):
            for q in questions:
                # Cold: every question pays for its words as if first seen.
                engine.clear_cache()
                started = time.perf_counter()
                await engine.search(q)
                timings.append((time.perf_counter() - started) * 1000)
        entries = len(report.catalogue.programmes) + len(report.catalogue.faq)
        await services.close()
    return entries, timings


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    questions = [q["q"] for q in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))]
    demo = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    rows = []
    for name, raw, target in (
        ("demo", demo, 5.0),
        ("generated", generate(DEMO, args.entries), 30.0),
    ):
        entries, timings = await measure(raw, questions, args.rounds)
        p50, p99 = percentile(timings, 50), percentile(timings, 99)
        rows.append(
            (
                name,
                entries,
                len(timings),
                f"{p50:.2f}",
                f"{p99:.2f}",
                f"{target:.0f}",
                "yes" if p99 <= target else "NO",
            )
        )
    print(f"Answer engine latency per question, in ms ({machine()})")
    print(
        table(("catalogue", "entries", "questions", "p50 ms", "p99 ms", "target p99", "met"), rows)
    )


if __name__ == "__main__":
    asyncio.run(main())
