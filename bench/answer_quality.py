"""Answer quality on the development set and on both halves of the evaluation set.

For each set, side by side: top-1 correct per language (questions the
catalogue answers), the share of messages that must get no catalogue card
(off-topic, small talk, typed navigation, a request for a person, another
language) answered without one, and whether typing a Lithuanian question
without diacritics changes the top answer.

    .venv/bin/python bench/answer_quality.py [--sets dev,tuning,frozen,fresh,blind,holdout]
        [--misses SET [--i-am-done-tuning]] [--engine-only]

While tuning the engine run with `--sets dev,tuning`: the frozen half
(bench/data/questions-frozen.yaml) is the result and must stay unseen until
the end. The fresh set (bench/data/questions-fresh.yaml) was written after
the frozen half had been read once, by someone who never saw the engine; it
is sealed the same way. Both had been read by stop 14; the blind set
(bench/data/questions-blind.yaml) was then written the same way, blind to
the engine and to every other set, and was read at the end of stop 14. The
holdout set (bench/data/questions-holdout.yaml) was written at stop 15 the
same way and is the one still unseen.
`--misses` of a sealed set is refused without `--i-am-done-tuning`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import sys
import tempfile
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import table  # noqa: E402
from services.clock import SystemClock  # noqa: E402
from services.container import Services  # noqa: E402

SETS = {
    "dev": ROOT / "tests" / "data" / "questions-dev.yaml",
    "tuning": ROOT / "bench" / "data" / "questions-tuning.yaml",
    "frozen": ROOT / "bench" / "data" / "questions-frozen.yaml",
    # Written later, from the catalogue only, by someone who never saw the
    # engine: the frozen half had been read once by then.
    "fresh": ROOT / "bench" / "data" / "questions-fresh.yaml",
    # Written at stop 14 the same way, once frozen and fresh had been read.
    "blind": ROOT / "bench" / "data" / "questions-blind.yaml",
    # Written at stop 15 the same way, once all the sets above had been read.
    "holdout": ROOT / "bench" / "data" / "questions-holdout.yaml",
}
# Sets whose misses stay unread until the engine is final.
SEALED = frozenset({"frozen", "fresh", "blind", "holdout"})
TARGET_TOP1 = 0.95
TARGET_NO_CARD = 0.95
KINDS = ("smalltalk", "navigation", "person", "offtopic", "foreign")
# What a conversation classifier may call a message meant for the catalogue.
# "own" (a learner's own registrations or enquiries) goes to the catalogue too
# for a learner who has none, which is every learner of these question sets.
CATALOGUE_VERDICTS = frozenset({"question", "catalogue", "search", "query", "own"})

Answer = Callable[[str], Awaitable[str | None]]


def without_diacritics(text: str) -> str:
    """The text as typed on a keyboard without Lithuanian letters (ą -> a, š -> s)."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)


def conversation_gate() -> Callable[[str], Awaitable[bool]] | None:
    """services.conversation's verdict "not a question for the catalogue", if it exists.

    The bot asks this classifier before the engine (small talk, navigation,
    a person, another language); the bench must count its verdict too, so an
    item gets no card when either the classifier turns it away or the engine
    finds nothing. The module is looked up at run time: without it the bench
    measures the engine alone. If the classifier's name or result differs,
    this is the one function to adapt.
    """
    try:
        module = importlib.import_module("services.conversation")
    except ModuleNotFoundError:
        return None
    classify = getattr(module, "classify", None)
    if classify is None:
        return None

    async def not_for_catalogue(text: str) -> bool:
        verdict: Any = classify(text)
        if inspect.isawaitable(verdict):
            verdict = await verdict
        if verdict is None or verdict is False:
            return False
        kind = getattr(verdict, "kind", verdict)
        kind = getattr(kind, "value", kind)
        return str(kind).lower() not in CATALOGUE_VERDICTS

    return not_for_catalogue


def answerer(engine: Any, gate: Callable[[str], Awaitable[bool]] | None) -> Answer:
    """The id of the card the learner would get for a text, or None for no card."""

    async def answer(text: str) -> str | None:
        if gate is not None and await gate(text):
            return None
        result = await engine.search(text)
        return str(result.hits[0].id) if result.hits else None

    return answer


