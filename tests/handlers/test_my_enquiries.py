"""/my_enquiries: a heading, each enquiry's status in words, its question cut
between words with an ellipsis, the last answer, and a button to add to an
open enquiry (whose next message then reaches the staff)."""

from __future__ import annotations

from domain.enquiries import Delivery
from services.container import Services
from tests.conftest import ADMIN_ID
from tests.handlers.conftest import Chat, buttons
from texts.enquiries import snippet

LONG = (
    "Ar galima mokytis vakarais ir savaitgaliais, jeigu dirbu pamainomis, o darbo grafikas "
    "keičiasi kas mėnesį?"
)


async def _file(services: Services, user: int, text: str) -> int:
    enquiries = services.enquiries
    draft = await enquiries.start(user, "lt", text)
    draft = await enquiries.set_contact(user, draft, None, None)
    draft = await enquiries.consent(user, draft)
    enquiry = await enquiries.submit(user, draft.nonce)
    assert enquiry is not None
    return enquiry.id


def test_a_snippet_ends_between_words_with_an_ellipsis() -> None:
    cut = snippet(LONG, 40)
    assert cut == "Ar galima mokytis vakarais ir…"
    assert len(cut) <= 40 and LONG.startswith(cut[:-1])
    assert snippet("Trumpas klausimas") == "Trumpas klausimas"


async def test_the_list_has_a_heading_status_in_words_and_the_last_answer(
    learner: Chat, services: Services
) -> None:
    first = await _file(services, learner.user_id, LONG)
    second = await _file(services, learner.user_id, "Kiek kainuoja?")
    answer = await services.enquiries.staff_answer(ADMIN_ID, first, "Taip, šeštadieniais.", "k1")
    assert answer is not None
    # The sender reports the delivery; only a delivered answer makes it answered.
    await services.enquiries.delivered(answer, Delivery.SENT)
    await services.enquiries.act(ADMIN_ID, second, "close")
    [listing] = await learner.say("/my_enquiries")
    text = listing["text"]
    assert text.startswith("Jūsų užklausos centrui\n\n")
    assert f"Užklausa Nr. {first}, išsiųsta 2026 m. lapkričio 21 d.: atsakyta." in text
    assert f"Užklausa Nr. {second}, išsiųsta" in text and ": uždaryta." in text
    assert (
        "Jūsų klausimas: Ar galima mokytis vakarais ir savaitgaliais, jeigu dirbu pamainomis, "
        "o darbo…" in text
    )
    assert "Paskutinis atsakymas: Taip, šeštadieniais." in text
    # Only the open enquiry can be added to.
    assert buttons(listing) == [f"Papildyti užklausą Nr. {first}"]


async def test_adding_to_an_open_enquiry_reaches_it(learner: Chat, services: Services) -> None:
    number = await _file(services, learner.user_id, "Ar yra vakarinė grupė?")
    [listing] = await learner.say("/my_enquiries")
    [prompt] = await learner.press(listing, f"Papildyti užklausą Nr. {number}")
    assert prompt["text"].startswith(
        f"Viena žinute parašykite, ką norite pridėti prie užklausos Nr. {number}"
    )
    [thanks] = await learner.say("Galiu ateiti tik po 18 val.")
    assert thanks["text"] == f"Ačiū, jūsų žinutė pridėta prie užklausos Nr. {number}."
    export = await services.privacy.export(learner.user_id)
    [enquiry] = export["enquiries"]
    assert [m["text"] for m in enquiry["messages"]] == ["Galiu ateiti tik po 18 val."]
    # The next message is a question again, not another addition.
    [answer, *_] = await learner.say("kiek kainuoja B kategorija?")
    assert "690" in answer["text"]


async def test_cancel_while_adding_says_nothing_was_added(
    learner: Chat, services: Services
) -> None:
    number = await _file(services, learner.user_id, "Ar yra vakarinė grupė?")
    [listing] = await learner.say("/my_enquiries")
    await learner.press(listing, f"Papildyti užklausą Nr. {number}")
    [dropped] = await learner.say("/cancel")
    assert dropped["text"] == f"Prie užklausos Nr. {number} nieko nepridėta."


async def test_a_closed_or_foreign_enquiry_cannot_be_added_to(
    learner: Chat, services: Services
) -> None:
    mine = await _file(services, learner.user_id, "Ar yra vakarinė grupė?")
    someone_elses = await _file(services, 4242, "Kitas klausimas")
    await services.enquiries.act(ADMIN_ID, mine, "close")
    for number in (mine, someone_elses):
        [menu] = await learner.say("/start")
        [reply] = await learner.press_data(menu["message_id"], f"1|Q|add|{number}")
        assert reply["text"].startswith("Ši užklausa uždaryta")
    draft, _ = await services.enquiries.draft(learner.user_id)
    assert draft is None
