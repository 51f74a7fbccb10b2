"""The Registrations page over HTTP: seat counts, filters, confirm, decline
with a reason, move to another group of the programme, the CSV export; a
double submit acts once and a forged id changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import httpx

from domain.registrations import RegistrationStatus
from services.clock import FixedClock
from services.container import Services
from services.form_tokens import issue
from storage import registrations_repo
from tests.admin.conftest import STAFF_ID, sign_in
from tests.conftest import ADMIN_ID, NOW

GROUP = "nf-digital-skills-2026-12-evening"  # 14 seats, 12 taken: 2 free; staff confirm
APRIL = "nf-digital-skills-2027-04-day"  # the same programme: 14 seats, 3 taken
OTHER_PROGRAMME = "pd-digital-didactics-2027-01"
ONCE = re.compile(r'name="once" value="([^"]+)"')


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _count(html: str, name: str) -> int:
    found = re.search(rf'id="count-{name}">(\d+)<', html)
    assert found is not None, name
    return int(found.group(1))


async def _register(
    services: Services,
    user_id: int,
    name: str,
    group_id: str = GROUP,
    payment: str = "self",
    invoice: dict[str, str] | None = None,
) -> int:
    made = await services.registrations.register(
        user_id=user_id,
        group_id=group_id,
        lang="lt",
        details={"name": name, "phone": f"+3706123{user_id:04d}"},
        payment=payment,
        payment_details=invoice,
        nonce=f"n{user_id}-{group_id}",
    )
    assert made.registration is not None
    return made.registration.id


async def _status(services: Services, registration_id: int) -> RegistrationStatus:
    found = await services.registrations.get(registration_id)
    assert found is not None
    return found.status


async def _fill(services: Services) -> tuple[int, int, int]:
    """Two take the free seats (pending), a third waits in line."""
    ona = await _register(services, 5001, "Ona Onaitė")
    jonas = await _register(
        services, 5002, "Jonas Jonaitis", payment="employer", invoice={"company": "UAB Ąžuolas"}
    )
    rasa = await _register(services, 5003, "Rasa Žemaitė")
    return ona, jonas, rasa


async def test_the_page_counts_the_seats_and_lists_each_registration(
    console: httpx.AsyncClient, services: Services
) -> None:
    ona, jonas, rasa = await _fill(services)
    await sign_in(console, services, STAFF_ID)
    page = await console.get(f"/registrations/{GROUP}")
    assert page.status_code == 200
    counts = {n: _count(page.text, n) for n in ("seats", "baseline", "pending", "waiting", "free")}
    assert counts == {"seats": 14, "baseline": 12, "pending": 2, "waiting": 1, "free": 0}
    shown = _text(page.text)
    assert "Ona Onaitė" in shown and "+37061235001" in shown
    assert "employer (invoice): UAB Ąžuolas" in shown
    assert "on the waiting list · place in line: 1" in shown
    # Created times in the centre's zone: 10:00 UTC is 12:00 in Vilnius (the
    # zone said once, at the foot).
    assert "12:00" in shown and "All times are Lithuanian time (Europe/Vilnius)" in shown
    # Only a pending registration can be confirmed.
    assert f"/registrations/{GROUP}/{ona}/confirm" in page.text
    assert f"/registrations/{GROUP}/{rasa}/confirm" not in page.text
    # Reached from the menu and from the programme's page.
    assert 'href="/registrations"' in page.text
    programme = await console.get("/catalogue/programmes/nf-digital-skills")
    assert f'href="/registrations/{GROUP}"' in programme.text
    attendance = await console.get(f"/attendance?group={GROUP}")
    assert f'href="/registrations/{GROUP}"' in attendance.text
    chosen = await console.get(f"/registrations?group={GROUP}")
    assert chosen.status_code == 303 and chosen.headers["location"] == f"/registrations/{GROUP}"
    assert jonas


async def test_filters_by_status_payment_and_day(
    console: httpx.AsyncClient, services: Services
) -> None:
    await _fill(services)
    await sign_in(console, services, STAFF_ID)
    waiting = _text((await console.get(f"/registrations/{GROUP}?status=waiting")).text)
    assert "Rasa Žemaitė" in waiting and "Ona Onaitė" not in waiting
    assert "1 registration shown (of 3)" in waiting
    employer = _text((await console.get(f"/registrations/{GROUP}?payment=employer")).text)
    assert "Jonas Jonaitis" in employer and "Rasa" not in employer
    # Registered on 21 November (Vilnius): a filter from the 22nd shows none.
    later = _text((await console.get(f"/registrations/{GROUP}?created_from=2026-11-22")).text)
    assert "No registration matches these filters." in later
    that_day = await console.get(
        f"/registrations/{GROUP}?created_from=2026-11-21&created_to=2026-11-21"
    )
    assert "3 registrations shown" in _text(that_day.text)


async def test_confirm_and_decline_change_the_counts_and_free_a_seat_for_the_line(
    console: httpx.AsyncClient, services: Services
) -> None:
    ona, jonas, rasa = await _fill(services)
    csrf = await sign_in(console, services, STAFF_ID)
    done = await console.post(
        f"/registrations/{GROUP}/{ona}/confirm", data={"csrf": csrf, "once": issue(csrf)}
    )
    assert done.status_code == 303
    page = await console.get(done.headers["location"])
    assert f"Registration No. {ona} is confirmed" in _text(page.text)
    assert (_count(page.text, "pending"), _count(page.text, "confirmed")) == (1, 1)
    assert await _status(services, ona) == RegistrationStatus.CONFIRMED

    reason = "Grupė skirta tik dirbantiems mokytojams."
    declined = await console.post(
        f"/registrations/{GROUP}/{jonas}/decline",
        data={"csrf": csrf, "once": issue(csrf), "reason": reason},
    )
    page = await console.get(declined.headers["location"])
    assert f"Registration No. {jonas} is declined" in _text(page.text)
    # The freed seat went to the first in line as an offer.
    assert _count(page.text, "offered") == 1 and _count(page.text, "waiting") == 0
    assert await _status(services, rasa) == RegistrationStatus.OFFERED
    found = await services.registrations.get(jonas)
    assert found is not None and found.reason == reason
    # The learners are owed their messages (sent by the bot), the reason with it.
    kinds = await registrations_repo.notice_kinds(services.db.reader, jonas)
    assert "declined" in kinds
    assert "confirmed" in await registrations_repo.notice_kinds(services.db.reader, ona)
    audit = await services.roles.audit_page(ADMIN_ID, STAFF_ID, None, None, 50, 0)
    actions = [entry[2] for entry in audit]
    assert "registration_confirmed" in actions and "registration_declined" in actions


async def test_a_decline_needs_a_reason_and_the_same_form_may_then_be_sent(
    console: httpx.AsyncClient, services: Services
) -> None:
    ona, _jonas, _rasa = await _fill(services)
    csrf = await sign_in(console, services, STAFF_ID)
    token = issue(csrf)
    empty = await console.post(
        f"/registrations/{GROUP}/{ona}/decline", data={"csrf": csrf, "once": token, "reason": " "}
    )
    assert empty.status_code == 400
    assert "Write the reason for declining" in _text(empty.text)
    assert await _status(services, ona) == RegistrationStatus.PENDING
    too_long = await console.post(
        f"/registrations/{GROUP}/{ona}/decline",
        data={"csrf": csrf, "once": token, "reason": "x" * 501},
    )
    assert too_long.status_code == 400
    assert "The reason is 501 characters long; at most 500 are sent." in _text(too_long.text)
    # Nothing was done, so the same form (its token) still works.
    sent = await console.post(
        f"/registrations/{GROUP}/{ona}/decline",
        data={"csrf": csrf, "once": token, "reason": "Nėra reikiamo išsilavinimo."},
    )
    assert sent.status_code == 303
    assert await _status(services, ona) == RegistrationStatus.DECLINED


async def test_a_double_submit_confirms_once(
    console: httpx.AsyncClient, services: Services
) -> None:
    ona, _jonas, _rasa = await _fill(services)
    csrf = await sign_in(console, services, STAFF_ID)
    page = await console.get(f"/registrations/{GROUP}")
    # The token the page itself put in the confirm form of this registration.
    form = page.text.split(f'action="/registrations/{GROUP}/{ona}/confirm"')[1]
    token = ONCE.search(form)
    assert token is not None
    data = {"csrf": csrf, "once": token.group(1)}
    first = await console.post(f"/registrations/{GROUP}/{ona}/confirm", data=data)
    second = await console.post(f"/registrations/{GROUP}/{ona}/confirm", data=data)
    assert first.status_code == second.status_code == 303
    assert "already=1" in second.headers["location"]
    again = await console.get(second.headers["location"])
    assert "This was done already" in _text(again.text)
    assert (await registrations_repo.notice_kinds(services.db.reader, ona)).count("confirmed") == 1
    audit = await services.roles.audit_page(ADMIN_ID, STAFF_ID, None, None, 50, 0)
    assert [entry[2] for entry in audit].count("registration_confirmed") == 1


async def test_a_forged_id_changes_nothing(console: httpx.AsyncClient, services: Services) -> None:
    ona, _jonas, _rasa = await _fill(services)
    elsewhere = await _register(services, 5009, "Kita Grupė", group_id=APRIL)
    csrf = await sign_in(console, services, STAFF_ID)
    # A registration of another group posted under this group's address.
    forged = await console.post(
        f"/registrations/{GROUP}/{elsewhere}/confirm", data={"csrf": csrf, "once": issue(csrf)}
    )
    assert forged.status_code == 404
    assert "There is no such registration in this group." in _text(forged.text)
    assert await _status(services, elsewhere) == RegistrationStatus.PENDING
    missing = await console.post(
        f"/registrations/{GROUP}/999999/decline",
        data={"csrf": csrf, "once": issue(csrf), "reason": "x"},
    )
    assert missing.status_code == 404
    # Without the session's own tokens nothing is done either.
    stale = await console.post(
        f"/registrations/{GROUP}/{ona}/confirm", data={"csrf": csrf, "once": "abc.def"}
    )
    assert stale.status_code == 403
    no_csrf = await console.post(
        f"/registrations/{GROUP}/{ona}/confirm", data={"csrf": "x", "once": issue(csrf)}
    )
    assert no_csrf.status_code == 403
    assert await _status(services, ona) == RegistrationStatus.PENDING
    unknown = await console.get("/registrations/no-such-group")
    assert unknown.status_code == 404


async def test_move_offers_only_groups_with_a_free_seat_and_refuses_a_full_one(
    console: httpx.AsyncClient, services: Services
) -> None:
    ona, _jonas, rasa = await _fill(services)
    april = await _register(services, 5010, "Aušra Balandė", group_id=APRIL)
    csrf = await sign_in(console, services, STAFF_ID)
    # December is full: April's page offers no group to move to.
    april_page = await console.get(f"/registrations/{APRIL}")
    assert "No other group of this programme has a free seat." in _text(april_page.text)
    # December's page offers April (11 free, one held by Aušra: 10).
    page = await console.get(f"/registrations/{GROUP}")
    assert f'<option value="{APRIL}">' in page.text and "10 seats free" in _text(page.text)
    # Staff know the learner will hear of it (tests/test_registrations_e2e.py).
    assert "The bot tells the learner of the move, with the new dates." in _text(page.text)
    assert OTHER_PROGRAMME not in page.text

    # A forged form naming the full December group is refused, in words.
    full = await console.post(
        f"/registrations/{APRIL}/{april}/move",
        data={"csrf": csrf, "once": issue(csrf), "group": GROUP},
    )
    shown = _text((await console.get(full.headers["location"])).text)
    assert f"That group has no free seat now: registration No. {april} was not moved." in shown
    other = await console.post(
        f"/registrations/{APRIL}/{april}/move",
        data={"csrf": csrf, "once": issue(csrf), "group": OTHER_PROGRAMME},
    )
    shown = _text((await console.get(other.headers["location"])).text)
    assert "only move to a group of the same programme" in shown
    found = await services.registrations.get(april)
    assert found is not None and found.group_id == APRIL

    # Ona moves to April: her December seat goes to Rasa, first in line.
    moved = await console.post(
        f"/registrations/{GROUP}/{ona}/move",
        data={"csrf": csrf, "once": issue(csrf), "group": APRIL},
    )
    page = await console.get(moved.headers["location"])
    assert f"Registration No. {ona} moved to the group starting 2027-04-06." in _text(page.text)
    found = await services.registrations.get(ona)
    assert found is not None and found.group_id == APRIL
    assert await _status(services, rasa) == RegistrationStatus.OFFERED
    assert _count(page.text, "offered") == 1


async def test_the_csv_export_for_people_and_raw(
    console: httpx.AsyncClient, services: Services
) -> None:
    ona, jonas, rasa = await _fill(services)
    csrf = await sign_in(console, services, STAFF_ID)
    # Lithuanian: the reader's language, Excel's separator there.
    await console.post("/language", data={"csrf": csrf, "lang": "lt", "back": "/"})
    people = await console.get(f"/registrations/{GROUP}/export.csv")
    assert people.status_code == 200
    assert people.headers["content-type"].startswith("text/csv")
    body = people.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0][0] == "Nr."
    assert rows[0][1] == "Užregistruota (Europe/Vilnius)"
    by_id = {row[0]: row for row in rows[1:]}
    assert set(by_id) == {str(ona), str(jonas), str(rasa)}
    assert "12:00" in by_id[str(ona)][1]
    assert by_id[str(rasa)][3] == "1"  # place in line
    assert "Rasa Žemaitė" in by_id[str(rasa)]
    waiting = await console.get(f"/registrations/{GROUP}/export.csv?status=waiting")
    assert len(list(csv.reader(io.StringIO(waiting.text.lstrip("\ufeff")), delimiter=";"))) == 2

    raw = await console.get(f"/registrations/{GROUP}/export.csv?form=raw")
    assert not raw.text.startswith("\ufeff")
    raw_rows = list(csv.DictReader(io.StringIO(raw.text)))
    assert [r["status"] for r in raw_rows] == ["pending", "pending", "waiting"]
    assert raw_rows[0]["created_at"].startswith("2026-11-21T10:00:00")
    assert '"company": "UAB Ąžuolas"' in raw_rows[1]["payment_details"]
    audit = await services.roles.audit_page(ADMIN_ID, STAFF_ID, None, None, 50, 0)
    assert [entry[2] for entry in audit].count("registration_export") == 3


async def test_the_dashboard_counts_registrations_per_week_and_the_seats_left_soon(
    console: httpx.AsyncClient, services: Services, clock: FixedClock
) -> None:
    # Two hold December's last seats, a third waits; a week later one more
    # registers for April (which starts after the 30 days ahead).
    await _fill(services)
    clock.at = NOW + dt.timedelta(days=7)
    await _register(services, 5020, "Vėliau Užsiregistravęs", group_id=APRIL)
    await sign_in(console, services, STAFF_ID)
    page = await console.get("/")
    assert page.status_code == 200
    # One column per week, the statuses grouped (the bars' titles say the numbers).
    assert "2026-11-16 · holding a seat: 2" in page.text
    assert "2026-11-16 · on the waiting list: 1" in page.text
    assert "2026-11-23 · holding a seat: 1" in page.text
    soon = page.text.split('id="seats-soon"')[1].split("</table>")[0]
    shown = _text(soon)
    assert "Seats left in groups starting in the next 30 days" in shown
    # December's group (starts 1 Dec): full, one waiting; April is not listed.
    row = soon.split(f'href="/registrations/{GROUP}"')[1].split("</tr>")[0]
    assert re.findall(r"<td>(?:<strong>)?(\d+)", row) == ["14", "14", "0", "1"]
    assert APRIL not in soon
    # The same list where one picks a group's registrations.
    assert f'href="/registrations/{GROUP}"' in (await console.get("/registrations")).text
