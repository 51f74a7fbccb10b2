"""Words learners use that the catalogue says differently.

Each line: the beginnings of words people type (folded, see normalise.fold)
and what the catalogue calls the same thing, in either language. This is the
centre's own thesaurus: staff extend it when the unanswered-questions log
shows a new way of asking.
"""

from __future__ import annotations

from services.search.normalise import fold, word_pattern

_TABLE: tuple[tuple[tuple[str, ...], str], ...] = (
    (("stojim", "stoti"), "priėmimas priimami admission apply"),
    (("stojamuos", "stojamiej", "stojamuj"), "stojamųjų egzaminų entrance exams"),
    (("teise", "teisi", "teisem", "teisiu"), "vairuotojo pažymėjimas licence vairavimo"),
    (("masin", "masiu", "auto", "mašin"), "automobilis automobilių car"),
    (("fur", "fura"), "vilkikas puspriekabė CE"),
    (("birz", "birž"), "užimtumo tarnyba employment service"),
    (
        ("tel", "telefon", "paskamb", "skamb", "numer", "phone", "call"),
        "telefonas kontaktai contacts phone",
    ),
    (("dirbat", "dirbate", "atidar", "open"), "darbo laikas opening hours dirbame"),
    (("dorm", "accom", "hostel"), "bendrabutis dormitory"),
    (
        ("zmog", "žmog", "gyv", "operator", "human", "person", "darbuotoj"),
        "žmogumi darbuotoju staff person",
    ),
    (("egza", "egzam"), "egzaminas exam"),
    (("krit", "neislaik", "nepraej", "failed", "fail"), "perlaikyti retake neišlaikius"),
    (("popier", "paper"), "dokumentai documents"),
    (("praktik", "practic", "placement", "internship"), "praktika placement"),
    (("di", "ai", "chatgpt"), "dirbtinis intelektas AI"),
    (("dalim", "kartus", "instalment", "installment"), "dalimis instalments"),
    (
        ("autiz", "autism", "negal", "disab", "adhd", "dysle", "disle"),
        "specialiųjų ugdymosi poreikių special needs",
    ),
    (("primin", "remind"), "priminimas reminder"),
    (
        ("slaug", "nursing", "nurse", "caregiv", "senel", "elderly"),
        "socialinio darbuotojo padėjėjas social worker assistant",
    ),
    (("nuotol", "distance", "remote", "online"), "nuotoliu online"),
    (("velyk", "easter", "christmas", "sventes"), "atostogos holidays"),
    (("uzdar", "closing", "close"), "darbo laikas opening hours"),
    (("kulinar", "culinar"), "virėjas cook"),
    (("pastry", "konditer", "desert", "torta"), "konditeris confectioner"),
    (("bartend", "barmen", "koktei"), "barmenas bartender"),
    (("remont", "taisym", "repair"), "remontas taisymas repair"),
)

SYNONYMS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(fold(p) for p in prefixes), text) for prefixes, text in _TABLE if text
)


# Short beginnings ("auto", "di") would start unrelated words: they match
# only the whole word.
_PATTERNS = tuple(
    (word_pattern(prefixes, {p for p in prefixes if len(p) <= 4}), text)
    for prefixes, text in SYNONYMS
)


def expansions(word: str) -> list[str]:
    """Catalogue wordings for a folded question word, or none."""
    return [text for pattern, text in _PATTERNS if pattern.match(word)]
