"""Running `vtcbot` as a real process against the emulator."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.conftest import DEMO, TOKEN

VTCBOT = Path(sys.executable).parent / "vtcbot"


def bot_env(db: Path, api_url: str | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    # Empty values override anything a developer's .env says.
    env.update(WEBHOOK_URL="", WEBHOOK_SECRET="")
    env.update(
        DATABASE_PATH=str(db),
        CATALOGUE_PATH=str(DEMO),
        LOG_LEVEL="WARNING",
        # The web console, health and metrics on any free port: tests run side by side.
        ADMIN_PORT="0",
        METRICS_PORT="0",
    )
    if api_url is not None:
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api_url)
    else:  # and not a token from a developer's .env
        env.update(TELEGRAM_BOT_TOKEN="")
    env.update(extra)
    return env


async def start_bot(db: Path, api_url: str, cwd: Path, **extra: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        str(VTCBOT),
        "run",
        env=bot_env(db, api_url, **extra),
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def stop_bot(proc: asyncio.subprocess.Process, timeout: float = 20.0) -> int:
    """SIGTERM, as a service manager would; the bot must exit cleanly."""
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
    await asyncio.wait_for(proc.communicate(), timeout)
    assert proc.returncode is not None
    return proc.returncode


async def run_cli(
    *args: str, db: Path, cwd: Path, stdin: bytes | None = None
) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        str(VTCBOT),
        *args,
        env=bot_env(db, None),
        cwd=cwd,
        stdin=asyncio.subprocess.PIPE if stdin is not None else None,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(stdin), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()
