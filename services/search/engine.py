"""Find the catalogue entry that answers a question, or honestly none."""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from services.catalogue.view import CatalogueView
from services.search import audience, evidence, group_cues, intents, scope, spelling, synonyms
from services.search.indexing import FIELDS, SearchDoc, Surfaces
from services.search.lexical import FieldIndex
from services.search.normalise import (
    GENERIC,
    TAGS,
    content_tokens,
    fold,
    fold_all,
    index_terms,
    stem,
    term,
    tokens,
    word_pattern,
)

# The shortest catalogue stem a derived word is read through, and the fields
# that stem must name an entry in.
DERIVED_MIN_STEM = 7
NAMING_FIELDS = ("title", "keywords", "questions")
_WORD = re.compile(r"[^\W\d_]+")

# BM25 weight of each field, in FIELDS order: a word in a title or in the
# words people use says far more than one in a paragraph of description.
FIELD_WEIGHTS: tuple[float, ...] = (10.0, 8.0, 6.0, 2.0, 0.6)
# How much a question word found in each field says that the entry is the
# answer: its name and the words people use for it say most.
FIELD_STRENGTH = {"title": 1.1, "keywords": 1.0, "questions": 1.0, "summary": 0.6, "body": 0.35}
# Words like "course" or "mokslai" say little about which entry is meant.
GENERIC_WEIGHT = 0.3
CUE_WEIGHT = 0.3
# A match through a guessed spelling or a synonym counts a little less than
# the word itself.
INDIRECT = 0.8
STEM_ONLY = 0.95
CANDIDATES = 30
# A typo is matched only to a catalogue word at least this long: shorter
# words are a slip away from too many others ("fully", "full").
MIN_TYPO_TARGET = 5
WORD_CACHE = 50_000
ENDING = 3
MIN_PREFIX = 5
# Rare words decide more than common ones, but a single rare filler word
# ("keep", "fully") must not outweigh two words that name the topic.
IDF_POWER = 0.5
BM25_SHARE = 0.5
# A question that names a month or mode ("the March evening group") is about
# a programme that has such an intake.
GROUP_CUE_BONUS = 0.15
# Price, dates, seats and length are facts a programme card holds; "what is
# this?" is what the FAQ explains.
STRUCTURED_INTENTS = frozenset({"price", "start", "seats", "duration"})
STRUCTURED_BONUS = 0.2
DEFINITION_BONUS = 0.15
# An adult retraining is meant for the continuing course, a school leaver for
# the formal programme of the same trade (see audience.py).
AUDIENCE_BONUS = 0.15
AUDIENCE_KINDS = {"adult": frozenset({"continuing", "nonformal"}), "youth": frozenset({"formal"})}
NAME_BONUS = 0.3
MAX_RESULTS = 3
# A programme card answers a question that names its trade only when the
# question is about learning it (scope.about_learning, a month or mode of an
# intake, or one of these intents), when the card holds nearly all of the
# question, or when the question is the programme's name and nothing else:
# "reikia elektriko į namus" wants an electrician, not a course.
LEARNING_INTENTS = frozenset({"start", "duration", "requirements", "seats", "registration"})
SELF_EVIDENT = 0.8
# An unheld word below this weight is filler, not another topic.
OTHER_TOPIC = 0.5
# Other candidates are offered ("Did you mean") only when nearly as good.
ALTERNATIVE_SHARE = 0.85
# Evidence (see evidence.py): an answer must hold this share of the weight
# of the question's words, general-language rarity times how much each word
# says (a cue like "kaina" little), and some weight of words naming a topic.
# A word met in a field at least this strong counts fully.
EVIDENCE_STRENGTH = 0.6
MIN_EVIDENCE = 0.3
EVIDENCE_POWER = 1.0
MIN_TOPIC = 1.2
SHORT_MESSAGE = 6
LONG_EVIDENCE = 0.2
# A real word of general language that no entry holds (zipf above 0, so
# not a typo or a name, and at most FOREIGN_ZIPF, so not everyday filler
# like "today") names something the catalogue does not cover ("pancakes",
# "bitcoin"): an answer must hold at least as much topic weight as such
# words carry, unless the question says the whole of the entry's name.
FOREIGN_ZIPF = 5.0
# Words this short ("men" of "mėn.", "men's") share a stem with unrelated
# words: only the same word as written is evidence.
SHORT = 3
# The centre's town and street as a question word ("Alytuje") say "here".
MIN_HERE = 4
# So do the words for the centre itself, as written (not as stems:
# "scholarship" is not "school").
US = frozenset(
    fold_all(
        (
            "centras",
            "centro",
            "centre",
            "centrui",
            "center",
            "mokykla",
            "mokyklos",
            "mokykloje",
            "school",
        )
    )
)
# The best entry with evidence answers in place of a better-ranked one
# without, but only when nearly as good: far below it, the question is more
# about what the better-ranked one shares with it ("a bot or a human").
PROVEN_SHARE = 0.7
NAMED = FIELD_STRENGTH["keywords"]
# Candidates this close in score are too close to pick one: the bot asks.
CLOSE_MARGIN = 0.025
MAX_CHOICES = 3
# The index terms of the generic words ("programa", "kursai"), per language.
GENERIC_TERMS = frozenset(term(stem(w, lang), lang) for w in GENERIC for lang in TAGS)
# "Kiek kainuoja?", "o kada prasideda?", "o vakarinė?" right after a course's
# card: a fact asked about nothing the question names is asked about that
# card. Words about the course itself ("grupėje", "pamokos") name nothing new.
FOLLOW_UP_INTENTS = frozenset(
    {"price", "start", "duration", "seats", "requirements", "place", "registration"}
)
FOLLOW_UP_WORDS = word_pattern(fold_all(("grup", "group", "held", "sraut")))
# "Kur vyksta pamokos?" after a card asks where its lessons are; "kiek trunka
# pamoka?" asks how long a lesson is (the academic hour), about no course.
LESSON_WORDS = word_pattern(fold_all(("pamok", "lesson", "class", "uzsiemim")))
FOLLOW_UP_NAMED = 0.5
# "Kiti", "visi", "kokie kursai", "other", "all": about other courses, or all.
OTHER_COURSES = frozenset(
    fold_all(
        (
            "kiti",
            "kitų",
            "kitus",
            "kitose",
            "visi",
            "visų",
            "visus",
            "visos",
            "kokie",
            "kokių",
            "kokius",
            "other",
            "others",
            "all",
        )
    )
)
# "Kur jūs esate?", "where are you?": the centre's place, never a course's.
YOU = frozenset(fold_all(("jūs", "jus", "jūsų", "jusu", "you", "your", "ur", "u")))
# What a question word asks about when the question names nothing else.
ABOUT_US = {"place": "adresas address"}


