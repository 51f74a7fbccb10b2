"""Jinja2 pages in the reader's language, from the bot's gettext catalogs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from domain.languages import LANGUAGES, STAFF_LANGUAGE
from services.bidi import safe_name, strip_bidi
from services.form_tokens import issue
from texts import labels
from texts.broadcast_compose import state_label as broadcast_state
from texts.enquiries import STATUS_LABELS, delivery_label, topic_label
from texts.i18n import Translator, translator
from texts.labels import language_name

TEMPLATES = Path(__file__).parent / "templates"


def _shown(value: Any) -> Any:
    """Every {{ value }} of every page: what people typed (names, questions,
    notes) cannot reorder the page around it with bidi controls."""
    if isinstance(value, Markup):
        return Markup(strip_bidi(str(value)))
    if isinstance(value, str):
        return safe_name(value)
    return value


# Autoescape on: everything a learner typed is shown as text, never as HTML.
_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    finalize=_shown,
)
# {{ e.name|safe_name }}: said where a name is shown (every value passes _shown too).
_ENV.filters["safe_name"] = safe_name


def language_of(request: Request, session_lang: str | None) -> str:
    """The session's choice, else the browser's first supported language."""
    if session_lang in LANGUAGES:
        return session_lang
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return LANGUAGES[0]


def render(
    request: Request, name: str, t: Translator, status_code: int = 200, **context: Any
) -> HTMLResponse:
    template = _ENV.get_template(name)
    session = context.get("session")
    zone = request.app.state.services.catalogue.view.zone
    secret = getattr(session, "csrf", None)
    # Old-style callables: a translated string stays a plain str, so it is
    # escaped on output like any other value, also after .format().
    html = template.render(
        request=request,
        t=t,
        _=t.gettext,
        gettext=t.gettext,
        ngettext=t.ngettext,
        lang=t.lang,
        # The bot's own words for an enquiry's status and a broadcast's state.
        status_label=lambda status: t.gettext(STATUS_LABELS.get(status) or status),
        state_label=lambda state: broadcast_state(t, state),
        # {{ when(e.created_at) }}: every time shown is in the centre's zone
        # (the page says which, once, at its foot).
        when=lambda value: t.moment(value, zone),
        zone_name=str(zone),
        # Staff notes are written in the staff's language (the lang of their
        # element, for screen readers and the language check).
        staff_language=STAFF_LANGUAGE,
        topic_label=lambda topic: topic_label(t, topic) if topic else "",
        language_name=lambda code: language_name(t, code),
        kind_label=lambda kind: labels.kind(t, kind),
        mode_label=lambda mode: labels.mode(t, mode),
        staff_name=lambda user_id: staff_name(t, request, user_id),
        delivery_label=lambda state, reason: delivery_label(t, state, reason),
        # {{ once() }}: a form's one-time token (see services/form_tokens.py).
        once=lambda token=None: _once_field(secret, token),
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def staff_name(t: Translator, request: Request, user_id: int | None) -> str:
    """A staff member or admin by name (the id only when no name is known)."""
    if user_id is None:
        return ""
    names: dict[int, str] = getattr(request.state, "staff_names", {})
    return names.get(user_id) or t.gettext("user {id}").format(id=user_id)


def _once_field(secret: str | None, token: str | None = None) -> Markup:
    if secret is None:
        return Markup("")
    value = token or issue(secret)
    return Markup('<input type="hidden" name="once" value="{}">').format(value)


def translator_for(request: Request, session_lang: str | None) -> Translator:
    return translator(language_of(request, session_lang))
