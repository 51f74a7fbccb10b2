"""What the bot does before it searches the catalogue, through the handlers:
small talk, typed screen names, a request for a person, other languages."""

from __future__ import annotations

from bot.application import VtcApplication
from emulator import BotApiEmulator
from services.container import Services
from storage import question_log_repo
from tests.handlers.conftest import Chat, buttons
from texts import cards, menus
from texts.i18n import translator
from texts.reply import plain

PHONE = "+370 315 00000 (DEMO)"


async def _logged(services: Services) -> int:
    async with services.db.reader.execute("SELECT COUNT(*) FROM question_log") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def test_lithuanian_small_talk_gets_a_friendly_reply_not_a_card(
    learner: Chat, services: Services
) -> None:
    replies = {
        "labas vakaras": "Labas vakaras!",
        "Labas rytas": "Labas rytas!",
        "laba diena": "Laba diena!",
        "lbas": "Sveiki!",
        "labas rytas, kaip sekasi?": "Labas rytas! Man puikiai, ačiū, kad klausiate!",
        "kaip sekasi": "Man puikiai, ačiū, kad klausiate!",
        "ačiū labai": "Prašom!",
        "aciu": "Prašom!",
        "viso gero": "Iki!",
        "ar tu robotas?": "Esu centro pokalbių asistentas – programa, ne žmogus.",
        "papasakok anekdota": "Štai vienas.",
    }
    for said, expected in replies.items():
        [reply] = await learner.say(said)
        assert reply["text"].startswith(expected), (said, reply["text"])
        # No catalogue card: neither a price nor a programme's duration.
        assert "Kaina" not in reply["text"] and "Trukmė" not in reply["text"], said
    [evening] = await learner.say("labas vakaras")
    assert "Programos" in buttons(evening)  # greeted back with the main menu
    [bot] = await learner.say("ar tu robotas")
    assert buttons(bot) == ["Klausti centro"]
    # Small talk is not a question the bot failed to answer.
    assert await _logged(services) == 0


async def test_english_small_talk_gets_a_friendly_reply(
    english_learner: Chat, services: Services
) -> None:
    replies = {
        "good morning": "Good morning!",
        "Good evening!": "Good evening!",
        "hello": "Hello! I am the chat assistant",
        "how are you?": "I am fine, thank you for asking!",
        "hi, how are you doing": "Hello! I am fine",
        "thanks a lot": "You are welcome!",
        "bye": "Goodbye!",
        "are you a robot?": "I am the centre's chat assistant: a program, not a person.",
        "tell me a joke": "Here is one.",
    }
    for said, expected in replies.items():
        [reply] = await english_learner.say(said)
        assert reply["text"].startswith(expected), (said, reply["text"])
        assert "Price" not in reply["text"], said
    assert await _logged(services) == 0


async def test_a_greeting_with_a_question_goes_to_the_catalogue(
    learner: Chat, services: Services
) -> None:
    [reply] = await learner.say("labas, kiek kainuoja B kategorija?")
    assert not reply["text"].startswith("Sveiki!")
    assert await _logged(services) == 1