@dataclass(frozen=True)
class Hit:
    type: str  # "programme" | "group" | "faq"
    id: str
    score: float


@dataclass(frozen=True)
class SearchResult:
    query: str
    intent: str
    hits: list[Hit]  # best first; empty when the bot should say it does not know
    candidates: list[Hit] = field(default_factory=list)  # best guesses, even below threshold
    confidence: float = 0.0
    # Two or three entries too close to choose between, each with evidence:
    # the bot asks which one was meant (hits is then empty).
    choices: list[Hit] = field(default_factory=list)
    # The answer's entry was named in full: every word of one of its
    # phrasings or its title is in the question ("kiek trunka pamoka?").
    named: bool = False
    # A fact asked about nothing named, with no course answered before
    # ("kiek kainuoja?" as a first message): the bot asks which course.
    needs_topic: bool = False


@dataclass(frozen=True)
class _Word:
    text: str
    variants: frozenset[str]  # index terms the word itself stems to
    fuzzy: bool  # variants are guesses (typo, dialect ending, compound)
    idf: float
    related: frozenset[str] = frozenset()  # terms of its synonyms
    # How much the word says in general language (evidence.weight), and
    # whether it names a topic rather than what is asked about it.
    weight: float = 0.0
    topic: bool = True
    general: float = 0.0  # the weight before a cue or generic word is discounted
    foreign: bool = False  # a word of general language that no entry holds


@dataclass
class _Scored:
    type: str
    id: str
    bm25: float
    coverage: float = 0.0
    score: float = 0.0
    said: float = 0.0  # how much of the entry's name the question says
    evidence: float = 0.0  # share of the question's informative weight it holds
    topic: float = 0.0  # informative weight of topic words it holds


