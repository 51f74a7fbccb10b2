"""Typed menu words: "meniu", "kontaktai", "pagalba", "help" open that screen."""

from __future__ import annotations

from services.conversation.lexicon import Lexicon
from services.search.normalise import tokens

# The screens a learner can name, each the same one its button or command opens.
MAIN = "main"
PROGRAMMES = "programmes"
DRIVING = "driving"
TEACHERS = "teachers"
FAQ = "faq"
CONTACTS = "contacts"
HELP = "help"
LANGUAGE = "language"

# Every inflection is listed (not stemmed): "kalb*" would also take "kalbėti".
WORDS = Lexicon(
    {
        MAIN: """
            meniu menu menius meniuka pradzia pradzios pradzioj pradzioje start startas home
            restart pradeti pradek pradekime
        """,
        PROGRAMMES: """
            programos programu programas programa programoms programose programs programmes
            programme program kursai kursu kursus courses specialybes specialybiu
        """,
        "driving": """
            vairavimo vairavimas driving automokykla automokyklos automokyklai automokykloje
        """,
        "school": "mokykla mokyklos mokyklai mokykloje school",
        TEACHERS: "mokytojams mokytojai mokytoju mokytojui pedagogams teachers teacher",
        "faq": "duk faq faqs",
        "questions": "klausimai klausimu questions",
        "answers": "atsakymai atsakymu answers",
        CONTACTS: """
            kontaktai kontaktu kontaktus kontaktas kontaktams kontaktuose kontakta kontaktine
            kontaktines contacts contact
        """,
        HELP: "pagalba pagalbos pagalbai pagalbon help padekite padekit pagelbekite pagelbekit",
        LANGUAGE: """
            kalba kalbos kalbas kalbu kalbe kalbai language languages english angliskai
            lietuviskai
        """,
        # Around a screen's name: "pagrindinis meniu", "show contacts", "pakeisti kalbą".
        "filler": """
            pagrindinis pagrindini pagrindinio main rodyk rodyti parodyk parodykit parodykite
            atidaryk atidaryti atidarykit grizti grizk atgal eiti i show open go to back the my
            your us all list please prasau pls noriu pakeisti keisti pakeist change switch set
            in jusu visos mokymo informacija info ir and for renginiai events need reikia man me
            sarasas over again is naujo of
        """,
    }
)

# A screen is named by one word of its class or by these pairs, nothing else.
_PAIRS = {
    ("driving", "school"): DRIVING,
    ("questions", "answers"): FAQ,
}
_SINGLE = {
    MAIN: MAIN,
    PROGRAMMES: PROGRAMMES,
    "driving": DRIVING,
    TEACHERS: TEACHERS,
    "faq": FAQ,
    CONTACTS: CONTACTS,
    HELP: HELP,
    LANGUAGE: LANGUAGE,
}


def screen(text: str) -> str | None:
    """The screen a message names, when it says nothing else."""
    words = tokens(text)
    named: list[frozenset[str]] = []
    for word in words:
        classes = WORDS.lookup(word)
        if not classes:
            return None
        if "filler" not in classes:
            named.append(classes)
    if len(named) == 1:
        found = {_SINGLE[c] for c in named[0] if c in _SINGLE}
        return found.pop() if len(found) == 1 else None
    if len(named) == 2:
        for (first, second), name in _PAIRS.items():
            if first in named[0] and second in named[1]:
                return name
        # "pakeisti kalbą" has one screen word; "english language" names it twice.
        same = set.intersection(*(set(c) for c in named)) & set(_SINGLE)
        if len(same) == 1:
            return _SINGLE[same.pop()]
    return None
