"""Hostile catalogue files: refused at once, and the bot answers meanwhile.

A 2.5 KB file of nested YAML aliases stands for hundreds of thousands of
sessions (it took seconds of CPU and hundreds of MB before); 5,000 nested
`[` ended in RecursionError and a bare 500. Both must be refused with a
message naming the line, within a second, through the console's upload and
through the loader `vtcbot import` uses, while learners are answered.

Wall time is measured here (time.monotonic) on purpose: "refused within a
second" and "the event loop is not blocked" are the behaviour asked for.
"""

from __future__ import annotations

import asyncio
import gc
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from admin.app import create_app
from admin.catalogue_routes import refusal_text
from bot.application import VtcApplication
from emulator import BotApiEmulator
from services.catalogue.safe_yaml import MAX_DEPTH, MAX_NODES, Deadline, Refusal
from services.catalogue.validation import load_file, load_text
from services.container import Services
from tests.admin.conftest import sign_in
from tests.conftest import ADMIN_ID, DEMO
from tests.handlers.conftest import Chat
from tests.offline import offline_application
from tests.process import run_cli
from texts.i18n import translator

T = TypeVar("T")


def laughs(fan: int = 70) -> str:
    """A catalogue whose programmes, groups and sessions are aliases of one
    another: fan**3 sessions (343,000 at 70) from 2.5 KB. Before the loader
    refused aliases, checking it took 10 s and 560 MB on the event loop."""
    return "\n".join(
        [
            "version: 1",
            "centre: {id: c, name: &t {lt: a, en: a}, timezone: Europe/Vilnius, address: *t,",
            "  phone: '1', email: e, website: w, opening_hours: *t}",
            "departments: [{id: d, name: *t}]",
            "programmes:",
            "  - &p",
            "    {id: p, kind: formal, department: d, title: *t, summary: *t, description: *t,",
            "     audience: *t, duration: *t, entry_requirements: *t, price_eur: null,",
            "     funding: *t, keywords: {lt: [a], en: [a]}, groups: &gs [&g {id: g,",
            "     starts: 2027-01-04, ends: 2027-02-01, mode: day, timetable: *t,",
            "     location: *t, seats: 1, seats_taken: 0, sessions: &ss [",
            "       &s {id: s, kind: lesson, title: *t, starts_at: 2027-01-04T10:00},",
            *(["       *s,"] * (fan - 1)),
            "     ]},",
            *(["     *g,"] * (fan - 1)),
            "     ]}",
            *(["  - *p"] * (fan - 1)),
            "faq: []",
        ]
    )


def deep(levels: int = 5000) -> str:
    return "version: 1\nprogrammes: " + "[" * levels + "]" * levels + "\n"


HOSTILE = {
    # name: (text, refusal kind, line named)
    "aliases": (laughs(), "alias", 2),
    "deep": (deep(), "depth", 2),
}


async def timed(work: Awaitable[T]) -> tuple[T, float]:
    start = time.monotonic()
    result = await work
    return result, time.monotonic() - start


def test_the_files_are_what_the_finding_describes() -> None:
    text, _, _ = HOSTILE["aliases"]
    assert 2300 <= len(text.encode()) <= 2700
    assert text.count("*") > 150
    assert deep().count("[") == 5000


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_loader_refuses_at_once_naming_the_line(name: str) -> None:
    text, kind, line = HOSTILE[name]
    # CPU time of this process, not the wall clock: what is measured is that
    # the loader does not blow up (an expanding bomb takes minutes), not how
    # busy the machine running the tests is.
    start = time.process_time()
    report = load_text(text)
    elapsed = time.process_time() - start
    assert elapsed < 1.0
    assert not report.ok and report.catalogue is None
    assert report.refusal is not None
    assert (report.refusal.kind, report.refusal.line) == (kind, line)
    [error] = report.errors
    assert error.startswith(f"line {line}: ")


