"""A learner asking about their own registrations, lessons or enquiries:
"ar mano registracija patvirtinta?", "when is my next lesson?", "did you
answer my question?". The catalogue cannot answer these; the learner's own
screens can (/my_courses, /schedule, /my_enquiries).

Only what can mean nothing else counts: "my course" in "will the job centre
pay for my course?" asks about funding, "I'm registered with the employment
service" is not a registration here, and "where can I see my timetable?" is
answered by the catalogue's entry on reminders.
"""

from __future__ import annotations

from services.conversation.lexicon import Lexicon
from services.search.normalise import tokens

MY_COURSES = "my_courses"
SCHEDULE = "schedule"
MY_ENQUIRIES = "my_enquiries"

WORDS = Lexicon(
    {
        # Whose: the learner's own ("savo": one's own).
        "mine": "mano savo my",
        MY_COURSES: """
            registracij* registration registrations booking bookings waitlist eileje queue
        """,
        # A message of only these (and "mine"): "mano kursai", "my courses".
        "courses": "kursai kursu kursus kursas course courses grupe grupes group groups",
        "show": "show rodyk parodyk parodykit parodykite list sarasas",
        "registered": "uzregistruot* uzsiregistrav* registered enrolled",
        # "Noriu atšaukti registraciją", "cancel the seminar": only one's own
        # can be cancelled.
        "cancel": "atsaukt* atsauk* atsisakyt* atsisak* cancel cancelling withdraw",
        "seminar": "seminar* konferencij* mokym* training conference",
        SCHEDULE: """
            pamok* lesson lessons class classes uzsiemim* paskait* session sessions
        """,
        "when": "kada kelinta kelintos when time",
        MY_ENQUIRIES: "paklausim* uzklaus* enquiry enquiries inquiry inquiries",
        "question": "klausim* question questions zinut* message messages laisk*",
        # The answer asked about has (or has not) come: past forms only ("how
        # soon will they answer my question?" asks how enquiries work).
        "answered": "answered replied atsakete atsaket atsake neatsak* negav*",
        # How something is done, or money: "how do I pay for my registration?",
        # "kokių dokumentų reikia mano registracijai?", "get my money back"
        # ask how things work, which the catalogue answers.
        "how": """
            kaip kokiu kokie kokia koks kokius kiek how what which pinig* money refund
            grazin* moket* apmoket* sumoket* pay paid dokument* documents
        """,
    }
)

# "Am I registered?", "ar aš užsiregistravęs?": a yes-or-no about oneself.
_ABOUT_ME = (("am", "i"), ("did", "i"), ("have", "i"), ("ar", "as"), ("ar", "esu"), ("ar", "mane"))
# "Mano registracija", "my next lesson": what is owned follows closely;
# "mano sūnus nori į kursus" (my son wants courses) is not about one's own.
WINDOW = 2


# "What are my registrations?", "kokios yra mano registracijos?": a question
# word asking for one's own things, not how something works.
_WHAT = frozenset("what which koks kokia kokie kokios".split())
_ARE = frozenset("are is yra".split())


def _what_are_mine(words: tuple[str, ...] | list[str]) -> bool:
    return (
        len(words) >= 3
        and words[0] in _WHAT
        and words[1] in _ARE
        and "mine" in WORDS.lookup(words[2])
    )


def screen(text: str) -> str | None:
    """The learner's own screen the message asks about, or None."""
    words = tokens(text)
    classes = [WORDS.lookup(w) for w in words]

    def has(name: str) -> bool:
        return any(name in c for c in classes)

    if has("how") and not _what_are_mine(words):
        return None

    owned: set[str] = set()
    for i, found in enumerate(classes):
        if "mine" in found:
            for after in classes[i + 1 : i + 1 + WINDOW]:
                owned |= after
    # "Did you answer my question?" asks about an answer that should have come.
    answered = has("answered") or (words[:1] in (("did",), ("have",)) and "answer" in words)
    if MY_ENQUIRIES in owned or ("question" in owned and answered):
        return MY_ENQUIRIES
    if SCHEDULE in owned and has("when"):
        return SCHEDULE
    if MY_COURSES in owned:
        return MY_COURSES
    if has("cancel") and (has(MY_COURSES) or has("courses") or has("seminar")):
        return MY_COURSES
    if has("registered") and tuple(words[:2]) in _ABOUT_ME:
        return MY_COURSES
    only_courses = all(c & {"mine", "courses", "show"} for c in classes)
    if owned & {"courses"} and only_courses:
        return MY_COURSES
    return None
