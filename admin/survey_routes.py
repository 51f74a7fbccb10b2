"""Feedback: the survey's results per programme and group (averages and
distributions per question as charts and tables, the comments) and the
answers as CSV."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from admin import charts, group_choice
from admin.csv_response import csv_download
from admin.session import page, services_of
from admin.templating import render, translator_for
from services.admin_auth import Session
from texts import survey as texts


def _scope(request: Request) -> tuple[str | None, str | None]:
    q = request.query_params
    return q.get("programme") or None, q.get("group") or None


async def feedback_page(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    programme_id, group_id = _scope(request)
    results = await services.surveys.results(session.user_id, programme_id, group_id)
    view = services.catalogue.view
    scale = ["1", "2", "3", "4", "5"]
    return render(
        request,
        "feedback.html",
        t,
        session=session,
        results=results,
        programmes=sorted(view.programmes.values(), key=lambda p: p.title.get(t.lang)),
        groups=group_choice.choices(view, t.lang),
        programme_id=programme_id or "",
        group_id=group_id or "",
        question_label=lambda q: texts.question_label(t, q),
        charts={
            r.question: charts.columns(scale, r.distribution, texts.question_label(t, r.question))
            for r in results.questions
        },
        scale=scale,
        titles={pid: p.title.get(t.lang) for pid, p in view.programmes.items()},
        chart_width=charts.WIDTH,
        chart_height=charts.HEIGHT,
        query=request.url.query,
    )


async def feedback_csv(request: Request, session: Session) -> Response:
    """The answers for Excel, in the reader's language."""
    services = services_of(request)
    t = translator_for(request, session.lang)
    programme_id, group_id = _scope(request)
    answers = await services.surveys.answers(session.user_id, programme_id, group_id)
    titles = {pid: p.title.get(t.lang) for pid, p in services.catalogue.view.programmes.items()}
    return csv_download(answers, texts.csv_for_people(t, titles), "feedback.csv")


ROUTES = [
    Route("/feedback", page(feedback_page), methods=["GET"]),
    Route("/feedback.csv", page(feedback_csv), methods=["GET"]),
]
