"""Candidate entries for a question: BM25 over the weighted fields of the documents.

The engine was tuned on SQLite FTS5's `bm25()` with column weights, which
scores each question term as

    idf(t) * f * (K1 + 1) / (f + K1 * (1 - B + B * len(D) / avg_len))

where f is the term's count in each field times the field's weight, len(D)
counts the document's terms in all fields and idf(t) = ln((N - n + 0.5) /
(n + 0.5)), floored at 1e-6, n being the documents holding t. A catalogue
changes only when an admin imports one, so every (term, document) score is
computed here once, when the engine is built, and a question only adds up its
terms' precomputed scores (numpy arrays). FTS5 computed the formula for every
matching row on every question: on a 10,000-entry catalogue that was most of
an answer's time, spent on the event loop's reader thread.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from services.search.indexing import FIELDS, SearchDoc

# FTS5's bm25() constants.
K1 = 1.2
B = 0.75
MIN_IDF = 1e-6

_Postings = tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]


class FieldIndex:
    """Weighted BM25 over the fields (title, keywords, questions, summary, body)."""

    def __init__(self, docs: Sequence[SearchDoc], weights: Sequence[float]) -> None:
        if len(weights) != len(FIELDS):
            raise ValueError("one weight per field")
        self.keys = [(d.type, d.id) for d in docs]
        counts: list[defaultdict[str, float]] = []  # field-weighted term counts
        lengths: list[int] = []
        for d in docs:
            weighted: defaultdict[str, float] = defaultdict(float)
            length = 0
            for name, weight in zip(FIELDS, weights, strict=True):
                terms = d.fields.get(name, ())
                length += len(terms)
                for t in terms:
                    weighted[t] += weight
            counts.append(weighted)
            lengths.append(length)
        n_docs = len(docs)
        avg_len = (sum(lengths) / n_docs) if n_docs else 1.0
        holders: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, weighted in enumerate(counts):
            norm = K1 * (1 - B + B * lengths[i] / (avg_len or 1.0))
            for t, f in weighted.items():
                # A term met only in weight-0 fields does not count, as in FTS5.
                if f > 0:
                    holders[t].append((i, f * (K1 + 1) / (f + norm)))
        self.postings: dict[str, _Postings] = {}
        for t, held in holders.items():
            idf = max(MIN_IDF, math.log((n_docs - len(held) + 0.5) / (len(held) + 0.5)))
            self.postings[t] = (
                np.fromiter((i for i, _ in held), dtype=np.int32, count=len(held)),
                np.fromiter((idf * s for _, s in held), dtype=np.float64, count=len(held)),
            )

    def search(self, terms: Sequence[str], limit: int) -> list[tuple[str, str, float]]:
        """The best `limit` documents holding any of the terms, best first,
        as (doc_type, doc_id, score)."""
        found = [self.postings[t] for t in dict.fromkeys(terms) if t in self.postings]
        if not found or limit <= 0:
            return []
        total = np.zeros(len(self.keys), dtype=np.float64)
        # Each term's postings name a document once, so plain indexed adds are exact.
        for held, scores in found:
            total[held] += scores
        # Every posting scores above zero (idf is floored), so these are the matches.
        matched = np.flatnonzero(total)
        if len(matched) > limit:
            matched = matched[np.argpartition(-total[matched], limit - 1)[:limit]]
        # Ties keep the catalogue's order, as a stable sort of FTS5's rows did.
        ranked = matched[np.lexsort((matched, -total[matched]))]
        return [(*self.keys[i], float(total[i])) for i in ranked]
