"""No meaning by a symbol alone: every button says what it does in words (a
screen reader reads "check mark" or "rightwards arrow", not "chosen"), and a
chosen or switched-on option says so in words too."""

from __future__ import annotations

import unicodedata
from typing import Any

from services.container import Services
from tests.handlers.conftest import Chat, buttons

GROUP = "driving-b-2027-01-evening"
STATE_WORDS = ("on", "off", "chosen", "received")


def words(label: str) -> list[str]:
    """The label's words, symbols and emoji left out."""
    kept = "".join(c if unicodedata.category(c)[0] in "LN" else " " for c in label)
    return kept.split()


def check(message: dict[str, Any]) -> None:
    for label in buttons(message):
        assert words(label), f"the button {label!r} is only symbols"
        if "✓" in label or "○" in label:
            assert any(w.lower() in STATE_WORDS for w in words(label)), label


async def test_every_button_a_learner_meets_says_what_it_is(
    english_learner: Chat, services: Services
) -> None:
    programme, _group = services.catalogue.view.groups[GROUP]
    [menu] = await english_learner.say("/start")
    seen = [menu]
    for data in (
        f"1|p|{programme.id}",
        f"1|g|{programme.id}",
        f"1|R|S|{GROUP}",
        "1|R|q",
        "1|R|l",
        "1|L",
        "1|t",
    ):
        [reply] = await english_learner.press_data(menu["message_id"], data)
        seen.append(reply)
    seen += await english_learner.say("how much is the B category course?")
    seen += await english_learner.say("/settings")
    for message in seen:
        check(message)
    labels = [label for m in seen for label in buttons(m)]
    # The states, in words.
    assert "✓ The evening before at 18:00: on" in labels
    assert "15 minutes before: off" in labels
    assert "✓ 21:00–08:00 (chosen)" in labels
    assert "✓ English (chosen)" in labels
    assert not any(label.startswith(("➜", "○")) for label in labels)


def test_the_staff_post_buttons_say_what_they_do(services: Services) -> None:
    from domain.enquiries import Enquiry
    from texts.enquiries import staff_post
    from texts.i18n import translator

    enquiry = Enquiry(1, 5, "lt", None, None, "Klausimas", None, None, "new", None, None, None,
                      "2026-11-21T10:00:00+00:00", "2026-11-21T10:00:00+00:00")  # fmt: skip
    reply = staff_post(translator("en"), enquiry)
    assert [b.label for row in reply.buttons for b in row] == [
        "Take it",
        "Close enquiry",
        "Mark as spam",
    ]