class SearchEngine:
    """Ranks with BM25 over weighted fields (lexical.py), then re-ranks the
    best candidates by how much of the question each one covers."""

    def __init__(
        self,
        view: CatalogueView,
        docs: list[SearchDoc],
        threshold: float = 0.2,
        surfaces: Surfaces | None = None,
    ) -> None:
        self.view = view
        self.threshold = threshold
        self.docs = {(d.type, d.id): d for d in docs}
        self.index = FieldIndex(docs, FIELD_WEIGHTS)
        self.doc_terms = {key: d.terms() for key, d in self.docs.items()}
        # The strongest field each term, and each word as written, appears
        # in, per document.
        self.doc_strength: dict[tuple[str, str], dict[str, float]] = {}
        self.word_strength: dict[tuple[str, str], dict[str, float]] = {}
        for key, d in self.docs.items():
            strength: dict[str, float] = {}
            by_word: dict[str, float] = {}
            for name in reversed(FIELDS):
                for t in d.fields.get(name, ()):
                    strength[t] = FIELD_STRENGTH[name]
                for w in d.words.get(name, ()):
                    by_word[w] = FIELD_STRENGTH[name]
            self.doc_strength[key] = strength
            self.word_strength[key] = by_word
        df: Counter[str] = Counter()
        for terms in self.doc_terms.values():
            df.update(terms)
        self.df = df
        self.n_docs = max(len(docs), 1)
        self.vocab_set = set(df)
        # Per language, untagged: what typo and compound matching search.
        self.vocab = {lang: sorted(t[1:] for t in df if t[0] == tag) for lang, tag in TAGS.items()}
        self.reversed_vocab = {
            lang: sorted(t[::-1] for t in terms) for lang, terms in self.vocab.items()
        }
        self._known = {lang: set(terms) for lang, terms in self.vocab.items()}
        # Stems an entry is named by (title, keywords, the questions it
        # answers): what a derived word may be read through ("autokrautuv" of
        # "autokrautuvas", not "elektrin" of an "elektrinis krautuvas" in a
        # summary: "elektrinininkų kursai" is not the forklift course).
        self._named = {
            lang: {
                t[1:]
                for d in docs
                for name in NAMING_FIELDS
                for t in d.fields.get(name, ())
                if t[0] == tag
            }
            for lang, tag in TAGS.items()
        }
        self.surfaces = surfaces or {lang: {} for lang in TAGS}
        # Typo candidates by first letter: a slip is looked for only among
        # words that begin like the question's word, long enough to tell
        # apart ("fully" is a slip away from "full").
        self.surface_list: dict[str, dict[str, list[str]]] = {}
        for lang, words in self.surfaces.items():
            by_letter: dict[str, list[str]] = {}
            for w in sorted(words):
                if len(w) >= MIN_TYPO_TARGET:
                    by_letter.setdefault(w[0], []).append(w)
            self.surface_list[lang] = by_letter
        self._words: dict[tuple[str, bool], _Word] = {}
        # Where the centre is (its town, its street): asking about the
        # weather in that town is not about any entry.
        centre = view.catalogue.centre
        self.here = frozenset(
            w
            for lang in TAGS
            for w in content_tokens(centre.address.get(lang))
            if len(w) >= MIN_HERE and not w.isdigit()
        )
        # The general word lists, read once per process, before any question.
        evidence.load()
        spelling.load()

    # ---------------------------------------------------------------- words
    def _idf(self, term: str) -> float:
        return float(math.log(1 + self.n_docs / (self.df.get(term, 0) + 0.5)) ** IDF_POWER)

    def _expand(self, word: str, cue: bool) -> _Word:
        """A question word with the index terms it may mean (cached: people
        use the same words again and again)."""
        key = (word, cue)
        cached = self._words.get(key)
        if cached is None:
            cached = self._expand_uncached(word, cue)
            if len(self._words) >= WORD_CACHE:
                self._words.clear()
            self._words[key] = cached
        return cached

    def clear_cache(self) -> None:
        """Forget every word seen (benchmarks measure questions as if new)."""
        self._words.clear()
        tokens.cache_clear()

    def _expand_uncached(self, word: str, cue: bool) -> _Word:
        related: set[str] = set()
        for text in synonyms.expansions(word):
            for lang in TAGS:
                related.update(t for t in index_terms(text, lang) if t in self.vocab_set)
        # Words that say what is asked (price, start) rather than about what
        # match every entry that has a price or a date.
        weight = GENERIC_WEIGHT if word in GENERIC else (CUE_WEIGHT if cue else 1.0)
        if self._here(word):
            # The centre's own town or street says "here", as "you" does.
            weight = min(weight, CUE_WEIGHT)
        general = evidence.weight(word) ** EVIDENCE_POWER
        informs = general * weight
        topic = weight == 1.0
        stems = {lang: stem(word, lang) for lang in TAGS}
        exact = frozenset(
            t for t in (term(s, lang) for lang, s in stems.items()) if t in self.vocab_set
        )
        generic = word in GENERIC
        if not generic and exact and exact <= GENERIC_TERMS and not self._written(word):
            # The stemmer cut a different word down to a generic one
            # ("programuotojo" to the stem of "programa"): not the same word.
            exact = frozenset()
        fuzzy = False
        if not exact and not generic:
            near: set[str] = set()
            # A word general language knows well ("manai", "sniegas") is
            # itself, not a slip of a catalogue word it resembles; it may
            # still be another inflection of one ("suaugusių").
            known_word = evidence.is_real_word(word)
            for lang, s in stems.items():
                near |= self._misspelt(word, lang, ending_only=known_word)
                near |= {term(t, lang) for t in self._near(s, lang)}
            exact, fuzzy = frozenset(near), bool(near)
        terms = exact | related
        if not terms:
            # A real word of general language that no entry holds names
            # something the catalogue does not cover.
            foreign = topic and len(word) > SHORT and 0.0 < evidence.zipf(word) <= FOREIGN_ZIPF
            return _Word(
                word,
                frozenset(),
                False,
                0.0,
                weight=informs,
                topic=topic,
                general=general,
                foreign=foreign,
            )
        idf = max(self._idf(s) for s in terms) * weight
        return _Word(word, exact, fuzzy, idf, frozenset(related - exact), informs, topic, general)

    def _written(self, word: str) -> bool:
        """The catalogue has this word as written (in either language)."""
        return any(word in surfaces for surfaces in self.surfaces.values())

    def _here(self, word: str) -> bool:
        """The word is the centre's town or street in some inflection
        ("Alytuje", "Alytaus" for "Alytus"), or the centre itself ("kur jūsų
        centras?", "where is the school?")."""
        if word in US:
            return True
        if len(word) < MIN_HERE:
            return False
        # An inflection changes at most the last two letters of the name.
        return any(word.startswith(known[: max(MIN_HERE, len(known) - 2)]) for known in self.here)

    def _misspelt(self, word: str, lang: str, ending_only: bool = False) -> set[str]:
        """Terms of the catalogue words this one is a slip away from (a wrong,
        missing, extra or swapped letter; two in long words); with
        ending_only, only slips in the last letters, where inflections
        differ."""
        found: set[str] = set()
        if len(word) < 4 or word.isdigit():
            return found
        limit = 1 if len(word) <= 6 else 2
        candidates = self.surface_list[lang].get(word[0], [])
        for known, _dist, _ in process.extract(
            word, candidates, scorer=OSA.distance, score_cutoff=limit, limit=5
        ):
            if ending_only and not known.startswith(word[: max(MIN_PREFIX, len(word) - ENDING)]):
                continue
            found |= self.surfaces[lang][known]
        return found

    def _near(self, word: str, lang: str) -> set[str]:
        """Known stems that a dialect ending or a compound form stands for."""
        found: set[str] = set()
        if len(word) < 4 or word.isdigit():
            return found
        known_set = self._known[lang]
        # Unknown endings ("vakarinej"): the longest known stem that starts it.
        for cut in range(len(word) - 1, max(len(word) - 4, 4), -1):
            if word[:cut] in known_set:
                found.add(word[:cut])
                break
        else:
            # A derived word ("autokrautuvininko", the driver of an
            # "autokrautuvas"): a long known stem that starts it.
            named = self._named[lang]
            for cut in range(len(word) - 4, max(DERIVED_MIN_STEM, round(len(word) * 0.6)) - 1, -1):
                if word[:cut] in named:
                    found.add(word[:cut])
                    break
        # Compounds ("krautuv" in "autokrautuv"): known terms ending with it,
        # found by prefix in the sorted list of reversed terms.
        if len(word) >= 6:
            backwards = word[::-1]
            reversed_vocab = self.reversed_vocab[lang]
            start = bisect.bisect_left(reversed_vocab, backwards)
            for candidate in itertools.islice(reversed_vocab, start, None):
                if not candidate.startswith(backwards):
                    break
                found.add(candidate[::-1])
        return found

    # -------------------------------------------------------------- ranking
    def mended(self, question: str) -> str:
        """The question with its slips of words mended (spelling.py): a word
        that neither the catalogue (its text, its synonyms) nor general
        language knows, one edit from a word of both. The rest stays as
        written: "AM", "BE" in capitals are licence categories."""

        def mend(match: re.Match[str]) -> str:
            word = fold(match.group())
            if evidence.zipf(word) > 0.0 or self._catalogue_word(word):
                return match.group()
            mended = spelling.mend(word)
            # Only into a word the catalogue has: an everyday word it lacks
            # would say the question is about something else ("ateit" read
            # as "ateiti" would then outweigh the course a learner names).
            return mended if mended is not None and self._catalogue_word(mended) else match.group()

        return _WORD.sub(mend, question)

    def _catalogue_word(self, word: str) -> bool:
        return (
            self._written(word)
            or bool(synonyms.expansions(word))
            or any(term(stem(word, lang), lang) in self.vocab_set for lang in TAGS)
        )

    async def search(self, question: str) -> SearchResult:
        question = self.mended(question)
        intent = intents.detect(question)
        cues = group_cues.detect(question)
        # Month words pick an intake; as search terms they would only match
        # every text that mentions a date.
        cue_words = intent.words | cues.mode_words
        words = [
            self._expand(w, w in cue_words)
            for w in dict.fromkeys(content_tokens(question))
            if w not in cues.month_words
        ]
        asked = self._asked_about_us(intent.name, words)
        if asked is not None:
            words.append(asked)
        terms = sorted({v for w in words for v in w.variants | w.related})
        if not terms:
            return SearchResult(question, intent.name, [])
        rows = self.index.search(terms, CANDIDATES)
        entries = self._rank(rows, words, cues, intent.name, audience.detect(question))
        if not entries:
            return SearchResult(question, intent.name, [])
        candidates = [self._hit(e, cues) for e in entries[:5]]
        confidence = entries[0].coverage
        # Ranking weighs every word; the answer must also hold the question's
        # informative ones, so the best entry that does is the answer.
        foreign = sum(w.weight for w in words if w.foreign)
        if cues.any:
            # A month names an intake ("the March evening group"), and so do
            # a season or a mode next to a programme's name ("the evening
            # accountant class", "apdailininkų grupė rudenį"): when a
            # programme with such a group holds the question, it is what is
            # asked about, however well the FAQ entry on evening classes ranks.
            intakes = [
                e
                for e in entries
                if e.type == "programme"
                and (cues.month_words or e.said > 0)
                and self._has_group(e.id, cues)
            ]
            if any(self._proven(e, foreign, len(words)) for e in intakes):
                entries = intakes
        top = entries[0].score
        # A price asked about a programme's trade but naming neither the
        # programme nor any learning ("kiek kainuoja vyriškas kirpimas") is
        # the price of the trade's service, not of the course.
        learning = any(w.text in GENERIC for w in words)
        studying = (
            learning
            or cues.any
            or intent.name in LEARNING_INTENTS
            or scope.about_learning(question)
        )
        if not studying:
            service = scope.wants_service(question)
            # A real word no entry holds: the question is about something else too.
            other = any(
                w.topic and not (w.variants or w.related) and w.weight > OTHER_TOPIC for w in words
            )
            entries = [
                e
                for e in entries
                if e.type == "faq" or (not service and self._answers_without_learning(e, other))
            ]
        # A price that names no learning and no programme is not a course's
        # price; a programme whose name it half says ("krautuvo teisės" in
        # "vairavimo teisės") is not either when a programme it fits better
        # was set aside by that rule.
        # A licence is learnt ("vairuotojo pažymėjimas"): its price is a
        # course's price too.
        taught = learning or scope.names_a_licence(question)
        unpriced = max(
            (
                e.score
                for e in entries
                if intent.name == "price" and e.type == "programme" and not taught and not e.said
            ),
            default=0.0,
        )
        entries = [
            e
            for e in entries
            if e.score >= top * PROVEN_SHARE
            and self._proven(e, foreign, len(words))
            and (
                intent.name != "price"
                or e.type != "programme"
                or taught
                or e.said >= 1.0
                or (e.said > 0 and e.score > unpriced)
            )
        ]
        if not entries or not scope.judge(question).in_scope:
            return SearchResult(question, intent.name, [], candidates, confidence)
        best = entries[0]
        shown = [self._hit(e, cues) for e in entries[:5]]
        close = [
            h for h, e in zip(shown, entries, strict=False) if best.score - e.score <= CLOSE_MARGIN
        ]
        if len(close) > 1 and cues.any:
            # "The March evening group": of entries too close to choose
            # between, the only one with such a group is the one meant.
            grouped = [
                (h, e)
                for h, e in zip(close, entries, strict=False)
                if e.type == "programme" and self._has_group(e.id, cues)
            ]
            if len(grouped) == 1:
                hit, best = grouped[0]
                close = [hit]
                shown = [hit] + [h for h in shown if h is not hit]
                entries = [best] + [e for e in entries if e is not best]
        if len(close) > 1:
            return SearchResult(
                question, intent.name, [], candidates, confidence, close[:MAX_CHOICES]
            )
        hits = [
            h
            for h, e in zip(shown, entries, strict=False)
            if e.score >= best.score * ALTERNATIVE_SHARE
        ]
        return SearchResult(
            question,
            intent.name,
            hits[:MAX_RESULTS],
            candidates,
            confidence,
            named=best.said >= 1.0,
        )

    def follow_up(self, question: str) -> str | None:
        """The fact a follow-up asks ("kiek kainuoja?" -> "price"; "o kovo
        grupėje?" -> "info"), or None when the question names its own topic
        or asks nothing a course card tells."""
        intent = intents.detect(question)
        cues = group_cues.detect(question)
        if intent.name not in FOLLOW_UP_INTENTS and not cues.any:
            return None
        words = tokens(question)
        if intent.name == "place" and any(w in US or w in YOU for w in words):
            return None  # "kur yra mokykla?", "kur jūs esate?" ask where the centre is
        if any(w in OTHER_COURSES for w in words):
            return None  # "kokie kursai prasideda kovą?" asks about all of them
        lessons_say_nothing = intent.name != "duration"
        named = self._named_weight(
            question,
            intent,
            cues,
            lambda w: bool(
                FOLLOW_UP_WORDS.match(w) or (lessons_say_nothing and LESSON_WORDS.match(w))
            ),
        )
        return intent.name if named < FOLLOW_UP_NAMED else None

    def names_nothing(self, question: str) -> bool:
        """Only words about learning and what is asked: "noriu mokytis",
        "kokie kiti kursai yra?", "what other courses do you have?"."""
        if not any(w in GENERIC for w in content_tokens(question)):
            return False
        intent, cues = intents.detect(question), group_cues.detect(question)
        named = self._named_weight(question, intent, cues, lambda w: w in OTHER_COURSES)
        return named < FOLLOW_UP_NAMED

    @staticmethod
    def _named_weight(
        question: str,
        intent: intents.Intent,
        cues: group_cues.GroupCues,
        says_nothing: Callable[[str], bool],
    ) -> float:
        """How much the question's words name, leaving out what it asks
        (cues, months, study forms), learning words and `says_nothing`."""
        asked = intent.words | cues.month_words | cues.mode_words
        return sum(
            evidence.weight(w)
            for w in content_tokens(question)
            if w not in asked and w not in GENERIC and not says_nothing(w)
        )

    def refer(self, entry_type: str, entry_id: str, question: str) -> Hit | None:
        """The course a follow-up is about: the card answered before, or the
        intake of it that the follow-up names ("o vakarinė?")."""
        cues = group_cues.detect(question)
        if entry_type == "group":
            found = self.view.groups.get(entry_id)
            if found is None:
                return None
            if not cues.any:
                return Hit("group", entry_id, 1.0)  # still that intake
            entry_type, entry_id = "programme", found[0].id
        if entry_type != "programme" or entry_id not in self.view.programmes:
            return None
        if cues.any and not self._has_group(entry_id, cues):
            return None  # "o vakarinė?" of a course with no evening group
        return self._hit(_Scored("programme", entry_id, 0.0, 1.0, score=1.0), cues)

    def _asked_about_us(self, intent: str, words: list[_Word]) -> _Word | None:
        """ "Where are you?", "kur jūs esat?": the question word itself is
        all it asks (a stopword, never a search term), so it stands for the
        catalogue's wording of what it asks about."""
        wording = ABOUT_US.get(intent)
        # Only when nothing else is named: a word the catalogue has, a real
        # word it does not ("kur artimiausia vaistinė": a pharmacy, not us),
        # or a word no language list knows (a name, or another language's
        # word: "kur jūs atrodaties" is Latvian).
        named = any(
            w.topic and (w.variants or w.related or w.foreign or evidence.zipf(w.text) == 0.0)
            for w in words
        )
        if wording is None or named:
            return None
        related = frozenset(
            t for lang in TAGS for t in index_terms(wording, lang) if t in self.vocab_set
        )
        if not related:
            return None
        # It names the question's topic, as much as a topic needs.
        idf = max(self._idf(t) for t in related)
        return _Word(f"<{intent}>", related, False, idf, weight=MIN_TOPIC, general=MIN_TOPIC)

    @staticmethod
    def _answers_without_learning(entry: _Scored, other_topic: bool) -> bool:
        """A question that says nothing about learning is still answered by a
        FAQ entry, by a card holding nearly all of it, or by a programme whose
        name is all it says ("suvirintojas")."""
        if entry.type == "faq" or entry.evidence >= SELF_EVIDENT:
            return True
        return entry.said >= 1.0 and not other_topic

    def _proven(self, entry: _Scored, foreign: float = 0.0, n_words: int = 0) -> bool:
        """The entry holds enough of what the question says to be its answer."""
        # A long message tells the learner's story ("my husband came from
        # Ukraine..."): its one question is a smaller share of its words.
        needed = max(LONG_EVIDENCE, MIN_EVIDENCE * min(1.0, SHORT_MESSAGE / max(n_words, 1)))
        return (
            entry.coverage >= self.threshold
            and entry.evidence >= needed
            and (entry.topic >= MIN_TOPIC or entry.said >= 1.0)
            and (entry.topic >= foreign or entry.said >= 1.0)
        )

    def _strength(self, word: _Word, key: tuple[str, str]) -> float:
        strength = self.doc_strength[key]
        # The same word as written counts fully; another word with the same
        # stem ("finished" for "Finishing worker") a little less.
        exact = self.word_strength[key].get(word.text, 0.0)
        own = max((strength.get(v, 0.0) for v in word.variants), default=0.0) * STEM_ONLY
        if len(word.text) <= SHORT and not word.text.isdigit():
            # A word this short ("men" of "mėn.", "men's") stems the same as
            # unrelated words: only the same word as written counts.
            own = 0.0
        own = max(own, exact)
        related = max((strength.get(v, 0.0) for v in word.related), default=0.0)
        return max(own * (INDIRECT if word.fuzzy else 1.0), related * INDIRECT)

    def _rank(
        self,
        rows: list[tuple[str, str, float]],
        words: list[_Word],
        cues: group_cues.GroupCues,
        intent: str,
        who: audience.Audience | None = None,
    ) -> list[_Scored]:
        known = [w for w in words if w.variants or w.related]
        asked = frozenset(t for w in known for t in w.variants | w.related)
        total_idf = sum(w.idf for w in known) or 1.0
        total_weight = sum(w.weight for w in words) or 1.0
        generic_only = all(w.text in GENERIC for w in known)
        by_entry: dict[tuple[str, str], _Scored] = {}
        for doc_type, doc_id, bm25 in rows:
            doc = self.docs.get((doc_type, doc_id))
            if doc is None:
                continue
            key = ("programme", doc.programme_id) if doc.programme_id else (doc_type, doc_id)
            covered = held = topic = 0.0
            for w in words:
                if not (w.variants or w.related):
                    continue
                m = self._strength(w, (doc_type, doc_id))
                if doc_type == "group" and doc.programme_id:
                    m = max(m, self._strength(w, ("programme", doc.programme_id)))
                covered += w.idf * m
                # A word met only in a long description is weaker evidence.
                share = w.weight * min(1.0, m / EVIDENCE_STRENGTH)
                held += share
                # What is asked ("adresas", "kaina") names the topic of an
                # entry that is about exactly that.
                if w.topic:
                    topic += share
                elif m >= NAMED and not (generic_only and w.text in GENERIC):
                    # The entry is about exactly what is asked ("address");
                    # but "kursai" alone ("ar yra IT kursų", "IT" being an
                    # English stopword) names no entry's topic.
                    topic += max(w.general, MIN_TOPIC)
            coverage = covered / total_idf
            proof = held / total_weight
            said = self._name_said(doc, asked)
            current = by_entry.get(key)
            if current is None:
                by_entry[key] = _Scored(
                    key[0],
                    key[1],
                    bm25,
                    coverage,
                    said=said,
                    evidence=proof,
                    topic=topic,
                )
            else:
                current.bm25 = max(current.bm25, bm25)
                current.coverage = max(current.coverage, coverage)
                current.said = max(current.said, said)
                current.evidence = max(current.evidence, proof)
                current.topic = max(current.topic, topic)
        if not by_entry:
            return []
        top_bm25 = max(e.bm25 for e in by_entry.values())
        for e in by_entry.values():
            e.score = e.coverage + BM25_SHARE * e.bm25 / top_bm25 + NAME_BONUS * e.said
            # A study form alone ("evening courses?") is the FAQ's topic; it
            # favours a programme's group only beside the programme's name.
            named = bool(cues.month_words) or e.said > 0
            if cues.any and named and e.type == "programme" and self._has_group(e.id, cues):
                e.score += GROUP_CUE_BONUS
            if intent in STRUCTURED_INTENTS and e.type == "programme":
                e.score += STRUCTURED_BONUS
            if intent == "definition" and e.type == "faq":
                e.score += DEFINITION_BONUS
            if (
                who is not None
                and e.type == "programme"
                and self._kind(e.id) in AUDIENCE_KINDS[who]
            ):
                e.score += AUDIENCE_BONUS
        return sorted(by_entry.values(), key=lambda e: e.score, reverse=True)

    @staticmethod
    def _name_said(doc: SearchDoc, asked: frozenset[str]) -> float:
        """The largest share of one of the entry's names found in the question."""
        return max((len(name & asked) / len(name) for name in doc.names), default=0.0)

    def _kind(self, programme_id: str) -> str | None:
        programme = self.view.programmes.get(programme_id)
        return programme.kind if programme is not None else None

    def _has_group(self, programme_id: str, cues: group_cues.GroupCues) -> bool:
        programme = self.view.programmes.get(programme_id)
        return programme is not None and any(
            (not cues.months or g.starts.month in cues.months)
            and (not cues.modes or g.mode in cues.modes)
            for g in programme.groups
        )

    def _hit(self, entry: _Scored, cues: group_cues.GroupCues) -> Hit:
        group_id = self._resolve_group(entry, cues)
        kind = "group" if group_id != entry.id else entry.type
        return Hit(kind, group_id, round(entry.score, 4))

    def _resolve_group(self, entry: _Scored, cues: group_cues.GroupCues) -> str:
        """A programme becomes one of its groups only when the question names
        a month or mode that tells its groups apart."""
        if entry.type != "programme" or not (cues.any or cues.group_word):
            return entry.id
        programme = self.view.programmes.get(entry.id)
        if programme is None or not programme.groups:
            return entry.id
        if len(programme.groups) == 1:
            # A programme's only intake is what is asked about when the
            # question singles it out (its month, or "the group") and asks
            # what only an intake tells: "elektrikų grupė rugsėjį, kiek
            # vietų?". "The conference in April, what is on?" is the programme's.
            only = programme.groups[0]
            # Another month than it has: the programme. (Not a study form:
            # "which day of the week?" reads as the day form.)
            if cues.months and only.starts.month not in cues.months:
                return entry.id
            named = bool(cues.months) or cues.group_word
            return only.id if named and cues.intake_fact else entry.id
        chosen = programme.groups
        if cues.months:
            chosen = [g for g in chosen if g.starts.month in cues.months]
        if cues.modes:
            narrowed = [g for g in chosen if g.mode in cues.modes]
            chosen = narrowed or chosen
        if len(chosen) == 1 and len(chosen) < len(programme.groups):
            return chosen[0].id
        return entry.id
