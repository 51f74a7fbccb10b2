"""The web console's enquiries page and CSV export with 100,000 enquiries
(issue 6, must-show 2).

The page is requested through the ASGI app (as a browser would, with a staff
session), with a filter and a full-text search, and timed end to end; the CSV
export is streamed through the app while the Python heap is traced, for
10,000 and for 100,000 rows: constant memory means the same peak for both.

    .venv/bin/python bench/console_enquiries.py [--enquiries 100000] [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import httpx
from starlette.types import ASGIApp, Message

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from admin.app import create_app  # noqa: E402
from bench.common import machine, percentile, table  # noqa: E402
from services.clock import SystemClock  # noqa: E402
from services.container import Services  # noqa: E402

ADMIN = 9001
TOPICS = ("Kainos", "Tvarkaraštis", "Registracija", "Vairavimas", "Finansavimas", "Kita")
STATUSES = ("new", "in_progress", "answered", "closed", "spam")
WORDS = (
    "kiek kainuoja kursai registracija vairavimo pamokos egzaminas teorija praktika "
    "suvirinimo šokių būrelis vaikams suaugusiems finansavimas krepšelis grupė vietų "
    "tvarkaraštis vakarinė savaitgalio nuotolinis mokytojams seminaras pažymėjimas "
    "forklift course price schedule evening weekend certificate exam theory practice"
).split()
SEARCHES = ("kaina", "sokiu", "egzamin", "vairavimo pamokos", "forklift", "registracija grupe")


def fill(db: Path, count: int) -> None:
    """`count` enquiries over the last year, in one transaction (the FTS index
    is kept by the table's triggers, as in production)."""
    rng = random.Random(5)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=365)
    rows = []
    for n in range(count):
        at = (start + dt.timedelta(seconds=n * 365 * 86400 / count)).isoformat()
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 25)))
        rows.append(
            (
                100_000 + n % 20_000,
                rng.choice(("lt", "lt", "lt", "en")),
                rng.choice(TOPICS),
                text.capitalize() + "?",
                f"Vardenis {n}",
                f"+3706{n:07d}",
                at,
                rng.choice(STATUSES),
                f"bench:{n}",
                at,
                at,
            )
        )
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO enquiries(user_id, lang, topic, text, name, phone, consent_at, status, "
            "source_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


async def signed_in(client: httpx.AsyncClient, services: Services) -> None:
    token = await services.admin_auth.issue_link(ADMIN)
    page = await client.get(f"/login/{token}")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    response = await client.post(f"/login/{token}", data={"csrf": csrf})
    assert response.status_code == 303


async def page_times(client: httpx.AsyncClient, requests: int) -> dict[str, list[float]]:
    rng = random.Random(9)
    cases: dict[str, list[float]] = {"filter + search": [], "filter only": [], "page 100": []}
    for n in range(requests):
        params = {
            "filter + search": {"status": rng.choice(STATUSES), "q": rng.choice(SEARCHES)},
            "filter only": {
                "topic": rng.choice(TOPICS),
                "lang": "lt",
                "created_from": "2026-03-01",
            },
            "page 100": {"page": "100"},
        }
        for name, query in params.items():
            if name != "filter + search" and n % 4:
                continue  # the case that matters is measured most
            began = time.perf_counter()
            response = await client.get("/enquiries", params=query)
            cases[name].append(time.perf_counter() - began)
            assert response.status_code == 200
    return cases


async def export_peak(app: ASGIApp, cookie: str, query: str) -> tuple[int, float, int]:
    """(rows, seconds, peak heap bytes while streaming). The app is called as
    a server calls it, each body chunk counted and dropped as a socket would
    send it (httpx's in-process transport would keep the whole body)."""
    lines = 0
    done = False
    requested = False
    never = asyncio.Event()

    async def receive() -> Message:
        # The request once; then, like a client that stays, nothing more
        # (Starlette listens for a disconnect while it streams).
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await never.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal lines, done
        if message["type"] == "http.response.body":
            lines += message.get("body", b"").count(b"\n")
            done = not message.get("more_body", False)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/enquiries.csv",
        "raw_path": b"/enquiries.csv",
        "query_string": query.encode(),
        "headers": [(b"host", b"console.test"), (b"cookie", cookie.encode())],
        "client": ("127.0.0.1", 5000),
        "server": ("console.test", 80),
    }
    tracemalloc.start()
    tracemalloc.reset_peak()
    began = time.perf_counter()
    await app(scope, receive, send)
    seconds = time.perf_counter() - began
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert done
    return lines - 1, seconds, peak


async def run(count: int, requests: int) -> None:
    db = Path(tempfile.mkdtemp(prefix="vtc-console-")) / "bot.db"
    services = Services.create(db, SystemClock(), admin_ids=[ADMIN])
    await services.start(ROOT / "data" / "centre.yaml")
    began = time.perf_counter()
    fill(db, count)
    filled = time.perf_counter() - began
    app = create_app(services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://console.test") as client:
        await signed_in(client, services)
        await client.get("/enquiries")  # warm the page cache, as a running console is
        cases = await page_times(client, requests)
        cookie = f"vtc_session={client.cookies.get('vtc_session')}"
    small = await export_peak(app, cookie, "created_from=2026-10-01")
    full = await export_peak(app, cookie, "")
    await services.close()
    print(f"Web console with {count:,} enquiries (filled in {filled:.1f} s); {machine()}")
    print(
        table(
            ("enquiries page", "requests", "p50 ms", "p95 ms", "max ms"),
            [
                (
                    name,
                    len(times),
                    f"{percentile(times, 50) * 1000:.1f}",
                    f"{percentile(times, 95) * 1000:.1f}",
                    f"{max(times) * 1000:.1f}",
                )
                for name, times in cases.items()
            ],
        )
    )
    print()
    print(
        table(
            ("CSV export", "rows", "seconds", "rows/s", "peak heap KiB"),
            [
                (label, rows, f"{seconds:.2f}", f"{rows / seconds:,.0f}", f"{peak / 1024:,.0f}")
                for label, (rows, seconds, peak) in (("recent", small), ("everything", full))
            ],
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enquiries", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(run(args.enquiries, args.requests))


if __name__ == "__main__":
    main()
