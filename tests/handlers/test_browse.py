"""Browsing the catalogue with buttons."""

from __future__ import annotations

from typing import Any

from tests.handlers.conftest import Chat, buttons, callback_data
from texts import callbacks


async def test_browse_to_the_b_category_card(learner: Chat) -> None:
    [menu] = await learner.say("/start")
    [driving] = await learner.press(menu, "Vairavimo mokykla")
    assert "B kategorija (lengvieji automobiliai)" in buttons(driving)
    [card] = await learner.press(driving, "B kategorija (lengvieji automobiliai)")
    text = card["text"]
    assert text.startswith("B kategorija (lengvieji automobiliai)")
    assert "Kaina: 690,00\xa0€" in text
    # Upcoming groups with start date, mode and seats left.
    assert "pradžia 2027 m. sausio 11 d. · vakarinė" in text
    assert buttons(card) == [
        "Grupės ir užsiėmimai",
        "Kaina ir finansavimas",
        "Registruotis: pasirinkti grupę",
        "« Atgal",
    ]
    # The price card offers the same registration as the programme's card,
    # not a call back by phone.
    [price] = await learner.press(card, "Kaina ir finansavimas")
    assert "Registruotis: pasirinkti grupę" in buttons(price)
    # Three groups are open: the learner picks one, each with its own Register
    # (the January one is full: its button says that it joins the waiting list).
    [groups] = await learner.press(card, "Registruotis: pasirinkti grupę")
    assert [
        b for b in buttons(groups) if b.startswith(("Registruotis", "Stoti į laukiančiųjų"))
    ] == [
        "Stoti į laukiančiųjų eilę: grupė nuo sausio 11 d.",
        "Registruotis: grupė nuo kovo 1 d.",
        "Registruotis: grupė nuo gegužės 3 d.",
    ]


async def test_programme_kind_then_department_then_list_then_card(english_learner: Chat) -> None:
    [menu] = await english_learner.say("/start")
    [kinds] = await english_learner.press(menu, "Programmes")
    assert buttons(kinds) == [
        "Vocational training (initial)",
        "Courses for adults",
        "Non-formal courses",
        "« Back",
    ]
    [departments] = await english_learner.press(kinds, "Vocational training (initial)")
    assert "Industry and Trade Department" in buttons(departments)
    [listing] = await english_learner.press(departments, "Industry and Trade Department")
    assert "Welder" in buttons(listing)
    [card] = await english_learner.press(listing, "Welder")
    assert "Price: free" in card["text"]
    assert "90 credits" in card["text"]
    [groups] = await english_learner.press(card, "Groups and sessions")
    assert "Group from 1 September 2027 to 29 June 2029" in groups["text"]
    assert "Registration until 5 August 2027" in groups["text"]
    [price] = await english_learner.press(groups, "« Back")
    assert price["text"].startswith("Welder")


async def test_group_sessions_show_local_times_and_rooms(english_learner: Chat) -> None:
    [msg] = await english_learner.say("/start")
    [groups] = await english_learner.press_data(
        msg["message_id"], callbacks.pack(callbacks.Action.GROUPS, "nf-digital-skills")
    )
    line = "Tue 1 Dec 17:30–20:45 · lesson: Session 1 – computer basics, files and folders"
    assert line + " · room B-204" in groups["text"]


async def test_full_group_says_full(learner: Chat, services: Any) -> None:
    view = services.catalogue.view
    full = [g for _p, g in view.groups.values() if g.seats_left == 0]
    if not full:  # the demo has none: the card's wording is covered by the seats helper test
        return
    [msg] = await learner.say("/start")
    [card] = await learner.press_data(
        msg["message_id"], callbacks.pack(callbacks.Action.PROGRAMME, view.groups[full[0].id][0].id)
    )
    assert "vietų nebeliko" in card["text"]


async def test_faq_topics_and_answer(english_learner: Chat) -> None:
    [menu] = await english_learner.say("/start")
    [topics] = await english_learner.press(menu, "Questions and answers")
    assert "Contacts" in buttons(topics)
    [faqs] = await english_learner.press(topics, "Contacts")
    assert "What is your address?" in buttons(faqs)
    [answer] = await english_learner.press(faqs, "What is your address?")
    assert "Demo g. 1" in answer["text"]


