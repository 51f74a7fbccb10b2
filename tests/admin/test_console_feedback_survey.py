"""The feedback survey's results in the console: averages, distributions as
charts and tables, comments, and the CSV for Excel."""

from __future__ import annotations

import re

import httpx

from services.container import Services
from storage import surveys_repo
from tests.admin.conftest import STAFF_ID, sign_in
from tests.registration_helpers import add_registration

GROUP = "pd-digital-didactics-2027-01"
OTHER = "pd-digital-didactics-2027-04-online"


async def _answer(
    services: Services, group: str, ratings: tuple[int, int, int], comment: str | None
) -> None:
    """One participant's finished survey, as the bot stores it."""
    registration = await add_registration(services, 6000 + len(comment or "x"), group)
    async with services.db.transaction() as conn:
        await surveys_repo.invite(conn, registration, "2027-01-21T09:00:00+00:00")
        for question, value in zip(surveys_repo.QUESTIONS, ratings, strict=True):
            await surveys_repo.rate(conn, registration, question, value, "2027-01-21T09:01:00")
        assert await surveys_repo.finish(conn, registration, comment, "2027-01-21")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


async def test_results_per_group_with_charts_comments_and_csv(
    console: httpx.AsyncClient, services: Services
) -> None:
    await _answer(services, GROUP, (5, 4, 3), "Daugiau praktikos; ačiū!")
    await _answer(services, GROUP, (4, 4, 1), None)
    await _answer(services, OTHER, (1, 1, 1), "Other group")
    await sign_in(console, services, STAFF_ID)

    page = await console.get("/feedback", params={"group": GROUP})
    assert page.status_code == 200
    shown = _text(page.text)
    assert "2 answers" in shown
    # Question, average, then how many gave 1, 2, 3, 4, 5.
    assert "Content of the course 4.50 0 0 0 1 1" in shown
    assert "The teacher 4.00 0 0 0 2 0" in shown
    assert "Organisation 2.00 1 0 1 0 0" in shown
    assert "4 · Content of the course: 1" in page.text  # a bar's title in the chart
    assert "Daugiau praktikos; ačiū!" in shown and "Other group" not in shown

    everything = _text((await console.get("/feedback")).text)
    assert "3 answers" in everything and "Other group" in everything

    csv = await console.get("/feedback.csv", params={"group": GROUP})
    assert csv.headers["content-type"].startswith("text/csv")
    body = csv.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0] == (
        "Day,Programme,Group,Language,Content of the course,The teacher,Organisation,Comment"
    )
    assert lines[1] == (
        f"2027-01-21,Digital didactics in VET,{GROUP},Lithuanian,5,4,3,Daugiau praktikos; ačiū!"
    )
    assert len(lines) == 3
