"""Answer-engine latency (p50, p99) on the demo catalogue and on 10,000 entries.

Each question is measured as the bot handles it: the conversation classifier
(small talk, screen names, requests for a person, language detection) and then
the engine's search, both with their caches cleared.

.venv/bin/python bench/engine_latency.py [--entries 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
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
from services.conversation import classify, clear_caches, language  # noqa: E402

DEMO = ROOT / "data" / "centre.yaml"
QUESTIONS = ROOT / "tests" / "data" / "questions-dev.yaml"
# Messages in languages the bot does not speak: detection takes its longest path.
FOREIGN = [
    "Где вы находитесь?",
    "Скільки коштує курс?",
    "Ile kosztuje kurs prawa jazdy kategorii B?",
    "Wie viel kostet der Führerschein?",
    "Cik maksā kurss?",
]


async def measure(
    raw: dict[str, object], questions: list[str], rounds: int
) -> tuple[int, list[float], list[float], list[float]]:
    """(entries, per-question ms in all, of which the classifier's ms, and the
    CPU ms the question cost this thread: on a busy machine the wall clock
    also counts the time other processes held the CPU)."""
    report = validate(raw)
    assert report.catalogue is not None, report.errors[:5]
    with tempfile.TemporaryDirectory() as tmp:
        services = Services.create(Path(tmp) / "bench.db", SystemClock())
        try:
            await services.db.open()
            from services.catalogue_importer import import_catalogue

            await import_catalogue(services.db, report.catalogue, "bench", dt.datetime.now(dt.UTC))
            await services.catalogue.load(None)
            engine = services.catalogue.engine
            language.warm_up()  # the detector is built once per process, before any message
            for q in questions:  # warm caches (stemmer, SQLite pages)
                classify(q)
                await engine.search(q)
            timings: list[float] = []
            classifier: list[float] = []
            cpu: list[float] = []
            for _ in range(rounds):
                for q in questions:
                    # Cold: every question pays for its words as if first seen.
                    engine.clear_cache()
                    clear_caches()
                    started = time.perf_counter()
                    started_cpu = time.thread_time()
                    classify(q)
                    classified = time.perf_counter()
                    await engine.search(q)
                    timings.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.thread_time() - started_cpu) * 1000)
                    classifier.append((classified - started) * 1000)
            entries = len(report.catalogue.programmes) + len(report.catalogue.faq)
        finally:
            # Open connections keep the process alive after an error.
            await services.close()
    return entries, timings, classifier, cpu


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    questions = [q["q"] for q in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))]
    questions += FOREIGN
    demo = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    rows = []
    for name, raw, target in (
        ("demo", demo, 5.0),
        ("generated", generate(DEMO, args.entries), 30.0),
    ):
        entries, timings, classifier, cpu = await measure(raw, questions, args.rounds)
        p50, p99 = percentile(timings, 50), percentile(timings, 99)
        rows.append(
            (
                name,
                entries,
                len(timings),
                f"{p50:.2f}",
                f"{p99:.2f}",
                f"{percentile(classifier, 99):.2f}",
                f"{percentile(cpu, 99):.2f}",
                f"{target:.0f}",
                "yes" if p99 <= target else "NO",
            )
        )
    print(
        "Answer latency per question (conversation classifier with language detection, "
        f"then the engine), in ms ({machine()}, load average {os.getloadavg()[0]:.1f})"
    )
    print(
        table(
            (
                "catalogue",
                "entries",
                "questions",
                "p50 ms",
                "p99 ms",
                "of which classifier p99 ms",
                "CPU p99 ms",
                "target p99",
                "met",
            ),
            rows,
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
