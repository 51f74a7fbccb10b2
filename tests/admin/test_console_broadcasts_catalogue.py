"""Broadcasts and the catalogue from the web console."""

from __future__ import annotations

from pathlib import Path

import httpx

from services.broadcasts import Audience
from services.container import Services
from storage import learners_repo
from tests.admin.conftest import STAFF_ID, once, sign_in
from tests.conftest import ADMIN_ID, DEMO


async def test_compose_preview_and_send_once(
    console: httpx.AsyncClient, services: Services
) -> None:
    async with services.db.transaction() as conn:
        for user, lang in ((3001, "lt"), (3002, "lt"), (3101, "en")):
            await learners_repo.touch(conn, user, lang, "-")
    csrf = await sign_in(console, services, STAFF_ID)
    form = {
        "csrf": csrf,
        "text_lt": "<b>Rytoj</b> pamokos nebus & <script>alert(1)</script>",
        "text_en": "No lesson <b>tomorrow</b>",
        "kind": "everyone",
        "when": "now",
    }
    refused = await console.post("/broadcasts/preview", data=form)
    assert refused.status_code == 400
    assert "&lt;script&gt; is not a tag Telegram knows." in refused.text
    form["text_lt"] = '<b>Rytoj</b> pamokos nebus & <a href="javascript:alert(1)">x</a>'
    shown = await console.post("/broadcasts/preview", data=form)
    assert shown.status_code == 200, shown.text
    # Three learners and the staff member's own row? Only those who wrote: 3.
    assert "3 recipients now (Lithuanian 2, English 1)." in shown.text
    # The preview is rebuilt: formatting kept, the script link's address dropped.
    assert "<b>Rytoj</b> pamokos nebus &amp; x" in shown.text
    bubble = shown.text.split('<div class="bubble" lang="lt">')[1].split("</div>")[0]
    assert "javascript:" not in bubble
    token = shown.text.split('name="once" value="')[1].split('"')[0]
    send = {**form, "once": token, "text_lt": "<b>Rytoj</b> pamokos nebus &amp; viskas"}
    first = await console.post("/broadcasts", data=send)
    again = await console.post("/broadcasts", data=send)
    assert first.headers["location"] == "/broadcasts?created=1"
    assert again.headers["location"] == "/broadcasts?created=1&already=1"
    rows = await services.broadcasts.recent(ADMIN_ID)
    assert [(r.id, r.text_lt, r.text_en) for r in rows] == [
        (1, "<b>Rytoj</b> pamokos nebus &amp; viskas", "No lesson <b>tomorrow</b>")
    ]
    history = await console.get("/broadcasts")
    assert "Rytoj pamokos nebus &amp; viskas" in history.text


async def test_schedule_and_cancel(console: httpx.AsyncClient, services: Services) -> None:
    csrf = await sign_in(console, services, STAFF_ID)
    past = await console.post(
        "/broadcasts/preview",
        data={
            "csrf": csrf,
            "text_lt": "Labas",
            "lt_to_all": "1",
            "kind": "staff",
            "when": "at",
            "at": "2026-11-20T09:00",
        },
    )
    assert past.status_code == 400 and "That time has already passed" in past.text
    broadcast_id = await services.broadcasts.create(
        ADMIN_ID, "Vėliau", None, Audience("staff"), send_at=services.clock.now().replace(year=2027)
    )
    cancel = f"/broadcasts/{broadcast_id}/cancel"
    assert (await console.post(cancel, data={})).status_code == 403
    # Not without the box ticked; then cancelled, and the page says so.
    unticked = await console.post(cancel, data={"csrf": csrf, "once": once(csrf)})
    assert unticked.headers["location"] == f"/broadcasts?unconfirmed={broadcast_id}"
    row = await services.broadcasts.get(broadcast_id)
    assert row is not None and row.state == "scheduled"
    done = await console.post(cancel, data={"csrf": csrf, "once": once(csrf), "confirm": "yes"})
    shown = await console.get(done.headers["location"])
    assert f"Broadcast No. {broadcast_id} was cancelled" in shown.text
    row = await services.broadcasts.get(broadcast_id)
    assert row is not None and row.state == "cancelled"


