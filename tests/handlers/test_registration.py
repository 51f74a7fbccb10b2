""" "Register" on a card: the programme and group are written out for the
learner, who is asked for a name and phone number for the centre to call back."""

from __future__ import annotations

from typing import Any

from services.container import Services
from tests.handlers.conftest import Chat, buttons

GROUP = "driving-b-2027-01-evening"


def keyboard(message: dict[str, Any]) -> list[str]:
    # Telegram does not echo a reply keyboard in the message: the emulator keeps it.
    rows = (message.get("sent_reply_markup") or {}).get("keyboard") or []
    return [b["text"] if isinstance(b, dict) else b for row in rows for b in row]


async def test_register_for_a_group_prefills_it_and_asks_for_name_and_phone(
    learner: Chat, services: Services
) -> None:
    programme, _group = services.catalogue.view.groups[GROUP]
    [menu] = await learner.say("/start")
    [groups] = await learner.press_data(menu["message_id"], f"1|g|{programme.id}")
    label = "Registruotis: grupė nuo sausio 11 d."
    assert label in buttons(groups), buttons(groups)
    [ask] = await learner.press(groups, label)
    title = programme.title.get("lt")
    assert ask["text"].startswith(
        f"Noriu registruotis į programą „{title}“, grupę nuo 2027 m. sausio 11 d."
    )
    assert "darbuotojai jums paskambins" in ask["text"]
    assert "vardą ir telefono numerį" in ask["text"]
    assert keyboard(ask) == ["Pasidalyti telefono numeriu", "Praleisti"]
    # Name and phone typed: on to consent and the confirmation, text kept.
    [thanks, consent] = await learner.say("Ona Onaitė 8 612 34567")
    assert thanks["text"].startswith(
        "Ačiū: darbuotojai galės jums paskambinti numeriu +37061234567 arba atsakyti čia"
    )
    [confirm] = await learner.press(consent, "Sutinku")
    assert "grupę nuo 2027 m. sausio 11 d." in confirm["text"]
    assert "Ona Onaitė, +37061234567" in confirm["text"]
    [sent] = await learner.press(confirm, "Siųsti")
    assert sent["text"].startswith("Ačiū! Jūsų užklausos numeris")
    [enquiry] = (await services.privacy.export(learner.user_id))["enquiries"]
    assert enquiry["programme_id"] == programme.id and enquiry["phone"] == "+37061234567"


async def test_register_from_a_card_in_english_names_the_programme(
    english_learner: Chat, services: Services
) -> None:
    programme, _group = services.catalogue.view.groups[GROUP]
    [menu] = await english_learner.say("/start")
    [card] = await english_learner.press_data(menu["message_id"], f"1|p|{programme.id}")
    register = [b for b in buttons(card) if b.startswith("Register")]
    assert register
    [ask] = await english_learner.press(card, register[0])
    assert ask["text"].startswith(f"I would like to register for {programme.title.get('en')}")
    assert "staff will call you back" in ask["text"]


async def test_an_old_register_button_still_works(learner: Chat, services: Services) -> None:
    programme, _group = services.catalogue.view.groups[GROUP]
    [menu] = await learner.say("/start")
    [ask] = await learner.press_data(menu["message_id"], f"1|Q|p|{programme.id}")
    assert ask["text"].startswith("Noriu registruotis į programą")


async def test_words_typed_at_the_confirmation_go_into_the_enquiry(
    learner: Chat, services: Services
) -> None:
    programme, _group = services.catalogue.view.groups[GROUP]
    [menu] = await learner.say("/start")
    [_ask] = await learner.press_data(menu["message_id"], f"1|Q|p|{programme.id}")
    [_thanks, consent] = await learner.say("Ona Onaitė 8 612 34567")
    # Typed at the consent: kept, and the consent asked again.
    [added, again] = await learner.say("Ar galima pradėti vairuoti anksčiau?")
    assert added["text"] == "Pridėta prie jūsų užklausos."
    assert again["text"] == consent["text"]
    [confirm] = await learner.press(again, "Sutinku")
    assert "Ar galima pradėti vairuoti anksčiau?" in confirm["text"]
    # And at the confirmation: the enquiry shown again with both.
    [added, confirm] = await learner.say("Galiu tik vakarais.")
    assert added["text"] == "Pridėta prie jūsų užklausos."
    assert "Ar galima pradėti vairuoti anksčiau?\n\nGaliu tik vakarais." in confirm["text"]
    # An addition that would not fit is refused whole, with the count.
    [refused] = await learner.say("ž" * 1990)
    assert "būtų 2" in refused["text"] and "ženkl" in refused["text"]
    [_sent] = await learner.press(confirm, "Siųsti")
    [enquiry] = (await services.privacy.export(learner.user_id))["enquiries"]
    assert enquiry["text"].startswith("Noriu registruotis į programą")
    assert enquiry["text"].endswith("Ar galima pradėti vairuoti anksčiau?\n\nGaliu tik vakarais.")