@dataclass
class Score:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def share(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass
class SetResult:
    top1: dict[str, Score] = field(default_factory=dict)  # by language
    no_card: dict[str, Score] = field(default_factory=dict)  # by language
    by_kind: dict[tuple[str, str], Score] = field(default_factory=dict)  # (language, kind)
    diacritics: Score = field(default_factory=Score)
    misses: list[str] = field(default_factory=list)


def load(path: Path) -> list[dict[str, Any]]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(items, list):
        raise SystemExit(f"{path}: not a list of questions")
    return items


async def measure(items: list[dict[str, Any]], answer: Answer) -> SetResult:
    result = SetResult()
    for item in items:
        lang, text, expect = str(item["lang"]), str(item["q"]), item["expect"]
        if lang not in ("lt", "en"):
            lang = "other"  # Russian, Ukrainian, Polish...: counted together
        top = await answer(text)
        if expect is None:
            kind = str(item.get("kind", "offtopic"))
            ok = top is None
            result.no_card.setdefault(lang, Score()).add(ok)
            result.by_kind.setdefault((lang, kind), Score()).add(ok)
            if not ok:
                result.misses.append(f"[{lang} {kind}] {text!r}: got {top}, expected no card")
        else:
            expected = expect if isinstance(expect, list) else [expect]
            ok = top in expected
            result.top1.setdefault(lang, Score()).add(ok)
            if not ok:
                result.misses.append(f"[{lang}] {text!r}: got {top}, expected {expect}")
        plain = without_diacritics(text)
        if lang == "lt" and plain != text:
            other = await answer(plain)
            result.diacritics.add(other == top)
            if other != top:
                result.misses.append(
                    f"[{lang} diacritics] {text!r}: got {top}, without diacritics {other}"
                )
    return result


def cell(score: Score | None, target: float | None) -> str:
    if score is None or score.total == 0:
        return "-"
    text = f"{score.right}/{score.total} {score.share():.1%}"
    if target is not None:
        text += "" if score.share() >= target else " NO"
    return text


def report(results: dict[str, SetResult]) -> str:
    names = list(results)
    rows: list[tuple[str, ...]] = []

    def row(label: str, target: str, scores: list[Score | None], goal: float | None) -> None:
        rows.append((label, target, *(cell(score, goal) for score in scores)))

    sets = [results[n] for n in names]
    top1, no_card = f">= {TARGET_TOP1:.0%}", f">= {TARGET_NO_CARD:.0%}"
    for lang in ("lt", "en"):
        row(f"top-1 correct, {lang}", top1, [r.top1.get(lang) for r in sets], TARGET_TOP1)
    for lang in ("lt", "en", "other"):
        scores = [r.no_card.get(lang) for r in sets]
        row(f"no card (not in scope), {lang}", no_card, scores, TARGET_NO_CARD)
    for lang in ("lt", "en"):
        for kind in KINDS[:-1]:
            row(f"  {lang} {kind}", "", [r.by_kind.get((lang, kind)) for r in sets], None)
    row("same top answer without diacritics, lt", "all", [r.diacritics for r in sets], 1.0)
    return table(("measure", "target", *names), rows)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sets",
        default="dev,tuning,frozen,fresh,blind,holdout",
        help="comma-separated sets to measure, of: " + ", ".join(SETS),
    )
    parser.add_argument(
        "--misses",
        nargs="?",
        const="dev",
        metavar="SET",
        help="list the wrong answers of one set (dev when no set is named)",
    )
    parser.add_argument(
        "--i-am-done-tuning",
        action="store_true",
        help=(
            "allow --misses of a sealed set (" + ", ".join(sorted(SEALED)) + "): "
            "only once the engine is final"
        ),
    )
    parser.add_argument(
        "--engine-only",
        action="store_true",
        help="ask the engine alone, even when services/conversation exists",
    )
    args = parser.parse_args()
    args.set_names = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in [*args.set_names, args.misses or "dev"] if s not in SETS]
    if unknown:
        parser.error(f"unknown set {unknown[0]!r}; choose from {', '.join(SETS)}")
    if args.misses in SEALED and not args.i_am_done_tuning:
        parser.error(
            "a sealed set's misses stay unread while tuning; add --i-am-done-tuning at the end"
        )
    if args.misses and args.misses not in args.set_names:
        args.set_names.append(args.misses)
    return args


class _FirstMessage:
    """What a learner gets for a message in a new chat: the answer service, so
    its rules beyond the engine (a fact asked about no course: "which
    course?") count as they do in the bot."""

    def __init__(self, answers: Any) -> None:
        self.answers = answers

    async def search(self, text: str) -> Any:
        return await self.answers.ask(text, "en", log=False)


async def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        services = Services.create(Path(tmp) / "q.db", SystemClock())
        try:
            await services.start(ROOT / "data" / "centre.yaml")
            gate = None if args.engine_only else conversation_gate()
            answer = answerer(_FirstMessage(services.answers), gate)
            results = {name: await measure(load(SETS[name]), answer) for name in args.set_names}
        finally:
            # Open connections keep the process alive after an error.
            await services.close()
    pipeline = "services.conversation, then the engine" if gate else "the engine alone"
    named = ", ".join(f"{n} = {SETS[n].name}" for n in results)
    print(f"Answer quality ({pipeline}); sets: {named}")
    print(report(results))
    if args.misses:
        misses = results[args.misses].misses
        print(f"\n{len(misses)} wrong answers in {args.misses}:")
        for line in misses:
            print("  " + line)


if __name__ == "__main__":
    asyncio.run(main())
