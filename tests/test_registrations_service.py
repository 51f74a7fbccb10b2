"""The seat arithmetic of registrations: one seat never held twice, the
waiting list in order, offers passed on, the import's seat checks."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path

import pytest

from domain.registrations import RegistrationStatus
from services.clock import FixedClock
from services.container import Services
from services.registrations import Change, Closed, Outcome, RegisterResult
from services.registrations.drafts import InvalidField, clean
from storage import registrations_repo
from tests.catalogue_helpers import demo_raw, group, import_raw, write_raw
from tests.conftest import ADMIN_ID
from tests.registration_helpers import register_learner

GROUP = "nf-digital-skills-2026-12-evening"  # staff confirm
AUTO = "pd-digital-didactics-2027-01"  # confirm: automatic, 25 seats, 21 taken


async def _register(
    services: Services, user_id: int, group_id: str = GROUP, nonce: str = ""
) -> RegisterResult:
    return await register_learner(services, user_id, group_id, nonce=nonce)


async def _free(services: Services, group_id: str) -> int:
    counts = await services.registrations.seat_counts(group_id)
    assert counts is not None
    return counts.free


async def test_free_seats_are_held_pending_then_the_rest_wait_in_order(
    services: Services,
) -> None:
    free = await _free(services, GROUP)
    results = [await _register(services, 1000 + i) for i in range(free + 3)]
    assert [r.outcome for r in results[:free]] == [Outcome.PENDING] * free
    assert [r.outcome for r in results[free:]] == [Outcome.WAITING] * 3
    assert [r.place for r in results[free:]] == [1, 2, 3]
    counts = await services.registrations.seat_counts(GROUP)
    assert counts is not None
    assert (counts.pending, counts.waiting, counts.free) == (free, 3, 0)


async def test_automatic_confirmation_and_the_baseline_counts(services: Services) -> None:
    counts = await services.registrations.seat_counts(AUTO)
    assert counts is not None and (counts.seats, counts.baseline, counts.free) == (25, 21, 4)
    results = [await _register(services, 2000 + i, AUTO) for i in range(5)]
    assert [r.outcome for r in results] == [Outcome.CONFIRMED] * 4 + [Outcome.WAITING]


async def test_two_learners_racing_for_the_last_seat_get_one_seat(
    services: Services,
) -> None:
    free = await _free(services, GROUP)
    for i in range(free - 1):
        await _register(services, 3000 + i)
    first, second = await asyncio.gather(_register(services, 1), _register(services, 2))
    assert sorted([first.outcome, second.outcome]) == [Outcome.PENDING, Outcome.WAITING]
    assert await _free(services, GROUP) == 0


async def test_a_double_tap_creates_one_and_a_second_draft_is_refused_with_the_number(
    services: Services,
) -> None:
    first = await _register(services, 7, nonce="same")
    again = await _register(services, 7, nonce="same")
    assert again.outcome == Outcome.PENDING
    assert again.registration is not None and first.registration is not None
    assert again.registration.id == first.registration.id
    other = await _register(services, 7, nonce="another")
    assert other.outcome == Outcome.DUPLICATE
    assert other.registration is not None and other.registration.id == first.registration.id
    assert len(await services.registrations.list_for_user(7)) == 1


async def test_closed_after_the_deadline_and_once_started(
    services: Services, clock: FixedClock
) -> None:
    clock.at = dt.datetime(2027, 1, 15, 9, 0, tzinfo=dt.UTC)  # deadline 14 January
    result = await _register(services, 5, AUTO)
    assert (result.outcome, result.closed) == (Outcome.CLOSED, Closed.DEADLINE)
    clock.at = dt.datetime(2027, 1, 19, 9, 0, tzinfo=dt.UTC)
    result = await _register(services, 5, AUTO)
    assert (result.outcome, result.closed) == (Outcome.CLOSED, Closed.STARTED)
    assert await services.registrations.list_for_user(5) == []


async def test_a_cancelled_seat_is_offered_to_the_first_in_line_and_lapses_to_the_next(
    services: Services, clock: FixedClock
) -> None:
    free = await _free(services, GROUP)
    holders = [await _register(services, 100 + i) for i in range(free)]
    waiting = [await _register(services, 200 + i) for i in range(3)]
    holder = holders[0].registration
    assert holder is not None
    cancelled = await services.registrations.cancel(holder.id, 100)
    assert cancelled.done
    first = waiting[0].registration
    assert first is not None and cancelled.offered == (first.id,)
    offered = await services.registrations.get(first.id)
    assert offered is not None and offered.status == RegistrationStatus.OFFERED
    assert await _free(services, GROUP) == 0  # the offer holds the seat
    # Another learner's cancel of a registration not theirs does nothing.
    other = holders[1].registration
    assert other is not None
    assert (await services.registrations.cancel(other.id, 999)).change == Change.NOT_FOUND

    clock.advance(dt.timedelta(hours=23, minutes=59))
    assert await services.registrations.expire_offers() == []
    clock.advance(dt.timedelta(minutes=2))
    assert await services.registrations.expire_offers() == [first.id]
    second = waiting[1].registration
    assert second is not None
    now_offered = await services.registrations.get(second.id)
    assert now_offered is not None and now_offered.status == RegistrationStatus.OFFERED
    # The lapsed learner's late Accept is told it lapsed.
    late = await services.registrations.accept_offer(first.id, 200)
    assert late.change == Change.WRONG_STATE
    taken = await services.registrations.accept_offer(second.id, 201)
    assert taken.done and taken.registration is not None
    assert taken.registration.status == RegistrationStatus.PENDING
    third = waiting[2].registration
    assert third is not None
    assert await services.registrations.place_in_line(third.id) == 1


async def test_staff_confirm_and_decline_with_a_reason(services: Services) -> None:
    made = (await _register(services, 11)).registration
    other = (await _register(services, 12)).registration
    assert made is not None and other is not None
    confirmed = await services.registrations.confirm(made.id, ADMIN_ID)
    assert confirmed.done and confirmed.registration is not None
    assert confirmed.registration.status == RegistrationStatus.CONFIRMED
    assert (await services.registrations.confirm(made.id, ADMIN_ID)).change == Change.WRONG_STATE
    declined = await services.registrations.decline(other.id, ADMIN_ID, "No documents")
    assert declined.registration is not None and declined.registration.reason == "No documents"
    kinds = await registrations_repo.notice_kinds(services.db.reader, other.id)
    assert kinds == ["staff_new", "declined"]


async def test_move_needs_a_free_seat_in_a_group_of_the_same_programme(
    services: Services,
) -> None:
    made = (await _register(services, 21, AUTO)).registration
    assert made is not None
    moved = await services.registrations.move(
        made.id, "pd-digital-didactics-2027-04-online", ADMIN_ID
    )
    assert moved.done and moved.registration is not None
    assert moved.registration.group_id == "pd-digital-didactics-2027-04-online"
    elsewhere = await services.registrations.move(made.id, GROUP, ADMIN_ID)
    assert elsewhere.change == Change.OTHER_PROGRAMME


async def test_an_import_below_the_registrations_is_refused_and_more_seats_make_offers(
    services: Services, tmp_path: Path
) -> None:
    for i in range(5):
        await _register(services, 300 + i, AUTO)  # 4 confirmed, 1 waiting
    raw = demo_raw()
    group(raw, AUTO)["seats"] = 24
    path = tmp_path / "fewer.yaml"
    write_raw(raw, path)
    report, summary = await services.catalogue.import_file(path)
    assert summary is None and not report.ok
    assert any(AUTO in e and "seats" in e for e in report.errors), report.errors
    counts = await services.registrations.seat_counts(AUTO)
    assert counts is not None and counts.seats == 25

    group(raw, AUTO)["seats"] = 26
    await import_raw(services, raw, tmp_path / "more.yaml")
    waiting = await services.registrations.list_for_group(AUTO, RegistrationStatus.OFFERED)
    assert [r.user_id for r in waiting] == [304]


async def test_forget_erases_registrations_and_frees_the_seat(services: Services) -> None:
    free = await _free(services, GROUP)
    for i in range(free):
        await _register(services, 400 + i)
    waiting = (await _register(services, 500)).registration
    assert waiting is not None
    await services.privacy.forget(400)
    assert await services.registrations.list_for_user(400) == []
    offered = await services.registrations.get(waiting.id)
    assert offered is not None and offered.status == RegistrationStatus.OFFERED


async def test_a_notice_in_flight_at_a_crash_becomes_unknown_and_is_never_sent_again(
    services: Services,
) -> None:
    first = await _register(services, 8001)
    second = await _register(services, 8002)
    assert first.registration is not None and second.registration is not None
    due = await services.registrations.due_notices()
    assert [n.registration_id for n in due] == [first.registration.id, second.registration.id]
    # The first was claimed (its request on the wire) when the bot was killed.
    assert await services.registrations.claim_notice(due[0].id)
    assert await services.registrations.recover() == 1
    assert [n.id for n in await services.registrations.due_notices()] == [due[1].id]
    # Claimed again by nobody: a second claim of the first says no.
    assert not await services.registrations.claim_notice(due[0].id)


async def test_changes_tell_which_registrations_changed_after_their_commit(
    services: Services, clock: FixedClock
) -> None:
    changed: list[int] = []
    services.registrations.changed_listeners.append(changed.append)
    free = await _free(services, GROUP)
    held = [await _register(services, 8100 + i) for i in range(free)]
    waiting = await _register(services, 8200)
    assert held[0].registration is not None and waiting.registration is not None
    assert changed == []  # a new registration has no staff post to update yet
    await services.registrations.cancel(held[0].registration.id, 8100)
    # The cancelled one, and the one its seat was offered to.
    assert changed == [held[0].registration.id, waiting.registration.id]
    clock.at = clock.at + dt.timedelta(hours=25)
    assert await services.registrations.expire_offers() == [waiting.registration.id]
    assert changed[-1] == waiting.registration.id


@pytest.mark.parametrize(
    "typed",
    [
        "Ona Onaitė",
        "J. O'Neil-Onaitė",
        "Ona <b>Onaitė</b> & Co",
        "Learner 2901",
        "Анна Петрова",
        # Names that start like words of price, admission or freedom.
        "Kastytis Petraitis",
        "Laisvė Jonaitė",
        "Stojanas Petrov",
        "Dalia Amžinaitė",
    ],
)
def test_a_name_is_kept_as_written(typed: str) -> None:
    assert clean("name", typed) == typed


@pytest.mark.parametrize(
    "typed",
    ["12345", "+370 612 34567", "kiek kainuoja", "when does it start?", "a b c d e f g", "J"],
)
def test_what_cannot_be_a_name_is_refused(typed: str) -> None:
    with pytest.raises(InvalidField):
        clean("name", typed)


@pytest.mark.parametrize(
    ("field_name", "typed"),
    [
        ("school", "kiek trunka?"),
        ("subject", "😀"),
        ("workplace", "123"),
        ("school", "kiek kainuoja"),
    ],
)
def test_a_school_subject_or_workplace_must_be_said_in_words(field_name: str, typed: str) -> None:
    with pytest.raises(InvalidField):
        clean(field_name, typed)


def test_a_school_subject_or_workplace_is_kept_as_written() -> None:
    assert clean("school", "Alytaus  profesinio rengimo centras") == (
        "Alytaus profesinio rengimo centras"
    )
    assert clean("subject", "IT / informatika") == "IT / informatika"
    assert clean("workplace", "UAB „Statyba 2000“") == "UAB „Statyba 2000“"
    for typed in ("Ekonomika ir kainodara", "UAB Trukmė", "Vilniaus Laisvės gimnazija"):
        assert clean("subject", typed) == typed


async def test_a_number_erased_with_its_learner_is_never_given_again(
    services: Services,
) -> None:
    # Staff still read "registration 2" in the staff chat after the learner
    # who had it erased their data: the next learner must not get 2.
    first = await _register(services, 7101)
    second = await _register(services, 7102)
    assert first.registration and second.registration
    await services.privacy.forget(7102)
    third = await _register(services, 7103)
    assert third.registration is not None
    assert third.registration.id == second.registration.id + 1


async def test_a_draft_saved_before_consent_was_kept_apart_still_has_it(
    services: Services,
) -> None:
    # Drafts written by the version before "agreed" existed reached their
    # summary only through "I agree"; one at the consent step had not.
    drafts = services.registrations.drafts
    for step, agreed in (("summary", True), ("consent", False)):
        draft = await drafts.start(7201, GROUP, "lt", ("name", "phone"), ("self",))
        stored = asdict(draft)
        stored.pop("agreed")
        stored["step"] = step
        async with services.db.transaction() as conn:
            await registrations_repo.put_draft(
                conn, 7201, json.dumps(stored), services.clock.now().isoformat()
            )
        loaded = await drafts.get(7201)
        assert loaded is not None and loaded.agreed is agreed, step
