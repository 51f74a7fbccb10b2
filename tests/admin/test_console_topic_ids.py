"""An enquiry's topic is kept as an id and shown in each reader's language:
a Lithuanian learner's "Kita" is "Something else" in the English console,
and topics stored as labels before are turned into ids."""

from __future__ import annotations

import httpx

from services.container import Services
from storage import enquiries_repo
from storage.database import Database
from tests.admin.conftest import STAFF_ID, add_enquiry, sign_in
from tests.conftest import ROOT
from texts.enquiries import staff_post, topic_label
from texts.i18n import translator


async def test_a_topic_id_is_shown_in_the_readers_language(
    console: httpx.AsyncClient, services: Services
) -> None:
    number = await add_enquiry(services, "Ar galima atsivesti šunį?", topic="other", lang="lt")
    await sign_in(console, services, STAFF_ID)
    english = await console.get(f"/enquiries/{number}")
    assert "<dd>Something else</dd>" in english.text and "Kita" not in english.text
    listed = await console.get("/enquiries")
    assert "Something else" in listed.text
    enquiry = await enquiries_repo.get(services.db.reader, number)
    assert enquiry is not None
    post = staff_post(translator("lt"), enquiry, programme_title="Elektrikas (suaugusiesiems)")
    assert "Tema: Kita – Elektrikas (suaugusiesiems)" in post.text
    assert topic_label(translator("en"), "driving") == "Driving school"


async def test_topics_stored_as_labels_become_ids(services: Services) -> None:
    async with services.db.transaction() as conn:
        for n, (topic, programme) in enumerate(
            [
                ("Kita", None),
                ("Something else", None),
                ("Mokytojams", None),
                ("Elektrikas (suaugusiesiems)", "cont-electrician"),
                ("Kainos", None),
            ]
        ):
            await enquiries_repo.create(
                conn,
                user_id=2001,
                lang="lt",
                topic=topic,
                programme_id=programme,
                text=f"q{n}",
                name=None,
                phone=None,
                source_key=f"old:{n}",
                now=services.clock.now().isoformat(),
            )
    script = (ROOT / "storage" / "migrations" / "0021_topic_ids.sql").read_text()
    await _run(services.db, script)
    async with services.db.reader.execute("SELECT topic FROM enquiries ORDER BY id") as cur:
        topics = [row[0] for row in await cur.fetchall()]
    # A free text no label matches (written by hand) stays as it was.
    assert topics == ["other", "other", "teachers", "programmes", "Kainos"]


async def _run(db: Database, script: str) -> None:
    async with db.transaction() as conn:
        code = "\n".join(line for line in script.splitlines() if not line.startswith("--"))
        for statement in code.split(";"):
            if (
                statement.strip() and not statement.strip().startswith("--")
            ) or "UPDATE" in statement:
                await conn.execute(statement)
