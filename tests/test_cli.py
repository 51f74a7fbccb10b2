"""The `vtcbot` command as staff and tools use it."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
from pathlib import Path

import yaml

from emulator import BotApiEmulator
from services.container import Services
from tests.conftest import DEMO
from tests.process import VTCBOT, bot_env, run_cli, start_bot, stop_bot


def _catalogue_dump(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, data FROM programmes ORDER BY id").fetchall()


async def test_import_demo_then_broken_copy(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    code, out, _ = await run_cli("import", str(DEMO), db=db, cwd=tmp_path)
    assert code == 0
    assert "programmes: 42 added, 0 updated, 0 removed" in out
    before = _catalogue_dump(db)

    raw = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    raw["programmes"][3]["groups"][0]["starts"] = "2027-13-01"
    raw["programmes"][1]["department"] = "nowhere"
    del raw["programmes"][2]["summary"]["en"]
    raw["programmes"][5]["id"] = raw["programmes"][4]["id"]
    raw["programmes"][0]["title"]["lt"] = "Pakeistas pavadinimas"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    code, _, err = await run_cli("import", str(broken), db=db, cwd=tmp_path)
    assert code == 1
    for place in (
        "programmes[3].groups[0].starts: not a date",
        "programmes[1].department: unknown department 'nowhere'",
        "programmes[2].summary.en: missing",
        "programmes[5].id: duplicate id 'car-mechanic'",
    ):
        assert place in err
    assert _catalogue_dump(db) == before

    code, out, _ = await run_cli("import", str(DEMO), db=db, cwd=tmp_path)
    assert code == 0
    assert "programmes: 0 added, 0 updated, 0 removed" in out


async def test_ask_json_one_question(tmp_path: Path) -> None:
    code, out, _ = await run_cli(
        "ask",
        "kiek kainuoja B kategorija?",
        "--lang",
        "lt",
        "--json",
        db=tmp_path / "bot.db",
        cwd=tmp_path,
    )
    assert code == 0
    record = json.loads(out)
    assert set(record) == {"query", "lang", "intent", "results", "answer"}
    assert record["lang"] == "lt" and record["intent"] == "price"
    assert record["results"][0]["type"] in ("programme", "faq")
    assert record["results"][0]["id"] in ("driving-b", "driving-price-duration")
    assert isinstance(record["results"][0]["score"], float)
    assert "690" in record["answer"] and "<b>" not in record["answer"]


async def test_ask_reads_questions_from_stdin(tmp_path: Path) -> None:
    questions = "tell me a joke pls\nhow much is the forklift course?\n"
    code, out, _ = await run_cli(
        "ask",
        "--lang",
        "en",
        "--json",
        db=tmp_path / "bot.db",
        cwd=tmp_path,
        stdin=questions.encode(),
    )
    assert code == 0
    joke, forklift = (json.loads(line) for line in out.splitlines())
    assert joke["results"] == [] and "do not know" in joke["answer"]
    assert forklift["results"][0]["id"] == "forklift-operator"


async def test_ask_without_json_prints_the_answer(tmp_path: Path) -> None:
    code, out, _ = await run_cli(
        "ask", "dormitory price", "--lang", "en", db=tmp_path / "bot.db", cwd=tmp_path
    )
    assert code == 0
    assert out.strip() and not out.lstrip().startswith("{")


async def test_run_answers_through_the_api_url_in_both_languages(
    tmp_path: Path, emulator: BotApiEmulator
) -> None:
    assert emulator.url is not None
    proc = await start_bot(tmp_path / "bot.db", emulator.url, tmp_path)
    try:
        emulator.send_text(601, "/start", language_code="lt")
        emulator.send_text(601, "kiek kainuoja B kategorija?", language_code="lt")
        emulator.send_text(602, "/start", language_code="en")
        emulator.send_text(602, "how much is the forklift course?", language_code="en")
        lt_menu, lt_answer = await emulator.wait_for_messages(601, 2, timeout=30)
        en_menu, en_answer = await emulator.wait_for_messages(602, 2, timeout=30)
    finally:
        code = await stop_bot(proc)
    assert code == 0, "the bot did not stop cleanly on SIGTERM"
    assert lt_menu["text"].startswith("Sveiki!") and "690" in lt_answer["text"]
    assert en_menu["text"].startswith("Hello!") and "€280.00" in en_answer["text"]
    # Long polling, never dropping pending updates.
    deletes = emulator.requests("deleteWebhook")
    assert deletes and all(r.get("outcome") == "ok" for r in deletes)


async def test_run_without_token_starts_the_offline_chat(tmp_path: Path) -> None:
    # Driving school is button 2 of the menu, B category button 3 of its list;
    # 40 is no button at all.
    script = b"2\n3\n40\nkiek kainuoja B kategorija?\n/quit\n"
    code, out, _ = await run_cli("run", db=tmp_path / "bot.db", cwd=tmp_path, stdin=script)
    assert code == 0
    first, *rest = out.splitlines()
    assert first == "No TELEGRAM_BOT_TOKEN is configured: starting the offline chat instead."
    transcript = "\n".join(rest)
    assert "bot> Sveiki!" in transcript
    assert "[3] B kategorija (lengvieji automobiliai)" in transcript
    assert "bot (updated)> B kategorija (lengvieji automobiliai)" in transcript
    assert "Kaina: 690,00\xa0€" in transcript
    assert "(mygtuko 40 nėra; įrašykite skaičių nuo 1 iki" in transcript
    # The answer to the price question gives the price.
    answer = transcript.rsplit("bot> ", 1)[1]
    assert "690" in answer.split("\n")[1]


async def test_the_offline_chat_logs_to_a_file_not_the_screen(tmp_path: Path) -> None:
    # An enquiry sent without STAFF_CHAT_ID logs a warning: it belongs in
    # var/offline-chat.log, not between the bot's messages. Ask the centre
    # (7), "Kita" (4), the question, "Praleisti" (3, after the old "Atšaukti"
    # and the phone button), "Sutinku" (1), "Siųsti" (1).
    from vtcbot.cli import OFFLINE_LOG

    script = b"7\n4\nAr galima mokytis savaitgaliais?\n3\n1\n1\n/quit\n"
    code, out, _err = await run_cli("run", db=tmp_path / "bot.db", cwd=tmp_path, stdin=script)
    assert code == 0
    assert "[3] Praleisti (klaviatūros mygtukas)" in out
    assert "bot (updated)> Ačiū! Jūsų užklausos numeris – 1." in out
    assert "WARNING" not in out and "STAFF_CHAT_ID" not in out
    assert "STAFF_CHAT_ID is not set: enquiry 1 waits" in OFFLINE_LOG.read_text(encoding="utf-8")


async def test_broken_catalogue_for_a_new_database_is_reported_and_exits(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\ncentre: {}\n", encoding="utf-8")
    env_db = tmp_path / "new.db"
    proc = await asyncio.create_subprocess_exec(
        str(VTCBOT),
        "ask",
        "labas",
        env={**bot_env(env_db, None), "CATALOGUE_PATH": str(broken)},
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2
    assert "cannot fill the new database" in err.decode()
    assert "centre.name: missing" in err.decode()


async def _file_enquiries(db: Path, texts: list[str]) -> None:
    from services.clock import FixedClock
    from tests.conftest import NOW

    services = Services.create(db, FixedClock(NOW))
    await services.start(DEMO)
    for i, text in enumerate(texts):
        draft = await services.enquiries.start(4000 + i, "lt", text)
        draft = await services.enquiries.set_contact(4000 + i, draft, None, None)
        draft = await services.enquiries.consent(4000 + i, draft)
        await services.enquiries.submit(4000 + i, draft.nonce)
    await services.close()


async def test_enquiries_list_and_export(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    await _file_enquiries(db, ["Pirmas klausimas", "Antras, su kableliu", "Trečias\nklausimas"])
    code, out, err = await run_cli("enquiries", "list", "--status", "new", db=db, cwd=tmp_path)
    assert code == 0 and "3 enquiries" in err
    assert [line.split("\t")[0] for line in out.splitlines()] == ["#1", "#2", "#3"]
    code, out, _ = await run_cli("enquiries", "export", "--format", "jsonl", db=db, cwd=tmp_path)
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["text"] for r in records] == [
        "Pirmas klausimas",
        "Antras, su kableliu",
        "Trečias\nklausimas",
    ]
    assert {r["status"] for r in records} == {"new"}
    code, out, _ = await run_cli(
        "enquiries", "export", "--since", "2026-11-21", db=db, cwd=tmp_path
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert rows[2]["text"] == "Trečias\nklausimas"
    code, out, _ = await run_cli(
        "enquiries", "export", "--since", "2026-11-22", db=db, cwd=tmp_path
    )
    assert out.splitlines() == [
        ",".join(
            (
                "id",
                "created_at",
                "updated_at",
                "status",
                "lang",
                "topic",
                "programme_id",
                "text",
                "name",
                "phone",
                "assignee_id",
            )
        )
    ]
    code, _, err = await run_cli("enquiries", "export", "--since", "yesterday", db=db, cwd=tmp_path)
    assert code == 2 and "not a date (YYYY-MM-DD): yesterday" in err


async def test_registrations_list_as_csv_and_jsonl(tmp_path: Path) -> None:
    from services.clock import FixedClock
    from tests.conftest import NOW

    db = tmp_path / "bot.db"
    group = "pd-digital-didactics-2027-01"  # 4 seats free, confirmed at once
    services = Services.create(db, FixedClock(NOW))
    await services.start(DEMO)
    for i, name in enumerate(["Ona Žemaitė", "=Jonas", "Petras", "Rūta", "Eglė"]):
        await services.registrations.register(
            user_id=5000 + i,
            group_id=group,
            lang="lt",
            details={"name": name, "email": f"l{i}@example.lt", "school": "VPM", "subject": "IT"},
            payment="self",
            payment_details=None,
            nonce=f"cli-{i}",
        )
    await services.close()
    code, out, err = await run_cli(
        "registrations", "list", "--group", group, "--format", "csv", db=db, cwd=tmp_path
    )
    assert code == 0 and "5 registrations" in err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in rows] == ["Ona Žemaitė", "'=Jonas", "Petras", "Rūta", "Eglė"]
    assert [r["status"] for r in rows] == ["confirmed"] * 4 + ["waiting"]
    code, out, _ = await run_cli(
        "registrations",
        "list",
        "--group",
        group,
        "--status",
        "waiting",
        "--format",
        "jsonl",
        db=db,
        cwd=tmp_path,
    )
    assert [json.loads(line)["name"] for line in out.splitlines()] == ["Eglė"]
    code, _, err = await run_cli(
        "registrations", "list", "--group", "no-such-group", db=db, cwd=tmp_path
    )
    assert code == 2 and "no-such-group" in err
