"""The console counts the learners who wrote in each detected language."""

from __future__ import annotations

import re

import httpx

from services.container import Services
from tests.admin.conftest import STAFF_ID, sign_in


async def _write(services: Services, user_id: int, message_id: int, text: str, lang: str) -> None:
    """A learner's message as the bot logs it (see bot/handlers/questions.py)."""
    if lang in ("lt", "en"):
        await services.answers.ask(
            text, lang, user_id=user_id, chat_id=user_id, message_id=message_id, detected_lang=lang
        )
    else:
        await services.answers.log_foreign(
            text, "lt", lang, user_id=user_id, chat_id=user_id, message_id=message_id
        )


def _rows(page: str) -> dict[str, str]:
    """Language name -> learners, from the page's "Languages learners wrote in" table."""
    section = page.split('id="languages"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r'<tr class="language[^"]*"><td>([^<]+)<small>.*?</td><td>([^<]+)</td>', section
    )
    return {name.strip(): learners for name, learners in rows}


async def test_unanswered_page_and_dashboard_count_learners_per_language(
    console: httpx.AsyncClient, services: Services
) -> None:
    await _write(services, 3001, 1, "Где вы находитесь?", "ru")
    await _write(services, 3001, 2, "Сколько стоит курс?", "ru")  # the same learner again
    await _write(services, 3002, 3, "Где находится школа?", "ru")
    await _write(services, 3003, 4, "Скільки коштує курс?", "uk")
    await _write(services, 3004, 5, "kiek kainuoja vairavimo kursai", "lt")
    await sign_in(console, services, STAFF_ID)
    for path in ("/unanswered", "/"):
        page = (await console.get(path)).text
        assert "Languages learners wrote in" in page, path
        assert _rows(page) == {
            "Russian": "2 learners",
            "Lithuanian": "1 learner",
            "Ukrainian": "1 learner",
        }, path
        assert page.count("not spoken by the bot") == 2, path
    # The questions in other languages are among those staff should answer.
    unanswered = (await console.get("/unanswered")).text
    assert "Скільки коштує курс?" in unanswered


async def test_no_language_yet(console: httpx.AsyncClient, services: Services) -> None:
    await sign_in(console, services, STAFF_ID)
    assert "No language detected yet." in (await console.get("/unanswered")).text
