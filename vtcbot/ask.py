"""`vtcbot ask`: the answer engine from the command line."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from services.container import Services
from texts import answers
from texts.i18n import translator
from texts.reply import plain


async def answer_one(services: Services, question: str, lang: str) -> dict[str, Any]:
    result = await services.answers.ask(question, lang, log=False)
    t = translator(lang)
    reply = answers.answer_reply(t, services.catalogue.view, result, services.clock.now())
    return {
        "query": question,
        "lang": lang,
        "intent": result.intent,
        "results": [{"type": h.type, "id": h.id, "score": h.score} for h in result.hits],
        "answer": plain(reply.text),
        "buttons": [b.label for row in reply.buttons for b in row],
    }


def print_human(out: TextIO, record: dict[str, Any]) -> None:
    out.write(record["answer"] + "\n")
    suggestions = [label for label in record["buttons"] if label]
    if suggestions:
        out.write("\n" + "  ".join(f"[{label}]" for label in suggestions) + "\n")


async def run(services: Services, question: str | None, lang: str, as_json: bool) -> int:
    questions = [question] if question is not None else (line.strip() for line in sys.stdin)
    for q in questions:
        if not q:
            continue
        record = await answer_one(services, q, lang)
        if as_json:
            record.pop("buttons")
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            print_human(sys.stdout, record)
        sys.stdout.flush()
    return 0
