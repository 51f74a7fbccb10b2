"""Split the evaluation question set into a tuning half and a frozen half.

The split is random but fixed: SEED below was drawn once, with
`python -c "import secrets; print(secrets.randbelow(10**9))"`, before anyone
tuned the engine on the set, so rerunning this script gives the same halves.
Items are split within each stratum (language x in scope / not in scope), so
both halves keep the set's mix. Each item stays on its own line, exactly as
written in questions-eval.yaml.

    .venv/bin/python bench/split_eval.py [--check]

--check exits non-zero when the committed halves differ from what the script
would write (for example after someone edited an item in one half only).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"
SOURCE = DATA / "questions-eval.yaml"
TUNING = DATA / "questions-tuning.yaml"
FROZEN = DATA / "questions-frozen.yaml"
SEED = 52359292  # drawn once with secrets.randbelow(10**9); never change it

TUNING_HEADER = """\
# TUNING half of the evaluation set (bench/data/questions-eval.yaml), split at
# random by bench/split_eval.py (seed {seed}), stratified by language and by
# in scope / not in scope. Tune and debug the engine against this half freely.
# Item format: see the header of questions-eval.yaml. Do not edit by hand:
# edit questions-eval.yaml and rerun the script.
"""

FROZEN_HEADER = """\
# FROZEN: do not read its items while tuning the engine; report its figures as the result.
#
# Frozen half of the evaluation set (bench/data/questions-eval.yaml), split at
# random by bench/split_eval.py (seed {seed}), stratified by language and by
# in scope / not in scope. Item format: see the header of questions-eval.yaml.
"""


def items_with_lines(text: str) -> list[tuple[str, dict[str, object]]]:
    """Each item's original line with its parsed value (one item per line)."""
    pairs = []
    for line in text.splitlines():
        if not line.startswith("- "):
            continue
        parsed = yaml.safe_load(line)
        if not isinstance(parsed, list) or len(parsed) != 1 or not isinstance(parsed[0], dict):
            raise SystemExit(f"not a one-line item: {line!r}")
        pairs.append((line, parsed[0]))
    whole = yaml.safe_load(text)
    if len(whole) != len(pairs):
        # An item spread over several lines would be lost by the line split.
        raise SystemExit(
            f"{len(whole)} items but {len(pairs)} item lines: keep each item on one line"
        )
    return pairs


def stratum(item: dict[str, object]) -> tuple[str, bool]:
    return (str(item["lang"]), item["expect"] is not None)


def split(pairs: list[tuple[str, dict[str, object]]]) -> tuple[list[str], list[str]]:
    """Half of every stratum to tuning (the odd one out too), the rest frozen."""
    rng = random.Random(SEED)
    groups: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for index, (_, item) in enumerate(pairs):
        groups[stratum(item)].append(index)
    tuning: set[int] = set()
    for key in sorted(groups):
        members = groups[key][:]
        rng.shuffle(members)
        tuning.update(members[: (len(members) + 1) // 2])
    # Keep the source order inside each half so a reader sees the same sections.
    tuning_lines = [line for i, (line, _) in enumerate(pairs) if i in tuning]
    frozen_lines = [line for i, (line, _) in enumerate(pairs) if i not in tuning]
    return tuning_lines, frozen_lines


def render(header: str, lines: list[str]) -> str:
    return header.format(seed=SEED) + "\n" + "\n".join(lines) + "\n"


Pairs = list[tuple[str, dict[str, object]]]


def counts(pairs: Pairs, lines: list[str]) -> dict[tuple[str, bool], int]:
    chosen = set(lines)
    tally: dict[tuple[str, bool], int] = defaultdict(int)
    for line, item in pairs:
        if line in chosen:
            tally[stratum(item)] += 1
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed halves")
    args = parser.parse_args()
    pairs = items_with_lines(SOURCE.read_text(encoding="utf-8"))
    tuning, frozen = split(pairs)
    outputs = {TUNING: render(TUNING_HEADER, tuning), FROZEN: render(FROZEN_HEADER, frozen)}
    if args.check:
        stale = [
            path.name
            for path, text in outputs.items()
            if not path.exists() or path.read_text(encoding="utf-8") != text
        ]
        if stale:
            print("out of date: " + ", ".join(stale))
            sys.exit(1)
        print("halves match the seed")
        return
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
    per_tuning, per_frozen = counts(pairs, tuning), counts(pairs, frozen)
    print(f"seed {SEED}: {len(tuning)} tuning, {len(frozen)} frozen")
    for key in sorted(set(per_tuning) | set(per_frozen)):
        lang, in_scope = key
        what = "in scope" if in_scope else "not in scope"
        print(f"  {lang:5} {what:12} tuning {per_tuning[key]:3}  frozen {per_frozen[key]:3}")


if __name__ == "__main__":
    main()
