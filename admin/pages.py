"""The dashboard and the audit log."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from admin import charts
from admin.session import forbidden, number, page, services_of
from admin.templating import render, translator_for
from services.admin_auth import Session
from services.registration_console import SOON_DAYS
from services.roles import NotAllowed
from texts import audit as audit_texts
from texts import registration_console as texts_registrations
from texts.enquiries import topic_label

AUDIT_PAGE = 100


def _weeks(today: dt.date, count: int) -> list[str]:
    monday = today - dt.timedelta(days=today.weekday())
    return [(monday - dt.timedelta(weeks=i)).isoformat() for i in range(count - 1, -1, -1)]


async def dashboard(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    figures = await services.dashboard.figures(session.user_id)
    languages = await services.unanswered.languages(session.user_id, t.lang)
    weeks = _weeks(services.clock.now().date(), 8)
    by_topic: dict[str, dict[str, int]] = {}
    for week, topic, n in figures.per_week:
        # Topics in the reader's language; an enquiry without one says so.
        name = topic_label(t, topic) if topic and topic != "-" else t.gettext("no topic")
        counts = by_topic.setdefault(name, {})
        counts[week] = counts.get(week, 0) + n
    unanswered = {t.gettext("Not answered"): dict(figures.unanswered_per_week)}
    registrations = texts_registrations.week_series(
        t,
        await services.registration_console.per_week(
            session.user_id, dt.date.fromisoformat(weeks[0])
        ),
    )
    votes = await services.feedback.weekly_share(session.user_id, dt.date.fromisoformat(weeks[0]))
    return render(
        request,
        "dashboard.html",
        t,
        session=session,
        figures=figures,
        languages=languages,
        enquiries_chart=charts.stacked(weeks, by_topic),
        unanswered_chart=charts.stacked(weeks, unanswered),
        votes=votes,
        registrations_chart=charts.stacked(weeks, registrations),
        soon=await services.registration_console.starting_soon(session.user_id),
        soon_days=SOON_DAYS,
        not_helpful_chart=charts.shares(
            weeks, {w.week: (w.down, w.votes) for w in votes}, t.gettext("Not helpful")
        ),
        chart_width=charts.WIDTH,
        chart_height=charts.HEIGHT,
    )


async def audit(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    q = request.query_params
    actor = q.get("actor", "")
    offset = q.get("offset", "0")
    try:
        entries = await services.roles.audit_page(
            session.user_id,
            number(actor),
            q.get("action") or None,
            q.get("outcome") or None,
            AUDIT_PAGE,
            number(offset) or 0,
        )
    except NotAllowed:
        return forbidden(request, session)
    return render(
        request,
        "audit.html",
        t,
        session=session,
        entries=entries,
        values=q,
        actions=sorted(audit_texts.ACTION_LABELS),
        outcomes=list(audit_texts.OUTCOME_LABELS),
        action_label=lambda action: audit_texts.action_label(t, action),
        outcome_label=lambda outcome: audit_texts.outcome_label(t, outcome),
        target_label=lambda target: audit_texts.target_label(
            t, target, request.state.staff_names
        ),
    )


ROUTES = [
    Route("/", page(dashboard), methods=["GET"]),
    Route("/audit", page(audit), methods=["GET"]),
]
