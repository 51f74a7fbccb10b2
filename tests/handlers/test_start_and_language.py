"""/start, /help and /language as a learner sees them."""

from __future__ import annotations

from bot.application import VtcApplication
from emulator import BotApiEmulator
from tests.conftest import ADMIN_ID
from tests.handlers.conftest import Chat, buttons


async def test_start_greets_in_lithuanian_with_the_menu(learner: Chat) -> None:
    [reply] = await learner.say("/start")
    assert reply["text"].startswith("Sveiki!")
    assert buttons(reply) == [
        "Programos",
        "Vairavimo mokykla",
        "Mokytojams",
        "Klausimai ir atsakymai",
        "Kontaktai",
        "Kalba",
        "Klausti centro",
    ]


async def test_start_follows_telegram_language_when_english(english_learner: Chat) -> None:
    [reply] = await english_learner.say("/start")
    assert reply["text"].startswith("Hello!")
    assert "Driving school" in buttons(reply)


async def test_unsupported_telegram_language_falls_back_to_lithuanian(learner: Chat) -> None:
    learner.language_code = "de"
    [reply] = await learner.say("/start")
    assert reply["text"].startswith("Sveiki!")


async def test_language_choice_is_remembered_over_telegram_language(learner: Chat) -> None:
    [menu] = await learner.say("/language")
    [changed] = await learner.press(menu, "English")
    assert changed["text"].startswith("Language changed.")
    # Telegram still says "lt", but the learner chose English.
    [reply] = await learner.say("/start")
    assert reply["text"].startswith("Hello!")
    [menu] = await learner.say("/language")
    assert buttons(menu) == ["Lietuvių", "✓ English (chosen)"]
    [back] = await learner.press(menu, "Lietuvių")
    assert back["text"].startswith("Kalba pakeista.")


async def test_language_button_in_main_menu(english_learner: Chat) -> None:
    [menu] = await english_learner.say("/start")
    [languages] = await english_learner.press(menu, "Language")
    assert buttons(languages) == ["Lietuvių", "✓ English (chosen)"]


async def test_help_lists_what_the_bot_does(english_learner: Chat) -> None:
    [reply] = await english_learner.say("/help")
    assert "driving school" in reply["text"]
    assert "/language" in reply["text"]


async def test_unknown_command_points_to_help(learner: Chat) -> None:
    [reply] = await learner.say("/nera_tokios")
    assert "/help" in reply["text"]
    assert "nežinau" in reply["text"]


LEARNER_COMMANDS = (
    "/start", "/help", "/language", "/schedule", "/reminders", "/settings", "/my_enquiries",
    "/cancel", "/privacy", "/my_data", "/forget",
)  # fmt: skip


async def test_help_lists_every_learner_command_one_line_each(english_learner: Chat) -> None:
    [reply] = await english_learner.say("/help")
    lines = reply["text"].splitlines()
    for command in LEARNER_COMMANDS:
        [line] = [x for x in lines if x.startswith(command + " – ")]
        assert len(line) > len(command) + 5, line
    assert "/privacy – Your data and this bot" in lines
    # Staff commands are not a learner's business.
    assert "/broadcast" not in reply["text"] and "/staff" not in reply["text"]


async def test_help_in_lithuanian_names_the_commands_in_lithuanian(learner: Chat) -> None:
    [reply] = await learner.say("/help")
    assert "/forget – Ištrinti savo duomenis" in reply["text"].splitlines()


async def test_help_shows_an_admin_their_own_commands(learner: Chat) -> None:
    admin = Chat(learner.app, learner.emu, ADMIN_ID, "en")
    [reply] = await admin.say("/help")
    text = reply["text"]
    assert "For the centre's staff:" in text
    for command in ("/broadcast – ", "/broadcasts – ", "/admin – ", "/staff_grant – "):
        assert command in text


async def test_the_command_names_people_guess_work_too(learner: Chat) -> None:
    for command in ("/lang", "/kalba"):
        [menu] = await learner.say(command)
        assert buttons(menu) == ["✓ Lietuvių (pasirinkta)", "English"], command
    [help_text] = await learner.say("/pagalba")
    assert "/language" in help_text["text"]
    for command in ("/menu", "/meniu"):
        [main] = await learner.say(command)
        assert "Programos" in buttons(main), command


async def test_a_learner_whose_telegram_speaks_neither_language_is_answered_as_they_write(
    offline_app: tuple[VtcApplication, BotApiEmulator],
) -> None:
    app, emu = offline_app
    russian_app = Chat(app, emu, 2077, "ru")
    [greeting] = await russian_app.say("/start")
    assert greeting["text"].startswith("Sveiki!")  # no choice yet: Lithuanian
    question = "hi, I want to become an electrician, what do you offer?"
    [answer] = await russian_app.say(question)
    assert "Electrician" in answer["text"], answer["text"][:200]
    [menu] = await russian_app.say("/start")
    assert menu["text"].startswith("Hello!")  # remembered, and /language still changes it
    # A Lithuanian app's learner writing English is still answered in Lithuanian.
    lithuanian_app = Chat(app, emu, 2078, "lt")
    [lt_answer] = await lithuanian_app.say(question)
    assert "Elektrikas" in lt_answer["text"], lt_answer["text"][:200]