async def test_typed_screen_names_open_the_screens_their_buttons_open(
    learner: Chat, english_learner: Chat, services: Services
) -> None:
    view = services.catalogue.view
    lt, en = translator("lt"), translator("en")
    main = menus.main_menu(lt, view)
    screens = {
        "meniu": main,
        "menius": main,
        "Pagrindinis meniu": main,
        "pradžia": main,
        "pradzia": main,
        "Pradėkime iš naujo": main,
        "programos": menus.kinds_menu(lt, view),
        "programu": menus.kinds_menu(lt, view),
        "vairavimo mokykla": menus.programme_list(lt, view, "driving", "-", 0),
        "mokytojams": menus.programme_list(lt, view, "teacher", "-", 0),
        "DUK": menus.faq_topics(lt, view),
        "kalba": menus.language_menu(lt),
        "kalbą": menus.language_menu(lt),
    }
    contacts = plain(cards.contacts_text(lt, view.catalogue.centre))
    for said, screen in screens.items():
        [reply] = await learner.say(said)
        assert reply["text"] == plain(screen.text), said
        assert buttons(reply) == [b.label for row in screen.buttons for b in row], said
    for said in ("kontaktai", "kontaktu", "kontaktus", "Kontaktai!"):
        [reply] = await learner.say(said)
        assert reply["text"] == contacts and PHONE in reply["text"], said
        assert buttons(reply) == ["Klausti centro", "« Atgal"]
    for said in ("pagalba", "pagalbos"):
        [reply] = await learner.say(said)
        assert reply["text"] == menus.help_text(lt), said
    english = {
        "menu": menus.main_menu(en, view).text,
        "start": menus.main_menu(en, view).text,
        "start over": menus.main_menu(en, view).text,
        "help": menus.help_text(en),
        "contacts": plain(cards.contacts_text(en, view.catalogue.centre)),
        "language": menus.language_menu(en).text,
    }
    for said, text in english.items():
        [reply] = await english_learner.say(said)
        assert reply["text"] == text, said
    # A screen's name is not a question nobody answered.
    assert await _logged(services) == 0


async def test_asking_for_a_person_starts_an_enquiry(
    learner: Chat, english_learner: Chat, services: Services
) -> None:
    for said in ("Noriu kalbėti su žmogumi", "sujunkit su operatorium", "gyvas žmogus"):
        [reply] = await learner.say(said)
        # The enquiry's first step, as the "Ask the centre" button starts it.
        assert reply["text"] == "Apie ką jūsų klausimas?", said
        assert "Vairavimo mokykla" in buttons(reply) and "Atšaukti" in buttons(reply)
        draft, _expired = await services.enquiries.draft(learner.user_id)
        assert draft is not None and draft.step == "topic" and draft.text is None
        await services.enquiries.cancel(learner.user_id)
    for said in ("can I talk to someone", "operator", "human please", "real person"):
        [reply] = await english_learner.say(said)
        assert reply["text"] == "What is your question about?", said
        await services.enquiries.cancel(english_learner.user_id)


async def test_a_question_asked_with_the_request_for_a_person_is_carried_over(
    learner: Chat, services: Services
) -> None:
    asked = "noriu kalbėti su žmogumi apie kainas"
    [contact] = await learner.say(asked)
    # The question is known: the enquiry goes straight to the contact step.
    assert contact["text"].startswith("Ar norite, kad darbuotojai galėtų jums paskambinti?")
    draft, _expired = await services.enquiries.draft(learner.user_id)
    assert draft is not None and draft.text == asked
    [skipped, consent] = await learner.say("Praleisti")
    # Not a bare "Thank you": what happens next, now that there is no phone.
    assert skipped["text"].startswith("Gerai, be telefono numerio: darbuotojai atsakys jums čia")
    assert "liko vienas žingsnis" in skipped["text"]
    [confirm] = await learner.press(consent, "Sutinku")
    assert asked in confirm["text"] and "Siųsti" in buttons(confirm)


def _chat(offline_app: tuple[VtcApplication, BotApiEmulator], user_id: int, code: str) -> Chat:
    app, emu = offline_app
    return Chat(app, emu, user_id, code)


async def test_russian_and_ukrainian_get_the_languages_contacts_and_a_way_to_staff(
    offline_app: tuple[VtcApplication, BotApiEmulator], services: Services
) -> None:
    written = {"ru": (2003, "Где вы находитесь?"), "uk": (2004, "Скільки коштує курс?")}
    for code, (user_id, text) in written.items():
        chat = _chat(offline_app, user_id, code)
        [reply] = await chat.say(text)
        assert "🇬🇧 I can answer only in Lithuanian and English." in reply["text"]
        assert "🇱🇹 Galiu atsakyti tik lietuvių ir anglų kalbomis." in reply["text"]
        assert PHONE in reply["text"] and "Adresas:" in reply["text"]
        assert buttons(reply) == ["Ask the centre · Klausti centro"]
        # Staff can answer in any language: the button starts an enquiry with the question.
        await chat.press(reply, "Ask the centre · Klausti centro")
        draft, _expired = await services.enquiries.draft(user_id)
        assert draft is not None and draft.text == text
    unanswered = await question_log_repo.unanswered(services.db.reader)
    assert {(q.text, q.detected_lang) for q in unanswered} == {
        ("Где вы находитесь?", "ru"),
        ("Скільки коштує курс?", "uk"),
    }


