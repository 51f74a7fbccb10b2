"""Running the bot until SIGTERM, and stopping it cleanly.

A clean stop (a deploy, a reboot) loses nothing and sends nothing twice:

1. No more updates are fetched (polling stops; the webhook stops listening,
   so Telegram keeps new ones and sends them again later).
2. Updates already being handled finish, with their replies; updates not
   begun stay in the inbox and are handled at the next start.
3. Broadcasts, reminders and registration notices claim nothing more: the messages already on
   their way finish, the rest stay pending/planned and go at the next start,
   from where they stopped.
4. All of that within STOP_GRACE_SECONDS. What is still running then is
   cancelled: its update is handled again at the next start, and the reply
   journal and the outbox keep a reply or an announcement from going twice.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from vtcbot.ops_server import OpsServer
from vtcbot.runner import BotRunner

log = logging.getLogger(__name__)

# After the grace period, how long the cancelled tasks get to unwind.
UNWIND_SECONDS = 5.0


async def run_until_signal(runner: BotRunner, grace: float, ops: OpsServer | None = None) -> None:
    """Run until SIGTERM or Ctrl-C, then stop cleanly within `grace` seconds."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await runner.start()
    if runner.console_url:
        print(f"Web console: {runner.console_url} (send /admin to the bot for a sign-in link)")
    if ops is not None and await ops.start():
        print(f"Health and metrics: {ops.url}/healthz {ops.url}/metrics", flush=True)
    try:
        await stop.wait()
    finally:
        log.info("stopping (at most %.0f s)", grace)
        await stop_gracefully(runner, grace)
        if ops is not None:
            await ops.stop()
        log.info("stopped")


async def stop_gracefully(runner: BotRunner, grace: float) -> None:
    app = runner.app
    app.stopping = True
    runner.sender.paused = True
    runner.broadcaster.paused = True
    runner.registrations.paused = True
    stopping = asyncio.ensure_future(runner.stop())
    done, _ = await asyncio.wait({stopping}, timeout=grace)
    if done:
        stopping.result()
        return
    left = [task for task in app.tasks if not task.done()]
    log.warning(
        "the stop's grace period (%.0f s) ran out; %d tasks are left to the next start",
        grace,
        len(left),
    )
    for task in left:
        task.cancel()
    try:
        await asyncio.wait_for(stopping, UNWIND_SECONDS)
    except TimeoutError:
        log.error("the bot did not stop %.0f s after its grace period", UNWIND_SECONDS)