async def test_contacts(learner: Chat) -> None:
    [menu] = await learner.say("/start")
    [contacts] = await learner.press(menu, "Kontaktai")
    assert "Telefonas: +370 315 00000 (DEMO)" in contacts["text"]


async def test_forged_or_stale_button_gets_polite_notice_and_menu(learner: Chat) -> None:
    for data in (
        "garbage",
        "1|p|no-such-programme",
        "0|m",
        "1|l|driving|-|x",
        "1|zz",
        "1|g|~ffff",
        "1|l|driving|-|²",
    ):
        [menu] = await learner.say("/start")
        [reply] = await learner.press_data(menu["message_id"], data)
        assert reply["text"].startswith("Šis meniu pasenęs.")
        assert "Programos" in buttons(reply)
    # Each press also got the notice as a toast, so the spinner stopped.
    notices = [a.get("text") or "" for a in learner.emu.callback_answers()]
    assert len(notices) == 7
    assert all(n.startswith("Šis meniu pasenęs.") for n in notices)


async def _walk(chat: Chat, start: dict[str, Any], seen: set[str], limit: int) -> None:
    """Press every button reachable from a message, breadth first."""
    queue = [start]
    while queue and len(seen) < limit:
        message = queue.pop(0)
        for data in callback_data(message):
            if data in seen:
                continue
            seen.add(data)
            assert len(data.encode()) <= 64
            replies = await chat.press_data(message["message_id"], data)
            if not replies:
                # The message already shows what the button leads to (an
                # edit to the same text changes nothing); the press was
                # still answered, and not as a stale menu.
                answer = chat.emu.callback_answers()[-1].get("text") or ""
                assert not answer.startswith("Šis meniu pasenęs"), data
                continue
            # A calendar file is a document: its words are in the caption.
            said = replies[0].get("text") or replies[0].get("caption") or ""
            assert not said.startswith("Šis meniu pasenęs"), data
            queue.extend(replies)


async def test_every_menu_button_leads_somewhere(learner: Chat) -> None:
    [menu] = await learner.say("/start")
    seen: set[str] = set()
    await _walk(learner, menu, seen, limit=400)
    assert len(seen) > 100


async def test_buttons_sent_before_the_named_codes_still_work(english_learner: Chat) -> None:
    # The data of buttons already in learners' chats, written out as it was sent.
    [msg] = await english_learner.say("/start")
    [card] = await english_learner.press_data(msg["message_id"], "1|p|nf-digital-skills")
    assert "Groups and sessions" in buttons(card)
    [groups] = await english_learner.press_data(msg["message_id"], "1|g|nf-digital-skills")
    assert "Tue 1 Dec 17:30" in groups["text"]
    [topics] = await english_learner.press_data(msg["message_id"], "1|t")
    assert topics["text"] == "Questions and answers: choose a topic."


async def test_the_demo_has_a_programme_to_wait_for(english_learner: Chat, services: Any) -> None:
    # The florist course has no group yet: its card offers the waiting list,
    # and joining it is reachable from the menus alone.
    view = services.catalogue.view
    florist = view.programmes["cont-florist"]
    assert not florist.groups
    department = view.departments[florist.department].name.get("en")
    [menu] = await english_learner.say("/start")
    [kinds] = await english_learner.press(menu, "Programmes")
    [departments] = await english_learner.press(kinds, "Courses for adults")
    [listing] = await english_learner.press(departments, department)
    [card] = await english_learner.press(listing, "Florist (course for adults)")
    assert "Notify me when a group opens" in buttons(card)
    [joined] = await english_learner.press(card, "Notify me when a group opens")
    assert "when a new group of Florist (course for adults) opens" in joined["text"]


async def test_no_faq_answer_begins_with_a_bare_no(services: Any) -> None:
    for faq in services.catalogue.view.catalogue.faq:
        for lang in ("lt", "en"):
            answer = faq.answer.get(lang).lstrip()
            assert not answer.startswith(("No.", "Ne.")), faq.id
