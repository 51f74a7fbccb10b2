"""A learner asking for a person: "noriu kalbėti su žmogumi", "operator"."""

from __future__ import annotations

from services.conversation.lexicon import Lexicon
from services.search.normalise import content_tokens, tokens

WORDS = Lexicon(
    {
        # Who the learner wants (Lithuanian stems take every ending).
        "person": """
            direktor* zmog* zmones zmonem* operator* konsultant* darbuotoj* vadybinink*
            administrator* specialist* vadov* human humans person someone somebody anyone
            anybody operator agent staff representative manager people kazkuo kazkas kazka
            kazkam kazko administracij* rastin* sekretoriat* consultant* advis* support
            helpdesk
        """,
        # What they want to do with them.
        "talk": """
            kalbet* pakalbet* pasikalbet* pasisneket* paskambint* skambint* susirasinet*
            parasyt* sujunk* sujung* prijunk* perjunk* perduok* talk speak chat connect transfer
            call write reach contact
        """,
        # "A real person", "gyvas žmogus".
        "live": "gyv* tikr* real live actual",
        # Words that ask nothing by themselves.
        "filler": """
            noriu norime noreciau norec* galiu galima galeciau gal gali galit galite ar su kokiu
            nors kuo nenoriu nenorim nenoreciau ne not no bot* robot* is from
            mane man prasau please pls plz i want need would like can could may to with a an the
            me let get put through now dabar yra is there kas kita iskart don dont t do
            or ar arba
        """,
        # "Are you...": a question about the bot, not a request.
        "you": "tu jus esi esate you are r u",
    }
)


# The menu button's own label, typed: "Klausti centro", "Ask the centre".
BUTTON_LABELS = frozenset(
    {"klausti centro", "paklausti centro", "ask the centre", "ask the center"}
)


def request(text: str) -> tuple[bool, str | None]:
    """(asks for a person, the question to pass on when the message holds one)."""
    words = tokens(text)
    if " ".join(words) in BUTTON_LABELS:
        return True, None
    classes = [WORDS.lookup(w) for w in words]
    if not any("person" in c for c in classes):
        return False, None
    talk = any("talk" in c for c in classes)
    # "ar tu žmogus?", "are you a real person?": about the bot, unless they ask to talk.
    if any("you" in c and "person" not in c for c in classes) and not talk:
        return False, None
    rest = [c for c in classes if not c]
    if not talk and rest:
        # "kiek darbuotojų dirba centre" mentions staff but asks something else.
        return False, None
    known = {w for w, c in zip(words, classes, strict=True) if c}
    question = [w for w in content_tokens(text) if w not in known]
    return True, text if question else None
