"""A large synthetic catalogue made from the demo one, for scaling figures.

Every demo programme and FAQ entry is cloned with new ids and a shuffled mix
of words from other entries, so the index has the demo's vocabulary at a
realistic size and the clones are not identical to each other.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import yaml


def generate(demo: Path, entries: int, seed: int = 7) -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(demo.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    programmes = raw["programmes"]
    faq = raw["faq"]
    words = {
        lang: [w for p in programmes for w in p["summary"][lang].split()] for lang in ("lt", "en")
    }
    out_programmes: list[dict[str, Any]] = []
    out_faq: list[dict[str, Any]] = []
    i = 0
    while len(out_programmes) + len(out_faq) < entries:
        i += 1
        if i % 2:
            p = copy.deepcopy(programmes[i % len(programmes)])
            p["id"] = f"{p['id']}-x{i}"
            for lang in ("lt", "en"):
                extra = " ".join(rng.sample(words[lang], 6))
                p["title"][lang] = f"{p['title'][lang]} {extra.split()[0]}"
                p["summary"][lang] = f"{p['summary'][lang]} {extra}"
            for g in p.get("groups", []):
                g["id"] = f"{g['id']}-x{i}"
            out_programmes.append(p)
        else:
            f = copy.deepcopy(faq[i % len(faq)])
            f["id"] = f"{f['id']}-x{i}"
            for lang in ("lt", "en"):
                f["questions"][lang] = [
                    q + " " + " ".join(rng.sample(words[lang], 3)) for q in f["questions"][lang]
                ]
            f["related"] = []
            out_faq.append(f)
    raw["programmes"] = programmes + out_programmes
    raw["faq"] = faq + out_faq
    return raw
