"""A local Telegram Bot API emulator for tests, the offline chat and benchmarks."""

from .client import EmulatorClient
from .faults import FaultKind
from .server import BotApiEmulator

__all__ = ["BotApiEmulator", "EmulatorClient", "FaultKind"]
