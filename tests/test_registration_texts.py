"""The registration texts: learners' words shown as written in HTML
messages, the place in line said naturally in Lithuanian."""

from __future__ import annotations

from domain.registrations import Registration, RegistrationStatus, SeatCounts
from texts import registration as texts
from texts.i18n import translator


def _made(**details: str) -> Registration:
    return Registration(
        id=7,
        user_id=1,
        programme_id="p",
        group_id="g",
        lang="lt",
        status=RegistrationStatus.PENDING,
        details=details,
        payment="employer",
        payment_details={"invoice": "UAB <Ąžuolas> & Co"},
        offer_expires_at=None,
        reason=None,
        reminders_stopped=False,
        staff_chat_id=None,
        staff_message_id=None,
        created_at="",
        updated_at="",
    )


def test_the_place_in_line_in_lithuanian() -> None:
    t = translator("lt")
    assert [texts.place_text(t, n) for n in (1, 2, 10, 21)] == [
        "Jūsų vieta eilėje: 1.",
        "Jūsų vieta eilėje: 2.",
        "Jūsų vieta eilėje: 10.",
        "Jūsų vieta eilėje: 21.",
    ]


def test_the_staff_post_escapes_what_the_learner_typed() -> None:
    counts = SeatCounts(seats=14, baseline=12, pending=1, confirmed=0, offered=1, waiting=3)
    post = texts.staff_post(
        translator("lt"), _made(name="<i>Ona</i> & Jonas", phone="+37061234567"), "g", counts
    )
    assert "Vardas: &lt;i&gt;Ona&lt;/i&gt; &amp; Jonas" in post.text
    assert "UAB &lt;Ąžuolas&gt; &amp; Co" in post.text
    assert "<i>" not in post.text
    assert "Vietos: laisvų 0 iš 14; laukia patvirtinimo 1, patvirtinta 0, pasiūlyta 1" in post.text


def test_the_note_on_a_taken_offer_asks_staff_only_when_they_must_decide() -> None:
    t = translator("en")
    pending = _made()
    assert texts.staff_seat_taken(t, pending).endswith("confirm or decline it in its post.")
    confirmed = Registration(**{**pending.__dict__, "status": RegistrationStatus.CONFIRMED})
    assert texts.staff_seat_taken(t, confirmed) == (
        "Registration 7 took the seat offered from the waiting list and is confirmed."
    )
