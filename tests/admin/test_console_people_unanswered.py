"""People (find, view, export, erase, staff role) and unanswered questions
(grouped; added to the next catalogue version) in the web console."""

from __future__ import annotations

import difflib
import json

import httpx

from services.catalogue.validation import load_text
from services.container import Services
from storage import learners_repo, question_log_repo, roles_repo
from storage.question_log_repo import QuestionRecord
from tests.admin.conftest import LEARNER_ID, STAFF_ID, add_enquiry, once, sign_in
from tests.conftest import ADMIN_ID, DEMO


async def test_find_view_export_and_erase_a_learner(
    console: httpx.AsyncClient, services: Services
) -> None:
    async with services.db.transaction() as conn:
        await learners_repo.touch(conn, LEARNER_ID, "lt", services.clock.now().isoformat())
    await add_enquiry(services, "Noriu registruotis į kursus")
    csrf = await sign_in(console, services, ADMIN_ID)
    found = await console.get("/people", params={"q": "Onait"})
    assert f'href="/people/{LEARNER_ID}"' in found.text
    person = await console.get(f"/people/{LEARNER_ID}")
    assert "Noriu registruotis į kursus" in person.text
    exported = await console.post(f"/people/{LEARNER_ID}/export", data={"csrf": csrf})
    data = json.loads(exported.content)
    assert data["telegram_user_id"] == LEARNER_ID
    assert data["enquiries"][0]["phone"] == "+37061234567"
    # Not without the box ticked.
    await console.post(f"/people/{LEARNER_ID}/erase", data={"csrf": csrf, "once": once(csrf)})
    assert await learners_repo.get(services.db.reader, LEARNER_ID) is not None
    erased = await console.post(
        f"/people/{LEARNER_ID}/erase", data={"csrf": csrf, "once": once(csrf), "confirm": "yes"}
    )
    assert erased.headers["location"] == f"/people/{LEARNER_ID}?done=erased"
    assert await learners_repo.get(services.db.reader, LEARNER_ID) is None
    after = await console.post(f"/people/{LEARNER_ID}/export", data={"csrf": csrf})
    assert json.loads(after.content)["enquiries"] == []
    actions = [e[2] for e in await roles_repo.audit_entries(services.db.reader)]
    assert {"person_view", "person_export", "person_erase"} <= set(actions)


async def test_only_admins_manage_roles_and_erase(
    console: httpx.AsyncClient, services: Services
) -> None:
    csrf = await sign_in(console, services, STAFF_ID)
    page = await console.get(f"/people/{LEARNER_ID}")
    assert page.status_code == 200 and "Make staff" not in page.text
    for path, form in (
        (f"/people/{LEARNER_ID}/staff", {"action": "grant"}),
        (f"/people/{LEARNER_ID}/erase", {"confirm": "yes"}),
        (f"/people/{LEARNER_ID}/export", {}),
    ):
        refused = await console.post(path, data={"csrf": csrf, "once": once(csrf), **form})
        assert refused.status_code == 403, path
    assert str(await services.roles.role_of(LEARNER_ID)) == "learner"

    console.cookies.clear()
    csrf = await sign_in(console, services, ADMIN_ID)
    grant = {"csrf": csrf, "once": once(csrf), "action": "grant"}
    await console.post(f"/people/{LEARNER_ID}/staff", data=grant)
    assert str(await services.roles.role_of(LEARNER_ID)) == "staff"
    revoke = {"csrf": csrf, "once": once(csrf), "action": "revoke"}
    await console.post(f"/people/{LEARNER_ID}/staff", data=revoke)
    assert str(await services.roles.role_of(LEARNER_ID)) == "learner"


async def _unanswered(services: Services, texts: list[str]) -> None:
    async with services.db.transaction() as conn:
        for n, text in enumerate(texts):
            await question_log_repo.add(
                conn,
                QuestionRecord(
                    None,
                    None,
                    None,
                    2000 + n,
                    "lt",
                    text,
                    "other",
                    None,
                    None,
                    None,
                    False,
                    services.clock.now().isoformat(),
                ),
            )


async def test_similar_questions_are_grouped_and_become_faq_wordings(
    console: httpx.AsyncClient, services: Services
) -> None:
    await _unanswered(
        services,
        [
            "ar galima atsivesti suni i pamokas",
            "Ar galima atsivesti šunį į pamokas?",
            "ar galima su sunim i pamokas ateiti",
            "kada atostogos",
        ],
    )
    csrf = await sign_in(console, services, ADMIN_ID)
    page = await console.get("/unanswered")
    assert "3×" in page.text and "1×" in page.text
    faq_id = services.catalogue.view.catalogue.faq[0].id
    added = await console.post(
        "/unanswered/faq",
        data={
            "csrf": csrf,
            "once": once(csrf),
            "faq_id": faq_id,
            "lang": "lt",
            "text": "kada atostogos",
        },
    )
    assert added.headers["location"] == "/unanswered?done=added"
    download = await console.get("/unanswered/catalogue.yaml")
    report = load_text(download.text)
    assert report.ok, report.errors
    assert report.catalogue is not None
    [entry] = [f for f in report.catalogue.faq if f.id == faq_id]
    assert "kada atostogos" in entry.questions.lt
    # The catalogue in use is unchanged until the file is uploaded again.
    assert "kada atostogos" not in services.catalogue.view.faq[faq_id].questions.lt