async def test_upload_a_broken_catalogue_then_a_good_one(
    console: httpx.AsyncClient, services: Services, tmp_path: Path
) -> None:
    csrf = await sign_in(console, services, ADMIN_ID)
    good = DEMO.read_text(encoding="utf-8")
    broken = good.replace("starts: 2027-01-11", "starts: 2027-13-45", 1)
    assert broken != good
    report = await console.post(
        "/catalogue/upload",
        data={"csrf": csrf},
        files={"file": ("centre.yaml", broken.encode(), "text/yaml")},
    )
    assert report.status_code == 422
    assert "nothing was changed" in report.text
    assert "not a date (YYYY-MM-DD)" in report.text
    assert "Apply this catalogue" not in report.text

    # One programme's title changed: the diff names it; applying changes it.
    first = services.catalogue.view.catalogue.programmes[0]
    old_title = first.title.get("en")
    changed = good.replace(old_title, old_title + " (new)", 1)
    diff = await console.post(
        "/catalogue/upload",
        data={"csrf": csrf},
        files={"file": ("centre.yaml", changed.encode(), "text/yaml")},
    )
    assert diff.status_code == 200, diff.text
    assert first.id in diff.text
    assert services.catalogue.view.programmes[first.id].title.get("en") == old_title
    upload_id = diff.text.split('action="/catalogue/apply/')[1].split('"')[0]
    applied = await console.post(f"/catalogue/apply/{upload_id}", data={"csrf": csrf})
    assert applied.status_code == 200 and "Catalogue applied" in applied.text
    assert services.catalogue.view.programmes[first.id].title.get("en") == old_title + " (new)"
    # The same upload cannot be applied twice.
    again = await console.post(f"/catalogue/apply/{upload_id}", data={"csrf": csrf})
    assert again.status_code == 409


async def test_staff_browse_the_catalogue_but_cannot_upload(
    console: httpx.AsyncClient, services: Services
) -> None:
    csrf = await sign_in(console, services, STAFF_ID)
    page = await console.get("/catalogue")
    assert page.status_code == 200 and 'type="file"' not in page.text
    programme = services.catalogue.view.catalogue.programmes[0]
    assert (await console.get(f"/catalogue/programmes/{programme.id}")).status_code == 200
    refused = await console.post(
        "/catalogue/upload",
        data={"csrf": csrf},
        files={"file": ("centre.yaml", b"version: 1", "text/yaml")},
    )
    assert refused.status_code == 403


async def test_an_announcement_too_long_only_in_utf16_units_is_refused_before_sending(
    console: httpx.AsyncClient, services: Services
) -> None:
    async with services.db.transaction() as conn:
        await learners_repo.touch(conn, 3001, "lt", "-")
    csrf = await sign_in(console, services, STAFF_ID)
    form = {
        "csrf": csrf,
        "text_lt": "a" * 3000 + "😀" * 600,
        "lt_to_all": "1",
        "kind": "everyone",
        "when": "now",
        "once": once(csrf),
    }
    for path in ("/broadcasts/preview", "/broadcasts"):
        refused = await console.post(path, data=form)
        assert refused.status_code == 400
        assert "Lithuanian text: The text is 4200 characters long; the limit is 4096." in (
            refused.text
        )
    assert await services.broadcasts.recent(ADMIN_ID) == []


async def test_an_audience_nobody_is_in_is_refused(
    console: httpx.AsyncClient, services: Services
) -> None:
    csrf = await sign_in(console, services, STAFF_ID)
    form = {"csrf": csrf, "text_lt": "Labas", "lt_to_all": "1", "kind": "en", "when": "now"}
    refused = await console.post("/broadcasts/preview", data=form)
    assert refused.status_code == 400
    assert "Nobody would receive this announcement. Choose another audience." in refused.text