async def test_emoji_alone_is_asked_for_words(learner: Chat) -> None:
    [reply] = await learner.say("🙂")
    assert reply["text"] == "Parašykite savo klausimą žodžiais."
    # The one katakana letter of a shrug is not Japanese.
    [shrug] = await learner.say("¯\\_(ツ)_/¯")
    assert shrug["text"] == "Parašykite savo klausimą žodžiais.", shrug["text"]


async def test_words_typed_at_the_topic_step_are_the_question_not_dropped(
    learner: Chat, services: Services
) -> None:
    [topic] = await learner.say("Noriu kalbėti su žmogumi")
    assert topic["text"] == "Apie ką jūsų klausimas?"
    complaint = "noriu pateikti skundą dėl vairavimo instruktoriaus"
    [contact] = await learner.say(complaint)
    # Kept as the question, under "Something else", and the next step asked.
    assert contact["text"].startswith("Ar norite, kad darbuotojai galėtų jums paskambinti?")
    draft, _expired = await services.enquiries.draft(learner.user_id)
    assert draft is not None and draft.text == complaint and draft.topic == "other"


async def test_words_typed_at_the_phone_step_join_the_enquiry(
    offline_app: tuple[VtcApplication, BotApiEmulator], services: Services
) -> None:
    chat = _chat(offline_app, 2005, "uk")
    [notice] = await chat.say("Скільки коштує курс?")
    await chat.press(notice, "Ask the centre · Klausti centro")
    more = "Хочу записатися на курси литовської мови, я живу в Алітусі"
    replies = await chat.say(more)
    # Not "this does not look like a phone number" and lost: added, then the
    # phone number is asked for again.
    assert replies[0]["text"] == "Pridėta prie jūsų užklausos."
    assert replies[-1]["text"].startswith("Ar norite, kad darbuotojai galėtų jums paskambinti?")
    draft, _expired = await services.enquiries.draft(2005)
    assert draft is not None and draft.text is not None and more in draft.text
    assert draft.step == "contact"
    # A mistyped number is still a mistyped number, and a goodbye is not
    # part of the question.
    for typed in ("86123x", "ačiū, viso gero"):
        [bad] = await chat.say(typed)
        assert bad["text"].startswith("Tai nepanašu į telefono numerį"), typed
    draft, _expired = await services.enquiries.draft(2005)
    assert draft is not None and draft.text is not None and "viso gero" not in draft.text


async def test_laughter_and_complaints_get_a_reply_and_are_not_logged_as_questions(
    learner: Chat, services: Services
) -> None:
    [laugh] = await learner.say("haha")
    assert laugh["text"].startswith("😄 Ką norėtumėte sužinoti")
    for said in ("tu durnas", "blogai atsakei"):
        [sorry] = await learner.say(said)
        assert sorry["text"].startswith("Atsiprašau, kad nepadėjau."), said
        assert buttons(sorry) == ["Klausti centro"]
    # Staff's unanswered log holds questions, not laughter or insults.
    assert await _logged(services) == 0


async def test_seasons_greetings_are_returned(learner: Chat, english_learner: Chat) -> None:
    [lt] = await learner.say("Linksmų Kalėdų!")
    assert lt["text"].startswith("Ir jums gražių švenčių!")
    assert "Programos" in buttons(lt)
    [en] = await english_learner.say("merry christmas")
    assert en["text"].startswith("Happy holidays to you too!")