async def test_staff_read_unanswered_but_cannot_change_the_catalogue(
    console: httpx.AsyncClient, services: Services
) -> None:
    csrf = await sign_in(console, services, STAFF_ID)
    assert (await console.get("/unanswered")).status_code == 200
    assert (await console.get("/unanswered/catalogue.yaml")).status_code == 403
    faq_id = services.catalogue.view.catalogue.faq[0].id
    refused = await console.post(
        "/unanswered/faq",
        data={"csrf": csrf, "once": once(csrf), "faq_id": faq_id, "lang": "lt", "text": "x"},
    )
    assert refused.status_code == 403


async def test_the_unanswered_page_is_a_work_list(
    console: httpx.AsyncClient, services: Services
) -> None:
    """Junk is dismissed, a question answered otherwise is marked handled,
    and a question whose wording reached the catalogue leaves by itself."""
    known = services.catalogue.view.catalogue.faq[0].questions.lt[0]
    await _unanswered(services, ["asdf qwerty", "Ar veikia valgykla šeštadieniais?", known.lower()])
    csrf = await sign_in(console, services, STAFF_ID)
    page = await console.get("/unanswered")
    # Asked in the very words of an FAQ entry: handled when it got there.
    assert known.lower() not in page.text
    assert "asdf qwerty" in page.text and "valgykla" in page.text
    for key, action in (
        ("asdf qwerty", "dismiss"),
        ("ar veikia valgykla sestadieniais", "handled"),
    ):
        groups = await services.unanswered.groups(STAFF_ID)
        [group] = [g for g in groups if g.key.startswith(key.split()[0])]
        done = await console.post(
            "/unanswered/set-aside",
            data={"csrf": csrf, "once": once(csrf), "key": group.key, "action": action},
        )
        assert done.headers["location"] in (
            "/unanswered?done=dismissed",
            "/unanswered?done=handled",
        )
    after = await console.get("/unanswered")
    assert "asdf qwerty" not in after.text and "valgykla" not in after.text
    assert "No unanswered questions." in after.text


async def test_the_next_catalogue_keeps_the_files_comments_with_a_new_entry(
    console: httpx.AsyncClient, services: Services
) -> None:
    await _unanswered(services, ["Ar veikia valgykla šeštadieniais?"])
    csrf = await sign_in(console, services, ADMIN_ID)
    page = await console.get("/unanswered")
    # The FAQ entry is chosen by typing, not preset to the first one.
    assert 'list="faq-entries"' in page.text and "<datalist" in page.text
    new = await console.post(
        "/unanswered/new-faq",
        data={
            "csrf": csrf,
            "once": once(csrf),
            "lang": "lt",
            "question": "Ar veikia valgykla šeštadieniais?",
            "id": "canteen-hours",
            "topic": "services",
            "answer_lt": "Valgykla šeštadieniais nedirba.",
            "answer_en": "The canteen is closed on Saturdays.",
        },
    )
    assert new.headers["location"] == "/unanswered?done=new_faq"
    faq_id = services.catalogue.view.catalogue.faq[0].id
    await console.post(
        "/unanswered/faq",
        data={"csrf": csrf, "once": once(csrf), "faq_id": faq_id, "lang": "lt", "text": "x y"},
    )
    download = (await console.get("/unanswered/catalogue.yaml")).text
    original = DEMO.read_text(encoding="utf-8")
    # Every comment of the file is still there (the DEMO markers among them).
    comments = [line.strip() for line in original.splitlines() if "#" in line]
    assert comments and all(c in download for c in comments)
    # Only the additions differ: the wording, and the new entry at the end.
    added = [
        line
        for line in difflib.ndiff(original.splitlines(), download.splitlines())
        if line.startswith(("+ ", "- "))
    ]
    assert all(line.startswith("+ ") for line in added), added
    assert "+         - x y" in added
    assert "+   - id: canteen-hours" in added
    report = load_text(download)
    assert report.ok, report.errors
    assert report.catalogue is not None
    [entry] = [f for f in report.catalogue.faq if f.id == "canteen-hours"]
    assert entry.answer.lt == "Valgykla šeštadieniais nedirba."
