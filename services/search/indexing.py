"""Turn catalogue entries into search documents with weighted fields."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.catalogue.schema import LANGUAGES, Catalogue, Localized, LocalizedList
from services.search.normalise import index_terms

FIELDS = ("title", "keywords", "questions", "summary", "body")


@dataclass(frozen=True)
class SearchDoc:
    type: str  # "programme" | "group" | "faq"
    id: str
    programme_id: str | None
    fields: dict[str, list[str]]

    def text(self, name: str) -> str:
        return " ".join(self.fields.get(name, ()))

    def terms(self) -> set[str]:
        return {t for terms in self.fields.values() for t in terms}


def _both(*texts: Localized | None) -> list[str]:
    """Index every text in both languages, each with its own stemmer, so a
    question in either language meets it."""
    out: list[str] = []
    for text in texts:
        if text is None:
            continue
        for lang in LANGUAGES:
            out += index_terms(text.get(lang), lang)
    return out


def _lists(values: LocalizedList) -> list[str]:
    out: list[str] = []
    for lang in LANGUAGES:
        for value in values.get(lang):
            out += index_terms(value, lang)
    return out


def _plain(values: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value:
            for lang in LANGUAGES:
                out += index_terms(value, lang)
    return out


def build_documents(catalogue: Catalogue) -> list[SearchDoc]:
    departments = {d.id: d for d in catalogue.departments}
    docs: list[SearchDoc] = []
    for p in catalogue.programmes:
        department = departments.get(p.department or "")
        docs.append(
            SearchDoc(
                "programme",
                p.id,
                p.id,
                {
                    "title": _both(p.title) + _plain([p.code]),
                    "keywords": _lists(p.keywords),
                    "questions": [],
                    "summary": _both(p.summary, p.audience),
                    "body": _both(
                        p.description,
                        p.duration,
                        p.entry_requirements,
                        p.funding,
                        department.name if department else None,
                    ),
                },
            )
        )
        for g in p.groups:
            docs.append(
                SearchDoc(
                    "group",
                    g.id,
                    p.id,
                    {
                        "title": _both(p.title),
                        "keywords": [],
                        "questions": [],
                        "summary": _both(g.timetable, g.location),
                        "body": _both(*(s.title for s in g.sessions)),
                    },
                )
            )
    for f in catalogue.faq:
        docs.append(
            SearchDoc(
                "faq",
                f.id,
                None,
                {
                    "title": [],
                    "keywords": [],
                    "questions": _lists(f.questions),
                    "summary": [],
                    "body": _both(f.answer),
                },
            )
        )
    return docs
