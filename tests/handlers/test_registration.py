""" "Register" on a card: the programme and group are written out for the
learner, who is asked for a name and phone number for the centre to call back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.clock import FixedClock
from services.container import Services
from tests.handlers.conftest import Chat, buttons

GROUP = "driving-b-2027-01-evening"


def keyboard(message: dict[str, Any]) -> list[str]:
    # Telegram does not echo a reply keyboard in the message: the emulator keeps it.
    rows = (message.get("sent_reply_markup") or {}).get("keyboard") or []
    return [b["text"] if isinstance(b, dict) else b for row in rows for b in row]


async def test_register_for_a_group_asks_the_fields_payment_consent_and_gives_a_number(
    english_learner: Chat, services: Services
) -> None:
    programme, _group = services.catalogue.view.groups[GROUP]
    [menu] = await english_learner.say("/start")
    [groups] = await english_learner.press_data(menu["message_id"], f"1|g|{programme.id}")
    label = "Join the waiting list: group from 11 Jan"
    assert label in buttons(groups), buttons(groups)
    # The demo group is full: the learner knows before typing anything.
    [full, ask] = await english_learner.press(groups, label)
    assert full["text"].startswith("This group is full. Register to join its waiting list")
    assert "Your first name and surname?" in ask["text"]
    [phone] = await english_learner.say("Ona Onaitė")
    assert phone["text"] == "Your phone number?"
    [wrong] = await english_learner.say("not a phone")
    assert wrong["text"].startswith("That is not a phone number")
    # A letter typed into digits is a typo, never read as a keypad letter.
    [typo] = await english_learner.say("861234568x")
    assert typo["text"].startswith("That is not a phone number")
    [pay] = await english_learner.say("8 612 34567")
    assert pay["text"] == "Who will pay for the course?"
    [invoice] = await english_learner.press(pay, "My employer pays")
    assert "invoice details" in invoice["text"]
    # Invoice details name payments and codes: they are the answer, not a question.
    details = "UAB Pavyzdys, įmonės kodas 123456789, PVM mokėtojo kodas LT123456789"
    [consent] = await english_learner.say(details)
    assert "/privacy" in consent["text"]
    [summary] = await english_learner.press(consent, "I agree")
    assert "Name: Ona Onaitė" in summary["text"] and "Phone: +37061234567" in summary["text"]
    assert buttons(summary) == ["Confirm", "Edit", "Cancel"]
    [done] = await english_learner.press(summary, "Confirm")
    [made] = await services.registrations.list_for_user(english_learner.user_id)
    # The demo group is full: the learner is told their place in line.
    assert done["text"].startswith(
        f"The group is full, so you are on the waiting list (registration number {made.id})"
    )
    assert done["text"].endswith("You are number 1 in line.")
    assert made.payment == "employer" and made.payment_details == {"invoice": details}
    # A second tap on the same Confirm makes nothing new.
    confirm = summary["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert await english_learner.press_data(summary["message_id"], confirm) == []
    assert len(await services.registrations.list_for_user(english_learner.user_id)) == 1
    [mine] = await english_learner.say("/my_courses")
    assert (
        f"{made.id}." in mine["text"]
        and "on the waiting list. You are number 1 in line." in mine["text"]
    )
    # Opening the group again says the learner is registered, and asks nothing.
    [again] = await english_learner.say(f"/start reg-{GROUP}")
    assert again["text"] == (
        f"You are already registered for this group, number {made.id}. See /my_courses."
    )
    assert await services.registrations.drafts.get(english_learner.user_id) is None
    [sure] = await english_learner.press(mine, f"Cancel registration {made.id}")
    # On the waiting list there is no seat to give up; "No" keeps it.
    assert sure["text"] == f"Cancel registration {made.id}? You leave the waiting list."
    assert buttons(sure) == ["Yes, cancel it", "No, keep it"]
    [kept] = await english_learner.press(sure, "No, keep it")
    assert kept["text"] == f"Registration {made.id} stays as it was."
    [mine] = await english_learner.say("/my_courses")
    [sure] = await english_learner.press(mine, f"Cancel registration {made.id}")
    [cancelled] = await english_learner.press(sure, "Yes, cancel it")
    assert cancelled["text"] == f"Registration {made.id} is cancelled."
    # The list's old Cancel button asks nothing more.
    [closed] = await english_learner.press(mine, f"Cancel registration {made.id}")
    assert closed["text"] == f"Registration {made.id} was already closed."


async def test_the_deep_link_to_a_closed_or_unknown_group_says_why(
    english_learner: Chat, services: Services, clock: FixedClock
) -> None:
    [unknown, menu] = await english_learner.say("/start reg-no-such-group")
    assert "Main menu" in menu["text"] or buttons(menu)
    assert unknown["text"].startswith("There is no such group")
    clock.at = dt.datetime(2027, 1, 15, 9, 0, tzinfo=dt.UTC)
    [closed, card] = await english_learner.say("/start reg-pd-digital-didactics-2027-01")
    assert closed["text"].startswith("Registration for this group is closed: the deadline")
    assert "Digital didactics" in card["text"]
    clock.at = dt.datetime(2027, 1, 19, 9, 0, tzinfo=dt.UTC)
    [started, _card] = await english_learner.say("/start reg-pd-digital-didactics-2027-01")
    assert "the group has started" in started["text"]


async def test_register_from_a_card_in_english_names_the_programme(
    english_learner: Chat, services: Services
) -> None:
    programme, _group = services.catalogue.view.groups[GROUP]
    [menu] = await english_learner.say("/start")
    [card] = await english_learner.press_data(menu["message_id"], f"1|p|{programme.id}")
    # Several open groups: the card leads to the groups, each with its Register.
    [groups] = await english_learner.press(card, "Register: choose a group")
    assert "Register: group from 1 Mar" in buttons(groups)
    # A programme with no group to join takes an enquiry that staff call back on.
    florist = services.catalogue.view.programmes["cont-florist"]
    [card] = await english_learner.press_data(menu["message_id"], f"1|p|{florist.id}")
    [ask] = await english_learner.press(card, "Register interest")
    assert ask["text"].startswith(f"I would like to register for {florist.title.get('en')}")
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
    # "ne" at the consent is an answer to its buttons, not words for staff.
    [buttons_please, again] = await learner.say("ne")
    assert buttons_please["text"] == "Pasirinkite vieną iš mygtukų žemiau."
    assert again["text"] == consent["text"]
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
    assert "\n\nne\n" not in enquiry["text"]


async def test_a_group_that_started_today_offers_no_register_button(
    english_learner: Chat, services: Services, clock: FixedClock
) -> None:
    # The periodic code 95 group starts on 7 December 2026.
    clock.at = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    [menu] = await english_learner.say("/start")
    [groups] = await english_learner.press_data(menu["message_id"], "1|g|driving-95-code")
    assert "Register: group from 7 Dec" not in buttons(groups)
    assert "Register: group from 1 Feb" in buttons(groups)


async def test_a_free_event_never_asks_who_pays(english_learner: Chat, services: Services) -> None:
    # The demo catalogue lets teachers' employers pay, but this event is free.
    event = "pd-digital-didactics-2027-01"
    programme, _group = services.catalogue.view.groups[event]
    assert programme.price_eur is None
    [prompt] = await english_learner.say(f"/start reg-{event}")
    for _ in range(6):
        assert "Who will pay" not in prompt["text"]
        if "/privacy" in prompt["text"]:
            break
        answer = "ona@example.com" if "mail" in prompt["text"] else "Ona Onaitė"
        [prompt] = await english_learner.say(answer)
    else:
        raise AssertionError("the consent step never came")
    [summary] = await english_learner.press(prompt, "I agree")
    assert "Price: free" in summary["text"] and "Payment" not in summary["text"]
    done = await english_learner.press(summary, "Confirm")
    [made] = await services.registrations.list_for_user(english_learner.user_id)
    assert f"{made.id}" in done[0]["text"]


async def _at_the_name_step(chat: Chat, services: Services) -> None:
    """The chat has pressed Register for the January B group (it is full: the
    bot says so) and is asked for a name."""
    programme, _group = services.catalogue.view.groups[GROUP]
    [menu] = await chat.say("/start")
    [groups] = await chat.press_data(menu["message_id"], f"1|g|{programme.id}")
    label = next(
        b
        for b in buttons(groups)
        if b.startswith(("Join the waiting list:", "Stoti į laukiančiųjų"))
    )
    [_full, ask] = await chat.press(groups, label)
    assert ask["text"].endswith(("Your first name and surname?", "Jūsų vardas ir pavardė?"))


async def test_a_question_typed_during_registration_is_answered_and_the_step_kept(
    english_learner: Chat, services: Services
) -> None:
    await _at_the_name_step(english_learner, services)
    # Not taken as the learner's name: answered, and the name asked again.
    [answer, again] = await english_learner.say("how much does it cost?")
    assert "690" in answer["text"], answer["text"]
    assert again["text"].startswith("Your registration is still open.")
    assert again["text"].endswith("Your first name and surname?")
    [not_a_name] = await english_learner.say("12345")
    assert not_a_name["text"].startswith("That does not look like a name.")
    [phone] = await english_learner.say("J. O'Neil-Onaitė")
    assert phone["text"] == "Your phone number?"
    [_pay] = await english_learner.say("8 612 34567")
    # While a button is awaited, a question is answered and the buttons come back.
    [answer, pay] = await english_learner.say("what documents do I need?")
    assert pay["text"].startswith("Your registration is still open.")
    assert "I pay myself" in buttons(pay)
    [consent] = await english_learner.press(pay, "I pay myself")
    # Nothing typed at the consent counts as agreeing: not a refusal, not a
    # question (answered, then the consent again), not anything else.
    for typed in ("no, I don't agree", "when does it start?", "ok"):
        replies = await english_learner.say(typed)
        assert replies[-1]["text"].endswith(consent["text"]), (typed, replies[-1]["text"])
        assert "I agree" in buttons(replies[-1]), typed
        assert not any("Please check your registration" in r["text"] for r in replies)
        if typed != "when does it start?":
            assert replies[0]["text"] == "Please choose with the buttons below.", typed
    [summary] = await english_learner.press(replies[-1], "I agree")
    assert "Name: J. O'Neil-Onaitė" in summary["text"]


async def test_a_lithuanian_question_without_a_question_mark_is_not_a_name(
    learner: Chat, services: Services
) -> None:
    await _at_the_name_step(learner, services)
    [answer, again] = await learner.say("kiek kainuoja")
    assert "690" in answer["text"], answer["text"]
    assert again["text"].startswith("Registracija dar nebaigta – tęskime.")
    assert await services.registrations.drafts.get(learner.user_id) is not None


async def test_a_question_during_a_registration_from_a_link_is_about_its_course(
    english_learner: Chat,
) -> None:
    # A poster's link opens the form with no course card shown before it.
    [ask] = await english_learner.say("/start reg-forklift-2027-04")
    assert ask["text"].endswith("Your first name and surname?")
    [answer, again] = await english_learner.say("how much is it?")
    assert answer["text"].startswith("Forklift operator"), answer["text"][:200]
    assert "280" in answer["text"]
    assert again["text"].startswith("Your registration is still open.")


async def test_edit_changes_one_detail_and_keeps_the_rest(
    english_learner: Chat, services: Services
) -> None:
    # A slip in the phone number: "Edit" asks which detail, asks only that
    # one again and returns to the summary, without asking consent again.
    [_full, ask] = await english_learner.say(f"/start reg-{GROUP}")
    assert "Your first name and surname?" in ask["text"]
    await english_learner.say("Ona Onaitė")
    [pay] = await english_learner.say("8 612 34567")
    [consent] = await english_learner.press(pay, "I pay myself")
    [summary] = await english_learner.press(consent, "I agree")
    [menu] = await english_learner.press(summary, "Edit")
    assert menu["text"] == "What would you like to change?"
    assert buttons(menu) == ["Name", "Phone", "Payment", "Back to the summary"]
    [back] = await english_learner.press(menu, "Back to the summary")
    assert back["text"] == summary["text"]
    [menu] = await english_learner.press(back, "Edit")
    [phone] = await english_learner.press(menu, "Phone")
    assert phone["text"] == "Your phone number?"
    # The summary before the change cannot confirm the old number.
    old_confirm = summary["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await english_learner.press_data(summary["message_id"], old_confirm)
    assert await services.registrations.list_for_user(english_learner.user_id) == []
    [changed] = await english_learner.say("8 698 76543")
    assert "Name: Ona Onaitė" in changed["text"] and "Phone: +37069876543" in changed["text"]
    assert buttons(changed) == ["Confirm", "Edit", "Cancel"]
    await english_learner.press(changed, "Confirm")
    [made] = await services.registrations.list_for_user(english_learner.user_id)
    assert made.details == {"name": "Ona Onaitė", "phone": "+37069876543"}
    assert made.payment == "self"


async def test_a_name_keeps_no_direction_override_or_invisible_characters(
    english_learner: Chat, services: Services
) -> None:
    # U+202E would make the staff post's words after the name read backwards;
    # zero-width spaces make a name differ from the same name.
    await _at_the_name_step(english_learner, services)
    [too_long] = await english_learner.say("Jonas " + "Petraitis " * 25)
    assert too_long["text"] == "Please write it in one message of up to 200 characters."
    [phone] = await english_learner.say("Jonas \u202eSIRTEP\u202c Petraitis\u200b\u200b")
    assert phone["text"] == "Your phone number?"
    [pay] = await english_learner.say("8 612 34567")
    [consent] = await english_learner.press(pay, "I pay myself")
    [summary] = await english_learner.press(consent, "I agree")
    assert "Name: Jonas SIRTEP Petraitis\n" in summary["text"], summary["text"]
    await english_learner.press(summary, "Confirm")
    [made] = await services.registrations.list_for_user(english_learner.user_id)
    assert made.details["name"] == "Jonas SIRTEP Petraitis"


async def test_registering_for_another_group_mid_form_says_the_first_was_not_sent(
    english_learner: Chat, services: Services
) -> None:
    await _at_the_name_step(english_learner, services)
    await english_learner.say("Ona Onaitė")
    replies = await english_learner.say("/start reg-nf-digital-skills-2026-12-evening")
    assert replies[0]["text"].startswith(
        "Your registration for Category B (cars), the group from 11 January 2027 was not sent"
    ), replies[0]["text"]
    assert replies[-1]["text"].endswith("Your first name and surname?")


async def test_an_old_payment_button_changes_nothing_after_the_payment_step(
    english_learner: Chat, services: Services
) -> None:
    await _at_the_name_step(english_learner, services)
    await english_learner.say("Ona Onaitė")
    [pay] = await english_learner.say("8 612 34567")
    [consent] = await english_learner.press(pay, "I pay myself")
    [summary] = await english_learner.press(consent, "I agree")
    # The payment message's other button, pressed late: no invoice asked.
    assert await english_learner.press(pay, "My employer pays") == []
    draft = await services.registrations.drafts.get(english_learner.user_id)
    assert draft is not None and draft.payment == "self" and draft.step == "summary"
    await english_learner.press(summary, "Confirm")
    [made] = await services.registrations.list_for_user(english_learner.user_id)
    assert made.payment == "self"
