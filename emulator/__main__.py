"""Run the emulator standalone: ``python -m emulator --host 127.0.0.1 --port 8081``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from .server import BotApiEmulator


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--bot-username", default="vtc_demo_bot")
    parser.add_argument("--token", action="append", help="accept only these tokens (repeatable)")
    parser.add_argument(
        "--strict-rate-limits",
        action="store_true",
        help="answer 429 above 30 messages/s overall or 1/s per chat",
    )
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    emulator = BotApiEmulator(
        args.bot_username, valid_tokens=args.token, strict_rate_limits=args.strict_rate_limits
    )
    url = await emulator.start(args.host, args.port)
    print(url, flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await emulator.stop()


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
