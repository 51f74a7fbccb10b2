"""Turn catalogue entries into search documents with weighted fields."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from domain.languages import LANGUAGES
from services.catalogue.schema import Catalogue, Localized, LocalizedList
from services.search.normalise import content_tokens, stem, term

FIELDS = ("title", "keywords", "questions", "summary", "body")


@dataclass(frozen=True)
class SearchDoc:
    type: str  # "programme" | "group" | "faq"
    id: str
    programme_id: str | None
    fields: dict[str, list[str]]  # index terms per field
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # folded words per field
    # What the entry is called: a programme's title in each language, each
    # phrasing of an FAQ question; a question that says all of one of them
    # names the entry.
    names: tuple[frozenset[str], ...] = ()

    def terms(self) -> set[str]:
        return {t for terms in self.fields.values() for t in terms}


# Per language, each word as written in the catalogue (folded) and the
# index terms it became: typos are matched against real words, not stems.
Surfaces = dict[str, dict[str, set[str]]]


@dataclass(frozen=True)
class _Field:
    terms: tuple[str, ...] = ()
    words: frozenset[str] = frozenset()

    def __add__(self, other: _Field) -> _Field:
        return _Field(self.terms + other.terms, self.words | other.words)


class _Collector:
    """Turns catalogue texts into index terms and remembers the words behind them."""

    def __init__(self) -> None:
        self.surfaces: Surfaces = {lang: {} for lang in LANGUAGES}

    def text(self, value: str, lang: str) -> _Field:
        terms = []
        words = set()
        for token in content_tokens(value):
            tagged = term(stem(token, lang), lang)
            self.surfaces[lang].setdefault(token, set()).add(tagged)
            words.add(token)
            terms.append(tagged)
        return _Field(tuple(terms), frozenset(words))

    def both(self, *texts: Localized | None) -> _Field:
        """Every text in both languages, each with its own stemmer, so a
        question in either language meets it."""
        out = _Field()
        for value in texts:
            if value is not None:
                for lang in LANGUAGES:
                    out += self.text(value.get(lang), lang)
        return out

    def lists(self, values: LocalizedList) -> _Field:
        out = _Field()
        for lang in LANGUAGES:
            for value in values.get(lang):
                out += self.text(value, lang)
        return out

    def plain(self, values: Iterable[str | None]) -> _Field:
        out = _Field()
        for value in values:
            if value:
                for lang in LANGUAGES:
                    out += self.text(value, lang)
        return out


def build_documents(catalogue: Catalogue) -> list[SearchDoc]:
    return build_index(catalogue)[0]


def _doc(
    kind: str,
    doc_id: str,
    programme_id: str | None,
    names: list[_Field],
    **given: _Field,
) -> SearchDoc:
    fields = {name: given.get(name, _Field()) for name in FIELDS}
    return SearchDoc(
        kind,
        doc_id,
        programme_id,
        {name: list(f.terms) for name, f in fields.items()},
        {name: f.words for name, f in fields.items()},
        tuple(frozenset(n.terms) for n in names if n.terms),
    )


def _names(c: _Collector, texts: Iterable[tuple[str, str]]) -> list[_Field]:
    return [c.text(text, lang) for text, lang in texts]


def build_index(catalogue: Catalogue) -> tuple[list[SearchDoc], Surfaces]:
    c = _Collector()
    departments = {d.id: d for d in catalogue.departments}
    docs: list[SearchDoc] = []
    for p in catalogue.programmes:
        department = departments.get(p.department or "")
        docs.append(
            _doc(
                "programme",
                p.id,
                p.id,
                names=_names(c, ((p.title.get(lang), lang) for lang in LANGUAGES)),
                title=c.both(p.title) + c.plain([p.code]),
                keywords=c.lists(p.keywords),
                summary=c.both(p.summary, p.audience),
                body=c.both(
                    p.description,
                    p.duration,
                    p.entry_requirements,
                    p.funding,
                    department.name if department else None,
                ),
            )
        )
        for g in p.groups:
            docs.append(
                _doc(
                    "group",
                    g.id,
                    p.id,
                    names=_names(c, ((p.title.get(lang), lang) for lang in LANGUAGES)),
                    title=c.both(p.title),
                    summary=c.both(g.timetable, g.location),
                    body=c.both(*(s.title for s in g.sessions)),
                )
            )
    for f in catalogue.faq:
        phrasings = ((q, lang) for lang in LANGUAGES for q in f.questions.get(lang))
        docs.append(
            _doc(
                "faq",
                f.id,
                None,
                names=_names(c, phrasings),
                questions=c.lists(f.questions),
                body=c.both(f.answer),
            )
        )
    return docs, c.surfaces
