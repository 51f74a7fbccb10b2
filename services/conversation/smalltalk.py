"""Messages that are not questions: greetings, "how are you", thanks, goodbyes,
"are you a bot?", a request for a joke.

Each word of the message is given a class (with typos and missing diacritics
forgiven); the message is small talk only when every word is small talk, so
"labas, kiek kainuoja B kategorija?" stays a question with a greeting in front.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA

from services.conversation.lexicon import Lexicon
from services.search.normalise import tokens

GREETING = "greeting"
HOW_ARE_YOU = "how_are_you"
THANKS = "thanks"
BYE = "bye"
BOT = "bot"
JOKE = "joke"
NOISE = "noise"
LAUGH = "laugh"
# "tu durnas", "the answer was wrong": the learner is unhappy with the bot.
COMPLAINT = "complaint"

MORNING, DAY, EVENING = "morning", "day", "evening"
# Not a time of day but greeted back the same way: "Linksmų Kalėdų!"
SEASON = "season"

WORDS = Lexicon(
    {
        "hello": """
            labas labukas labutis sveiki sveikas sveika sveikutis sveikutes sveikinu sveikinimai
            hello hi hey hiya heyo yo hallo helo howdy greetings sup wassup labryt labrytis
            labvakar
        """,
        # Season's greetings ("linksmų Kalėdų", "happy new year") are a wish
        # and a season together, answered as a greeting; "Kalėdos?" or
        # "kokių metų?" alone are questions.
        "wish_season": "linksmu linksmo laimingu grazių grazu merry happy su",
        "season": """
            kaledu kaledom sventem sventemis svenciu naujuju naujaisiais metu christmas xmas
            year new
        """,
        # "laba diena", "good morning": greetings only with a time of day.
        "good": "laba labas good geras gera",
        MORNING: "rytas ryta ryto morning labryt labrytis",
        DAY: "diena afternoon day",
        EVENING: "vakaras vakare evening labvakar",
        "night": "naktis nakties night labanakt labanaktis labanaktes",
        # "Geros dienos!", "gero vakaro", "have a nice day": said when leaving.
        "wish": """
            geros gero geru labos grazios grazaus smagios smagaus saunios dienos vakaro
            savaitgalio have nice
        """,
        "how": "kaip how hows kaipsekasi",
        "what": "kas ka koks kokia who what whats wat",
        "fare": """
            sekasi sekas einasi gyveni gyvenat gyvenate gyvuoji laikaisi laikotes reikalai veiki
            veikiat veikiate naujo girdet doing going up kaipsekasi new
        """,
        "you": "tu jus tau jums tave esi esate you u ya your tavo jusu yourself",
        "bot": """
            robot* bot bota botas botai botu chatbot chatbotas pokalbiu ai dirbtinis dirbtinio
            intelektas intelekto machine masina computer kompiuteris program programa zmogus
            zmogum human person real gyvas gyva tikras tikra alive
        """,
        "name": "vardas vardu name vadinies vadinates called",
        "joke": """
            anekdot* juokel* juokinga* prajuokink* pajuokauk* joke jokes funny laugh humoro
            humor
        """,
        # "chacha" (folded "caca"): "cha*" alone folds to "ca*", which took "cancel", "car".
        LAUGH: "haha* hehe* lol lmao rofl xd xdd jaja* chacha* ahaha*",
        COMPLAINT: """
            durn* kvail* debil* idiot* stupid dumb useless nenaudingas nenaudinga blogai blogas
            bloga neteisingai neteisingas klaidingai klaidingas negerai wrong bad terrible
            nesamone nesamones nonsense
        """,
        "thanks": """
            aciu dekui dekoju dekojame dekingas dekinga thanks thank thx ty tnx thanx cheers
            appreciate appreciated
        """,
        # "ok", "supratau": an acknowledgement, answered like thanks.
        "ack": """
            ok okay okey oki gerai supratau aisku puiku super great cool fine perfect got it
            understood awesome nuostabu saunu
        """,
        "bye": """
            viso iki sudie bye goodbye byebye ate atia pasimatysim pasimatymo later see cya
            sudiev
        """,
        # Words that add nothing: "ačiū labai", "thank you very much", "papasakok anekdotą".
        "filler": """
            labai very much so a an the and ir o na nu too really lot alot dar karta again man me
            to for is are am r ar do does can could would please prasau pls plz all visiems drauge
            bro buddy mate dear mielas miela one koki kokiu nors any some uz pagalba help atsakyma
            atsakymus answer answers papasakok papasakokit papasakokite pasakyk pasakykit
            pasakykite tell say make know zinai zinot moki with yra tai cia there of ten s m
            or arba this was were atsakei atsakymas atsakyma atsakymai visai
            totally absolutely
        """,
    }
)


@dataclass(frozen=True)
class SmallTalk:
    kind: str
    time_of_day: str | None = None  # the greeting's, to echo it: "Labas vakaras!"
    greeted: bool = False  # "labas, kaip sekasi?" greets before asking


def _has(classes: list[frozenset[str]], name: str) -> bool:
    return any(name in c for c in classes)


# "Than you", "tank you": an English word one slip from "thank" is left as
# itself elsewhere ("tank" is not "thank"), but in front of "you" it is thanks.
_THANK = "thank"
_YOU = frozenset({"you", "u", "ya"})


def _thank_slips(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        _THANK
        if i + 1 < len(words) and words[i + 1] in _YOU and OSA.distance(w, _THANK) <= 1
        else w
        for i, w in enumerate(words)
    )


def classify(text: str) -> SmallTalk | None:
    """What kind of small talk the message is, or None when it asks something."""
    words = _thank_slips(tokens(text))
    # Also true for emoji and punctuation only, and for an emoticon's one
    # letter ("ツ" of "¯\\_(ツ)_/¯").
    if all(w.isdigit() or (len(w) == 1 and not w.isascii()) for w in words):
        return SmallTalk(NOISE)
    classes = []
    for word in words:
        found = WORDS.lookup(word)
        if not found:
            return None  # a word that is not small talk: a question
        classes.append(found)
    times = [t for t in (MORNING, DAY, EVENING) if _has(classes, t)]
    time_of_day = times[0] if len(times) == 1 else None
    season = _has(classes, "wish_season") and _has(classes, "season")
    greeted = (
        _has(classes, "hello") or season or (_has(classes, "good") and time_of_day is not None)
    )
    if season and time_of_day is None:
        time_of_day = SEASON
    kind = _kind(classes, greeted)
    if kind is None:
        return None
    return SmallTalk(kind, time_of_day if greeted else None, greeted and kind != GREETING)


def _kind(classes: list[frozenset[str]], greeted: bool) -> str | None:
    def has(name: str) -> bool:
        return _has(classes, name)

    if has(COMPLAINT):
        return COMPLAINT
    if has("joke"):
        return JOKE
    # "ar tu robotas?", "koks tavo vardas?", "who are you?"
    if has("you") and (has("bot") or has("name") or (has("what") and not has("fare"))):
        return BOT
    if (has("how") or has("what")) and (has("fare") or has("you")):
        return HOW_ARE_YOU
    if has("bye") or has("night") or (has("wish") and not greeted):
        return BYE
    if has("thanks") or has("ack"):
        return THANKS
    if greeted:
        return GREETING
    if has(LAUGH):
        return LAUGH
    return None