def test_a_file_deep_within_the_bound_still_parses_to_its_checks() -> None:
    # 20 levels are allowed: the file is then read and checked as usual.
    report = load_text("version: 1\nprogrammes: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))
    assert report.refusal is None
    assert report.errors and not any("nested" in e for e in report.errors)
    refused = load_text("version: 1\nprogrammes: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert refused.refusal is not None and refused.refusal.kind == "depth"


def test_too_many_entries_and_too_much_time_are_refused() -> None:
    many = "version: 1\nfaq:\n" + "".join(f"  - {i}\n" for i in range(MAX_NODES + 10))
    report = load_text(many)
    # Nodes before the items: the top mapping, two keys, 1, the list.
    first_item_line, nodes_before = 3, 5
    over_at = first_item_line + MAX_NODES - nodes_before
    assert report.refusal == Refusal("nodes", MAX_NODES, over_at)
    # The demo catalogue itself, with a clock that jumps past the limit once
    # the deadline is set: refused as too slow, not checked to the end.
    readings = [0.0]

    def jumping() -> float:
        readings.append(21.0)
        return readings[-2]

    slow = load_file(DEMO, Deadline(20.0, now=jumping))
    assert slow.refusal == Refusal("time", 20)
    assert slow.errors == ["(file): checking it took longer than 20 seconds; it was refused"]


def test_the_demo_catalogue_is_within_every_bound() -> None:
    report = load_file(DEMO)
    assert report.ok, report.errors
    assert report.refusal is None


def test_a_number_too_long_to_read_is_refused_naming_its_line(tmp_path: Path) -> None:
    """Python refuses to read an integer of over 4,300 digits: a crash of
    `vtcbot import` and a 500 of the console before."""
    path = tmp_path / "number.yaml"
    path.write_text("version: 1\nseats: " + "9" * 5000 + "\n", encoding="utf-8")
    report = load_file(path)
    assert report.refusal is not None and report.refusal.kind == "number"
    assert report.errors == ["line 2: a number longer than 30 digits; write it as text in quotes"]


def test_a_file_over_the_size_cap_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    report = load_file(big)
    assert report.refusal is not None and report.refusal.kind == "size"
    assert report.errors == ["(file): larger than 2 MB; a catalogue is much smaller"]


@pytest.mark.parametrize("name", sorted(HOSTILE))
async def test_vtcbot_imports_loader_refuses_within_a_second(
    name: str, services: Services, tmp_path: Path
) -> None:
    text, _, line = HOSTILE[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    before = services.catalogue.view.catalogue
    (report, summary), elapsed = await timed(services.catalogue.import_file(path))
    assert elapsed < 1.0
    assert summary is None
    assert report.errors[0].startswith(f"line {line}: ")
    assert services.catalogue.view.catalogue is before


async def test_vtcbot_import_prints_the_refusal(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(laughs(), encoding="utf-8")
    code, _, err = await run_cli("import", str(path), db=tmp_path / "bot.db", cwd=tmp_path)
    assert code == 1
    assert "the catalogue was not imported; nothing changed" in err
    assert "line 2: YAML anchors and aliases (&name, *name) are not allowed" in err


# -- through the console, with learners asking in the same event loop --------


@pytest.fixture
async def offline_app(services: Services) -> AsyncIterator[tuple[VtcApplication, BotApiEmulator]]:
    app, emu = await offline_application(services)
    yield app, emu
    await app.shutdown()


def console_client(services: Services, lang: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(services), client=("203.0.113.7", 5000))
    return httpx.AsyncClient(
        transport=transport, base_url="http://console.test", headers={"Accept-Language": lang}
    )


async def upload(client: httpx.AsyncClient, csrf: str, text: str) -> httpx.Response:
    return await client.post(
        "/catalogue/upload",
        data={"csrf": csrf},
        files={"file": ("centre.yaml", text.encode(), "text/yaml")},
    )


class Ticker:
    """A task waking every 10 ms: how late it wakes is how long the event
    loop was kept from everything else (learners' updates included).

    The test session's heap is frozen meanwhile: a full garbage collection
    of it stalls any code for 0.1-0.3 s on this machine whenever it comes,
    and it is the upload's own blocking that is measured here."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.ticked = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            due = time.monotonic() + 0.01
            await asyncio.sleep(0.01)
            self.worst = max(self.worst, time.monotonic() - due)
            self.ticked.set()

    async def __aenter__(self) -> Ticker:
        gc.collect()
        gc.freeze()
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        # One more tick, so a stall at the very end is measured too.
        self.ticked.clear()
        await self.ticked.wait()
        assert self._task is not None
        self._task.cancel()
        gc.unfreeze()


async def warm_up(client: httpx.AsyncClient, csrf: str, chat: Chat) -> None:
    """Load once what a process loads once (the report's template, the
    language's number formats, the answer engine's first answer), so that
    what is measured is the upload's own work."""
    refused = await upload(client, csrf, "version: 1\nx: &a 1\n")
    assert refused.status_code == 422
    assert await chat.say("Labas")


async def while_learners_ask(
    chat: Chat, work: Callable[[], Awaitable[T]]
) -> tuple[T, float, list[str]]:
    """Run `work` with a ticker and a learner's questions in the same loop:
    its result, the ticker's worst lateness and the learner's answers."""
    answers: list[str] = []

    async def ask() -> None:
        for _ in range(3):
            replies = await chat.say("Kiek kainuoja suvirintojo kursai?")
            answers.extend(str(m.get("text", "")) for m in replies)

    async with Ticker() as ticker:
        learner = asyncio.create_task(ask())
        result = await work()
        await learner
    return result, ticker.worst, answers


@pytest.mark.parametrize("name", sorted(HOSTILE))
async def test_the_console_refuses_in_the_admins_language_while_learners_are_answered(
    name: str, services: Services, offline_app: tuple[VtcApplication, BotApiEmulator]
) -> None:
    app, emu = offline_app
    chat = Chat(app, emu, 2001, "lt")
    text, kind, line = HOSTILE[name]
    before = services.catalogue.view.catalogue
    for lang, words in (
        ("en", f"Line {line}: "),
        ("lt", f"{line} eilutė: "),
    ):
        async with console_client(services, lang) as client:
            csrf = await sign_in(client, services, ADMIN_ID)
            await warm_up(client, csrf, chat)

            async def send(
                client: httpx.AsyncClient = client, csrf: str = csrf
            ) -> tuple[httpx.Response, float]:
                return await timed(upload(client, csrf, text))

            (response, elapsed), worst, answers = await while_learners_ask(chat, send)
        # Refused by the bounded loader, not by the 20 s time limit. The bound
        # tells those apart on a loaded 2-core machine (1.96 s was seen there
        # for a refusal that takes 0.1 s on an idle one).
        assert elapsed < 5.0
        assert worst < 0.1, f"the event loop was blocked for {worst:.3f} s"
        assert answers and all(a for a in answers)
        assert response.status_code == 422
        assert "Apply this catalogue" not in response.text
        [item] = re.findall(r'<ul class="report errors">\s*<li>(.*?)</li>', response.text, re.S)
        assert item.startswith(words)
        assert ("YAML" in item) == (kind == "alias")
        assert response.headers["x-frame-options"] == "DENY"
    assert services.catalogue.view.catalogue is before


async def test_a_real_catalogue_is_checked_off_the_event_loop(
    services: Services, offline_app: tuple[VtcApplication, BotApiEmulator]
) -> None:
    """The demo catalogue (215 KB) takes about a second of CPU to check and
    diff: learners are answered meanwhile, the loop never stalls."""
    app, emu = offline_app
    chat = Chat(app, emu, 2001, "lt")
    text = DEMO.read_text(encoding="utf-8").replace("Welder", "Welder (new)", 1)
    async with console_client(services, "en") as client:
        csrf = await sign_in(client, services, ADMIN_ID)
        await warm_up(client, csrf, chat)
        response, worst, answers = await while_learners_ask(
            chat, lambda: upload(client, csrf, text)
        )
    assert response.status_code == 200, response.text
    assert "Apply this catalogue" in response.text
    assert worst < 0.1, f"the event loop was blocked for {worst:.3f} s"
    assert answers and all(a for a in answers)


@pytest.mark.parametrize(
    ("refusal", "en", "lt"),
    [
        (
            Refusal("alias", 0, 7),
            "Line 7: YAML anchors and aliases (&name, *name) are not allowed",
            "7 eilutė: kataloge negalima naudoti YAML inkarų ir nuorodų",
        ),
        (
            Refusal("depth", 20, 3),
            "Line 3: the data is nested more than 20 levels deep",
            "3 eilutė: duomenys įdėti vieni į kitus daugiau nei 20 lygių",
        ),
        (
            Refusal("nodes", 100_000, 9),
            "Line 9: the file has more than 100,000 entries",
            "9 eilutė: faile daugiau nei 100\xa0000 įrašų",
        ),
        (
            Refusal("time", 20),
            "Checking the file took longer than 20 seconds, so it was refused.",
            "Failo tikrinimas užtruko ilgiau nei 20 sekundžių, todėl failas atmestas.",
        ),
        (
            Refusal("number", 30, 4),
            "Line 4: a number longer than 30 digits; write it as text in quotes.",
            "4 eilutė: skaičius ilgesnis nei 30 skaitmenų; rašykite jį kaip tekstą kabutėse.",
        ),
        (
            Refusal("size", 2 * 1024 * 1024),
            "The file is larger than 2 MB",
            "Failas didesnis nei 2 MB",
        ),
    ],
)
def test_every_refusal_is_said_in_both_languages(refusal: Refusal, en: str, lt: str) -> None:
    said_en = refusal_text(translator("en"), refusal)
    said_lt = refusal_text(translator("lt"), refusal)
    assert said_en is not None and said_en.startswith(en)
    assert said_lt is not None and said_lt.startswith(lt)
