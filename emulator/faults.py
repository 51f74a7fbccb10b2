"""Fault injection: rules consulted, in order, before every Bot API call.

A rule looks at the call and either lets it through (``None``) or returns the
fault to apply.  New behaviours (flood limits, flaky networks...) are new rule
classes appended to ``FaultInjector.rules``; the server does not change.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

FaultKind = Literal["429", "403", "5xx", "timeout"]
FAULT_KINDS: tuple[FaultKind, ...] = ("429", "403", "5xx", "timeout")

# Methods that put something into a chat; the ones blocking and flood limits apply to.
_CHAT_WRITE_PREFIXES = ("send", "edit", "copy", "forward", "pin", "unpin", "delete")


def writes_to_chat(method: str) -> bool:
    lowered = method.lower()
    return lowered.startswith(_CHAT_WRITE_PREFIXES) and lowered != "deletewebhook"


def counts_for_flood_limit(method: str) -> bool:
    """Only messages count against Telegram's 30/s and 1/s-per-chat limits."""
    lowered = method.lower()
    return lowered.startswith(("send", "copy", "forward")) and lowered != "sendchataction"


@dataclass(frozen=True, slots=True)
class ApiCall:
    method: str
    chat_id: int | None
    time: float


@dataclass(frozen=True, slots=True)
class Fault:
    kind: FaultKind
    retry_after: int = 1
    delay: float | None = None
    rule_id: int | None = None


class FaultRule(Protocol):
    @property
    def exhausted(self) -> bool: ...

    def check(self, call: ApiCall) -> Fault | None: ...

    def describe(self) -> dict[str, Any]: ...


_rule_ids = itertools.count(1)


@dataclass(slots=True)
class InjectedFault:
    """Fail matching calls ``times`` times (``None`` = until removed)."""

    kind: FaultKind
    method: str | None = None
    chat_id: int | None = None
    times: int | None = 1
    retry_after: int = 1
    delay: float | None = None
    id: int = field(default_factory=lambda: next(_rule_ids))
    hits: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {FAULT_KINDS}")

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def check(self, call: ApiCall) -> Fault | None:
        if self.exhausted:
            return None
        if self.method is not None and self.method.lower() != call.method.lower():
            return None
        if self.chat_id is not None and self.chat_id != call.chat_id:
            return None
        self.hits += 1
        return Fault(self.kind, self.retry_after, self.delay, self.id)

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": "fault",
            "kind": self.kind,
            "method": self.method,
            "chat_id": self.chat_id,
            "times": self.times,
            "retry_after": self.retry_after,
            "delay": self.delay,
            "hits": self.hits,
        }


@dataclass(slots=True)
class BlockedUsers:
    """Users who blocked the bot: anything written to their chat gets 403."""

    user_ids: set[int] = field(default_factory=set)
    id: int = field(default_factory=lambda: next(_rule_ids))

    @property
    def exhausted(self) -> bool:
        return False

    def check(self, call: ApiCall) -> Fault | None:
        if call.chat_id in self.user_ids and writes_to_chat(call.method):
            return Fault("403", rule_id=self.id)
        return None

    def describe(self) -> dict[str, Any]:
        return {"id": self.id, "rule": "blocked_users", "user_ids": sorted(self.user_ids)}


@dataclass(slots=True)
class StrictRateLimit:
    """429 when the bot exceeds ``overall`` messages/s or ``per_chat`` messages/s in a chat.

    Real Telegram tolerates short bursts; this is deliberately stricter so that
    pacing bugs show up in tests.  Time comes from the call, i.e. the injected clock.
    """

    overall: int = 30
    per_chat: int = 1
    window: float = 1.0
    id: int = field(default_factory=lambda: next(_rule_ids))
    _all: deque[float] = field(default_factory=deque)
    _chats: dict[int, deque[float]] = field(default_factory=dict)

    @property
    def exhausted(self) -> bool:
        return False

    def _wait(self, times: deque[float], limit: int, now: float) -> float:
        while times and times[0] <= now - self.window:
            times.popleft()
        return times[0] + self.window - now if len(times) >= limit else 0.0

    def check(self, call: ApiCall) -> Fault | None:
        if not counts_for_flood_limit(call.method):
            return None
        wait = self._wait(self._all, self.overall, call.time)
        chat_times = None
        if call.chat_id is not None:
            chat_times = self._chats.setdefault(call.chat_id, deque())
            wait = max(wait, self._wait(chat_times, self.per_chat, call.time))
        if wait > 0:
            return Fault("429", retry_after=max(1, math.ceil(wait)), rule_id=self.id)
        self._all.append(call.time)
        if chat_times is not None:
            chat_times.append(call.time)
        return None

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": "strict_rate_limit",
            "overall": self.overall,
            "per_chat": self.per_chat,
        }


class FaultInjector:
    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.blocked = BlockedUsers()
        # Blocking comes first: a blocked user's chat never reaches the rate limiter.
        self.rules: list[FaultRule] = [self.blocked]

    def check(self, method: str, chat_id: int | None) -> Fault | None:
        call = ApiCall(method, chat_id, self.clock())
        for rule in self.rules:
            fault = rule.check(call)
            if fault is not None:
                if rule.exhausted:
                    self.rules.remove(rule)
                return fault
        return None

    def add_rule(self, rule: FaultRule) -> None:
        """Rate limits go last so that other faults do not count as sent messages."""
        limits: list[FaultRule] = [r for r in self.rules if isinstance(r, StrictRateLimit)]
        others: list[FaultRule] = [r for r in self.rules if not isinstance(r, StrictRateLimit)]
        if isinstance(rule, StrictRateLimit):
            limits.append(rule)
        else:
            others.append(rule)
        self.rules = others + limits

    def add_fault(
        self,
        method: str | None = None,
        chat_id: int | None = None,
        kind: FaultKind = "5xx",
        times: int | None = 1,
        retry_after: int = 1,
        delay: float | None = None,
    ) -> InjectedFault:
        rule = InjectedFault(kind, method, chat_id, times, retry_after, delay)
        self.add_rule(rule)
        return rule

    def remove(self, rule_id: int) -> bool:
        before = len(self.rules)
        self.rules = [r for r in self.rules if r is self.blocked or _rule_id(r) != rule_id]
        return len(self.rules) != before

    def clear(self) -> None:
        """Drop injected faults and rate limits; blocked users stay blocked."""
        self.rules = [self.blocked]

    def set_strict_rate_limits(self, enabled: bool, overall: int = 30, per_chat: int = 1) -> None:
        self.rules = [r for r in self.rules if not isinstance(r, StrictRateLimit)]
        if enabled:
            self.add_rule(StrictRateLimit(overall=overall, per_chat=per_chat))

    def describe(self) -> list[dict[str, Any]]:
        return [rule.describe() for rule in self.rules]


def _rule_id(rule: FaultRule) -> int | None:
    rule_id = rule.describe().get("id")
    return rule_id if isinstance(rule_id, int) else None
