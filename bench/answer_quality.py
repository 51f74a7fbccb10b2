"""Answer quality on the development question set.

Top-1 accuracy per language, out-of-scope questions answered with an empty
result, and whether typing without diacritics changes the top answer.

    .venv/bin/python bench/answer_quality.py [--questions PATH] [--misses]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import table  # noqa: E402
from services.clock import SystemClock  # noqa: E402
from services.container import Services  # noqa: E402
from services.search.normalise import fold  # noqa: E402

DEFAULT = ROOT / "tests" / "data" / "questions-dev.yaml"


def without_diacritics(text: str) -> str:
    return "".join(fold(c) if c.isalpha() else c for c in text)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=Path, default=DEFAULT)
    parser.add_argument("--misses", action="store_true", help="list the wrong answers")
    args = parser.parse_args()
    items = yaml.safe_load(args.questions.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        services = Services.create(Path(tmp) / "q.db", SystemClock())
        await services.start(ROOT / "data" / "centre.yaml")
        engine = services.catalogue.engine
        score: dict[str, list[int]] = {}
        changed = compared = 0
        misses = []
        for item in items:
            expect = item["expect"]
            expected = expect if isinstance(expect, list) else [expect]
            result = await engine.search(item["q"])
            top = result.hits[0].id if result.hits else None
            key = "out of scope" if expect is None else item["lang"]
            ok = top is None if expect is None else top in expected
            score.setdefault(key, [0, 0])
            score[key][0] += ok
            score[key][1] += 1
            if not ok:
                misses.append((item["lang"], item["q"], expect, top))
            plain = without_diacritics(item["q"])
            if plain != item["q"]:
                compared += 1
                other = await engine.search(plain)
                changed += (other.hits[0].id if other.hits else None) != top
        await services.close()
    rows = []
    targets = {"lt": 0.9, "en": 0.9, "out of scope": 0.9}
    for key in ("lt", "en", "out of scope"):
        right, total = score.get(key, [0, 0])
        share = right / total if total else 0.0
        what = "empty results" if key == "out of scope" else "top-1 correct"
        rows.append(
            (
                key,
                total,
                f"{right} ({share:.1%})",
                what,
                f">= {targets[key]:.0%}",
                "yes" if share >= targets[key] else "NO",
            )
        )
    rows.append(
        (
            "typed without diacritics",
            compared,
            f"{compared - changed} same top answer",
            "same as with",
            "all",
            "yes" if changed == 0 else "NO",
        )
    )
    print(f"Answer quality on {args.questions.name}")
    print(table(("questions", "count", "result", "measure", "target", "met"), rows))
    if args.misses:
        for lang, q, expect, top in misses:
            print(f"  [{lang}] {q!r}: expected {expect}, got {top}")


if __name__ == "__main__":
    asyncio.run(main())
