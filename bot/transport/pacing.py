"""The one outgoing path: every Bot API request of the bot passes through here.

Telegram answers 429 ("Too Many Requests", with a ``retry_after``) when a bot sends more
than about 30 messages a second overall, more than about one a second to one chat, or
more than 20 a minute to one group or channel.  A 429 is costly: the message is late,
and a bot that keeps hitting the limit gets longer and longer bans.  So instead of
reacting to 429s we pace messages so that they should not happen, and when one happens
anyway (another process, a restart, Telegram being stricter than documented) we stop
sending to whatever it concerns for the time Telegram asks, then retry.

Not all requests are equal.  A learner who just wrote is waiting for the reply; a
reminder can be a second late; a staff announcement to 2,000 learners may take a
minute.  Callers say which with ``rate_limit_args=Priority...`` and, among requests
waiting for the overall limit, the more urgent always go first.

Plugged in with ``ApplicationBuilder().rate_limiter(PacedRateLimiter())``.  The path of a
message (``send*``, ``copy*``, ``forward*`` except ``sendChatAction``) is:

1. its chat's turn: messages to one chat go out one at a time, in the order they were
   made, and each waits until the chat's interval since the previous one has passed;
2. the priority gate: one request at a time, the most urgent first, takes the next slot
   of the overall timeline (evenly spaced, from the first message of a run on);
3. the request itself; on ``RetryAfter`` the chat or the whole gate is paused and the
   request goes back to step 1, keeping its place in the queue.

Anything else (answering a callback query, editing a message, ``getMe``...) does not
count against the flood limits and goes straight through.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import heapq
import itertools
import logging
import math
import warnings
from collections import Counter, OrderedDict, deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.transport.http import before_bytes_leave
from services import metrics

__all__ = ["Dropped", "Outgoing", "PacedRateLimiter", "Priority", "is_message_endpoint"]

_LOG = logging.getLogger(__name__)

# What a Bot API call returns (PTB's ``JSONDict`` is ``dict[str, Any]``).
Result = bool | dict[str, Any] | list[dict[str, Any]]
Callback = Callable[..., Coroutine[Any, Any, Result]]
ChatKey = int | str

# Our clock and Telegram's never agree exactly: two requests we start 1.000 s apart can
# arrive 0.990 s apart when the first one was slower on the wire, and the event loop may
# resume a waiter a few milliseconds late and then early again.  Pacing 3 % slower than
# the limit leaves room for that: 30 overall slots then span 1.03 s instead of 1.00 s,
# and a 1 s chat interval becomes 1.03 s.  The cost is 3 % of the peak throughput.
# (2 % was measured too thin: a 10,000-message broadcast through the strict emulator
# met a 429 or two whenever either process stalled for ~15 ms, see docs/benchmarks.md.)
_SAFETY = 0.03
SAFETY = _SAFETY  # for planners that need the pace actually kept
# How much of a slot a late start may be made up by (see _Gate): the event loop wakes a
# waiter a fraction of a millisecond late, and without any catch-up that lateness would
# be lost at every slot (2 % of the pace at 30/s).  Two messages never start closer
# than (1 - _CATCH_UP) slots.
_CATCH_UP = 0.05
# Added to every ``retry_after``: Telegram rounds it to whole seconds and counts from
# when it received the request, not from when we read its answer.
_RETRY_MARGIN = 0.1
# A 429 in a chat we wrote to less than this many chat intervals ago is blamed on that
# chat; older than that, our own pacing makes the per-chat limit an unlikely cause.
_RECENT_INTERVALS = 2.0
# Below this many chats the registry is only trimmed from its least recently used end.
_SWEEP_MIN = 1024


class Priority(IntEnum):
    """How soon a request should go out; lower values go first."""

    INTERACTIVE = 0
    """A reply to a learner who just wrote (the default)."""
    REMINDER = 1
    """Reminders, schedule-change notices, waitlist messages."""
    BROADCAST = 2
    """Staff announcements to many learners."""


@dataclass(frozen=True)
class Outgoing:
    """A priority plus a step to take at the message's turn, before it leaves.

    Reminders and broadcasts mark their row "sending" (committed) in
    ``on_turn``: done earlier, every message still queued here at a crash
    would count as possibly sent and never be sent. By default the step runs
    once the slot is taken, just before the request: at a crash only the
    request on the wire is in doubt, but the commit's time is added to the
    slot. ``at_head`` runs it when the message reaches the head of the line,
    overlapping the wait for the slot: the pace stays exact (broadcasts need
    it), and at a crash the head of the line, not yet sent, is in doubt too.
    ``on_turn`` returning False (cancelled meanwhile) drops the message with
    ``Dropped``.
    """

    priority: Priority
    on_turn: Callable[[], Awaitable[bool]] | None = None
    at_head: bool = False


class Dropped(Exception):
    """The message's ``on_turn`` said it is no longer to be sent."""


def is_message_endpoint(endpoint: str) -> bool:
    """Whether Telegram counts this request against its flood limits.

    Only sent messages do; a chat action (the "typing..." indicator) does not.  The
    emulator (``emulator/faults.py``) counts the same way.
    """
    name = endpoint.lower()
    return name.startswith(("send", "copy", "forward")) and name != "sendchataction"


def _chat_key(data: dict[str, Any]) -> ChatKey | None:
    """The chat a request writes to: an integer id, or a ``@channel`` name."""
    chat_id = data.get("chat_id")
    if chat_id is None or isinstance(chat_id, bool):
        return None
    if isinstance(chat_id, int):
        return chat_id
    text = str(chat_id)
    # An integer id passed as a string is the same chat as the integer.
    try:
        return int(text)
    except ValueError:
        return text


def _is_group(key: ChatKey) -> bool:
    # Private chats have the user's (positive) id; groups, supergroups and channels have
    # negative ids, and only channels and supergroups can be addressed as "@name".
    return isinstance(key, str) or key < 0


def _retry_delay(exc: RetryAfter) -> float:
    """Seconds Telegram asked us to wait, whether PTB gives an int, float or timedelta."""
    # PTB 22 warns on every read of ``retry_after`` until ``PTB_TIMEDELTA`` is set; the
    # warning is about the type, which we handle either way.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: object = exc.retry_after
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, int | float):
        return float(value)
    return 1.0  # never seen; waiting a second is the safe guess


@dataclass(slots=True, eq=False)
class _Ticket:
    """One message request's place in the queues, kept across its retries."""

    priority: int
    seq: int
    # Set while the ticket is in the gate's heap; resolved when it becomes the head.
    future: asyncio.Future[None] | None = None
    queued: bool = False


class _Gate:
    """Lets message requests start one at a time, most urgent first, on an even timeline.

    Only the head of the line waits for its slot; everyone else waits in a heap keyed
    ``(priority, sequence)``.  Queueing directly on a timer would be FIFO: an interactive
    reply arriving behind 2,000 broadcast messages would wait a minute.

    The slots are an explicit timeline: ``slot = max(ready, next, pause); next = slot +
    period``.  A leaky bucket (what this used before) counts a slot from when it was
    taken, not from when the request actually started: a head that took its slot and
    then spent 25 ms on its step let the next request follow 8 ms after it, and the
    31st fell inside the first's second.  Here the head keeps the turn until its request
    starts (or is dropped), and two checks on the actual start times bound what any
    lateness may do: consecutive starts are never closer than ``(1 - _CATCH_UP)``
    periods, and no more than ``floor(rate)`` starts fall in any ``1 + _SAFETY`` seconds.
    """

    def __init__(self, rate: float) -> None:
        self._period = (1 + _SAFETY) / rate if rate else 0.0
        # Starts the sliding window may hold: what the server counts in a second.
        self._window_size = math.floor(rate) if rate else 0
        self._window = 1 + _SAFETY
        self._starts: deque[float] = deque(maxlen=max(1, self._window_size))
        self._heap: list[tuple[int, int, _Ticket]] = []
        self._head: _Ticket | None = None
        self._next = -math.inf  # the timeline: the next slot, if nobody is late
        self._last_start = -math.inf
        self._slot = -math.inf  # the head's slot on the timeline, once it has one
        self.paused_until = -math.inf

    def pause(self, until: float) -> None:
        self.paused_until = max(self.paused_until, until)

    def boost(self, ticket: _Ticket, priority: int) -> None:
        """Make a waiting ticket at least as urgent as ``priority``.

        The old heap entry is left behind and skipped when it surfaces: its priority no
        longer matches the ticket's.
        """
        if priority >= ticket.priority:
            return
        ticket.priority = priority
        if ticket.queued:
            heapq.heappush(self._heap, (priority, ticket.seq, ticket))

    async def enter(
        self,
        ticket: _Ticket,
        on_head: Callable[[], Awaitable[bool]] | None = None,
        step_after_slot: bool = False,
    ) -> None:
        """Return once ``ticket`` is the head of the line, its slot has come and no pause
        is in force.  The ticket keeps the turn until ``started`` or ``leave``.  With
        ``step_after_slot`` the caller takes a step and then calls ``ready`` again.

        ``on_head`` runs first, as soon as the ticket is the head: its time overlaps the
        wait for the slot instead of being added to it (the slot is a point on the
        timeline, not a bucket that starts counting when asked). False drops the
        request (``Dropped``).
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        ticket.future = future
        ticket.queued = True
        heapq.heappush(self._heap, (ticket.priority, ticket.seq, ticket))
        self._promote()
        try:
            await future  # already resolved when the line was empty: no suspension
        except asyncio.CancelledError:
            ticket.queued = False
            # Made head just before the cancellation landed: hand the turn on, or
            # nobody would ever be promoted again.
            self.leave(ticket)
            raise
        try:
            if on_head is not None and not await on_head():
                raise Dropped("no longer to be sent")
            self._slot = -math.inf
            await self.ready(loop, final=not step_after_slot)
        except BaseException:
            # Also on cancellation while waiting for the slot: the next one takes over.
            self.leave(ticket)
            raise

    async def ready(self, loop: asyncio.AbstractEventLoop, final: bool = True) -> None:
        """Wait, as the head, until the slot has come; if ``final``, until the request
        may start.

        Not ``final`` when a step is to run between the slot and the request: the
        distance to the previous starts is then kept after the step (its time is part of
        the distance), and a 429 may have paused everyone meanwhile.  Returns without
        suspending when nothing is in the way.
        """
        while True:
            now = loop.time()
            # The slot on the timeline: when the head became ready (after an idle
            # spell), the timeline's next slot, or the end of a pause.  Kept across
            # calls: the step's time must not move the timeline.
            if self._slot == -math.inf:
                self._slot = now
            self._slot = max(self._slot, self._next, self.paused_until)
            # Whatever the timeline says, the actual starts keep their distance: a late
            # start (a slow step, a stalled process) is not made up by a burst.
            at = self._slot
            if final:
                at = max(at, self._last_start + (1 - _CATCH_UP) * self._period)
                if self._window_size and len(self._starts) == self._window_size:
                    at = max(at, self._starts[0] + self._window)
            if at <= now:
                return
            await asyncio.sleep(at - now)

    def started(self, ticket: _Ticket, loop: asyncio.AbstractEventLoop) -> float:
        """The head's request starts now: hand the turn on, record the time, return it.

        The turn is handed on first (the next head runs only once the caller suspends,
        i.e. in its request): between the time taken here and the request, as little as
        possible may allocate and so give the garbage collector its chance to pause.
        """
        slot = self._slot
        self.leave(ticket)
        now = loop.time()
        self._last_start = now
        if self._window_size:
            self._starts.append(now)
        # A start within a period of its slot keeps the timeline exact (a waiter woken
        # a little late, a step shorter than a period).  Later than that, the timeline
        # moves with it: at most one period is ever made up, and that only down to the
        # minimum spacing above.
        self._next = max(slot, now - self._period) + self._period
        return now

    def leave(self, ticket: _Ticket) -> None:
        """``ticket`` no longer needs the turn (sent, dropped, cancelled)."""
        if self._head is ticket:
            self._head = None
            self._slot = -math.inf
            self._promote()

    def _promote(self) -> None:
        if self._head is not None:
            return
        while self._heap:
            priority, _, ticket = heapq.heappop(self._heap)
            future = ticket.future
            stale = not ticket.queued or priority != ticket.priority
            if stale or future is None or future.done():
                continue
            ticket.queued = False
            self._head = ticket
            future.set_result(None)
            return


@dataclass(slots=True, eq=False)
class _Chat:
    """Pacing state of one chat."""

    # Seconds between two messages to this chat (0: not paced).
    pace: float
    # Messages to one chat go out one at a time and in order: a learner must not get
    # the second half of an answer before the first, and two messages in flight to one
    # chat could not be spaced by the time they actually left.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # When the next message may leave: the interval counts from when the last one
    # actually left, not from when it was let into the gate (it may have waited there).
    ready_at: float = -math.inf
    holder: _Ticket | None = None
    # Priorities of the requests queued behind the holder.
    waiting: Counter[int] = field(default_factory=Counter)
    last_attempt: float = -math.inf
    last_delivered: float = -math.inf
    paused_until: float = -math.inf
    users: int = 0

    @property
    def recent(self) -> float:
        return _RECENT_INTERVALS * self.pace

    def idle(self, now: float) -> bool:
        """Whether forgetting this chat changes nothing: unused, unpaused, cooled down."""
        return (
            self.users == 0
            and self.paused_until <= now
            and now - self.last_attempt >= max(self.recent, self.pace)
        )


class _Leaving:
    """The moment a paced request's bytes leave, which is its start.

    The transport awaits ``before_bytes_leave`` just before it writes the
    first bytes (bot/transport/http.py); whatever step is already there (the reply
    journal's record, bot/transport/intake.py) runs first. Only then does the request
    count as started: its time goes on the timeline and the turn passes on.
    So a request held up after the pacer let it go (waiting for the database
    to record it, a stalled loop) cannot end up closer to the next one than
    the pace allows. A transport that never writes (it failed first) gives
    the turn back without a start; one without the hook starts it when the
    request returns.
    """

    __slots__ = ("_at", "_chat", "_limiter", "_loop", "_outer", "_ticket")

    def __init__(
        self,
        limiter: PacedRateLimiter,
        ticket: _Ticket,
        chat: _Chat | None,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self._limiter = limiter
        self._ticket = ticket
        self._chat = chat
        self._loop = loop
        self._outer = before_bytes_leave.get()
        self._at: float | None = None

    async def now(self) -> None:
        if self._at is not None:
            return  # a later chunk of the same request
        if self._outer is not None:
            await self._outer()
        self._start()

    def _start(self) -> None:
        self._at = self._limiter._gate.started(self._ticket, self._loop)
        if self._chat is not None:
            self._limiter._start_cooldown(self._chat, self._at)

    def at(self) -> float:
        """When it started; a request that returned without the hook starts now."""
        if self._at is None:
            self._start()
        assert self._at is not None
        return self._at

    def never(self) -> None:
        """The request failed: if nothing was written, the turn passes on unused."""
        if self._at is None:
            self._limiter._gate.leave(self._ticket)


class PacedRateLimiter(BaseRateLimiter[Priority | Outgoing]):
    """Paces messages under Telegram's flood limits, most urgent first.

    Args:
        overall_per_second: messages per second for the whole bot (0: unlimited).
        chat_interval: seconds between two messages to one private chat (0: unpaced);
            also the minimum for groups.
        group_per_minute: messages per minute to one group or channel (0: only
            ``chat_interval`` applies).
        max_retries: how many times a request answered 429 is retried before the
            ``RetryAfter`` reaches the caller.
    """

    __slots__ = (
        "_chat_interval",
        "_chats",
        "_gate",
        "_group_interval",
        "_max_retries",
        "_pending",
        "_retried",
        "_sent",
        "_seq",
        "_sweep_at",
    )

    def __init__(
        self,
        overall_per_second: float = 30.0,
        chat_interval: float = 1.0,
        group_per_minute: float = 20.0,
        max_retries: int = 3,
    ) -> None:
        if overall_per_second < 0 or chat_interval < 0 or group_per_minute < 0:
            raise ValueError("rates and intervals must not be negative")
        if max_retries < 0:
            raise ValueError("max_retries must not be negative")
        # One slot per 1/rate seconds (plus the safety margin), never a burst: a bucket
        # of 30 per second would let 30 go at once and then one every 1/30 s, i.e. up
        # to 59 in the first second.  Evenly spaced slots are also the most messages a
        # sliding one-second window allows.  See _Gate for how they stay even.
        self._gate = _Gate(overall_per_second)
        self._chat_interval = chat_interval * (1 + _SAFETY)
        # The per-minute group limit as an even spacing too, for the same reason; a
        # group also never gets two messages closer than the private-chat interval.
        group_interval = 60.0 / group_per_minute * (1 + _SAFETY) if group_per_minute else 0.0
        self._group_interval = max(self._chat_interval, group_interval)
        self._max_retries = max_retries
        # Least recently used first, so idle chats are forgotten from the front.
        self._chats: OrderedDict[ChatKey, _Chat] = OrderedDict()
        self._sweep_at = _SWEEP_MIN
        self._seq = itertools.count()
        self._sent = 0
        self._retried = 0
        self._pending = 0

    async def initialize(self) -> None:
        """Nothing to set up: buckets bind to the running loop on first use."""

    async def shutdown(self) -> None:
        """Nothing to release: waiting requests belong to their callers' tasks."""

    @property
    def sent(self) -> int:
        """Messages Telegram accepted through this limiter."""
        return self._sent

    @property
    def retried_after_429(self) -> int:
        """Requests retried after Telegram answered 429 (each retry counts once)."""
        return self._retried

    def pending(self) -> int:
        """Message requests currently waiting for their turn (not those in flight)."""
        return self._pending

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | Outgoing | None,
    ) -> Result:
        """Send the request when Telegram's limits allow it; see the module docstring."""
        on_turn = None
        at_head = False
        if isinstance(rate_limit_args, Outgoing):
            on_turn = rate_limit_args.on_turn
            at_head = rate_limit_args.at_head
            rate_limit_args = rate_limit_args.priority
        if not is_message_endpoint(endpoint):
            if on_turn is not None and not await on_turn():
                raise Dropped(endpoint)
            return await self._send_unpaced(callback, args, kwargs)
        priority = Priority.INTERACTIVE if rate_limit_args is None else Priority(rate_limit_args)
        return await self._send_message(
            callback, args, kwargs, _chat_key(data), priority, on_turn, at_head
        )

    async def _send_unpaced(self, callback: Callback, args: Any, kwargs: dict[str, Any]) -> Result:
        # Not a message: no pacing and no pause applies.  If Telegram still answers 429
        # (it does throttle edits of one message), only this request waits.
        retries = 0
        while True:
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if retries >= self._max_retries:
                    raise
                retries += 1
                self._retried += 1
                await asyncio.sleep(_retry_delay(exc) + _RETRY_MARGIN)

    async def _send_message(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        key: ChatKey | None,
        priority: Priority,
        on_turn: Callable[[], Awaitable[bool]] | None = None,
        at_head: bool = False,
    ) -> Result:
        loop = asyncio.get_running_loop()
        ticket = _Ticket(int(priority), next(self._seq))
        chat = None if key is None else self._enter_chat(key, loop.time())
        self._pending += 1
        waiting = True
        try:
            if chat is not None:
                await self._take_chat_turn(chat, ticket)
            retries = 0
            while True:
                if chat is not None:
                    await self._chat_cooled_down(chat, loop)
                # Once only: a retry after a 429 is the same message.
                turn, on_turn = on_turn, None
                step_after_slot = turn is not None and not at_head
                await self._gate.enter(ticket, turn if at_head else None, step_after_slot)
                try:
                    if turn is not None and step_after_slot:
                        if not await turn():
                            raise Dropped("no longer to be sent")
                        await self._gate.ready(loop)
                except BaseException:
                    self._gate.leave(ticket)
                    raise
                self._pending -= 1
                waiting = False
                previous = -math.inf if chat is None else chat.last_delivered
                leaving = _Leaving(self, ticket, chat, loop)
                token = before_bytes_leave.set(leaving.now)
                try:
                    result = await callback(*args, **kwargs)
                except RetryAfter as exc:
                    sent_at = leaving.at()
                    # Paused even when giving up: the next message would only get a 429.
                    self._pause(chat, key, sent_at - previous, _retry_delay(exc), loop.time())
                    if retries >= self._max_retries:
                        _LOG.warning("429 after %d retries, giving up: %s", retries, exc)
                        raise
                    retries += 1
                    self._retried += 1
                    self._pending += 1
                    waiting = True
                    continue
                except BaseException:
                    leaving.never()
                    raise
                finally:
                    before_bytes_leave.reset(token)
                if chat is not None:
                    chat.last_delivered = leaving.at()
                self._sent += 1
                metrics.sent(priority.name.lower())
                return result
        finally:
            if waiting:
                self._pending -= 1
            if chat is not None and key is not None:
                self._leave_chat(key, chat, ticket)

    def _pause(
        self,
        chat: _Chat | None,
        key: ChatKey | None,
        since_previous: float,
        delay: float,
        now: float,
    ) -> None:
        """Stop sending to whatever a 429 concerns until Telegram allows it again."""
        until = now + delay + _RETRY_MARGIN
        if chat is not None and since_previous < chat.recent:
            # We wrote to this chat moments ago: its own limit is the plausible cause,
            # and pausing everyone would delay every other learner for nothing.
            chat.paused_until = max(chat.paused_until, until)
            _LOG.info("429 in chat %s: pausing that chat for %.1f s", key, until - now)
        else:
            # No recent message to this chat, so it is the overall limit: nobody sends.
            self._gate.pause(until)
            _LOG.info("429 (chat %s): pausing all messages for %.1f s", key, until - now)

    async def _take_chat_turn(self, chat: _Chat, ticket: _Ticket) -> None:
        # Priority inheritance: a reply waiting behind a broadcast to the same chat makes
        # that broadcast as urgent as the reply, or the reply would wait for all the
        # other broadcasts queued for the overall limit.
        if chat.holder is not None:
            self._gate.boost(chat.holder, ticket.priority)
        own = ticket.priority
        chat.waiting[own] += 1
        try:
            await chat.lock.acquire()
        finally:
            chat.waiting[own] -= 1
            if not chat.waiting[own]:
                del chat.waiting[own]
        chat.holder = ticket
        if chat.waiting:
            ticket.priority = min(ticket.priority, min(chat.waiting))

    async def _chat_cooled_down(self, chat: _Chat, loop: asyncio.AbstractEventLoop) -> None:
        # Waited here, before the gate, so that a message waiting for its chat does not
        # hold the overall turn.  Only the chat's lock holder gets here, and only it can
        # pause the chat, so one check of the pause suffices.
        delay = max(chat.paused_until, chat.ready_at) - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)

    @staticmethod
    def _start_cooldown(chat: _Chat, now: float) -> None:
        chat.last_attempt = now
        chat.ready_at = now + chat.pace

    def _enter_chat(self, key: ChatKey, now: float) -> _Chat:
        chat = self._chats.get(key)
        if chat is None:
            self._prune(now)
            pace = self._group_interval if _is_group(key) else self._chat_interval
            chat = self._chats[key] = _Chat(pace)
        else:
            self._chats.move_to_end(key)
        chat.users += 1
        return chat

    def _leave_chat(self, key: ChatKey, chat: _Chat, ticket: _Ticket) -> None:
        if chat.holder is ticket:
            chat.holder = None
            chat.lock.release()
        chat.users -= 1
        # In use until now: not a candidate for forgetting before the chats used earlier.
        self._chats.move_to_end(key)

    def _prune(self, now: float) -> None:
        """Forget idle chats, so that months of learners do not pile up in memory."""
        chats = self._chats
        # Cheap and usually enough: the least recently used chats are at the front.
        while chats:
            key, chat = next(iter(chats.items()))
            if not chat.idle(now):
                break
            del chats[key]
        # A chat busy for long (a message queued behind a big broadcast) stops the trim
        # above; then sweep everything, and again only once the registry has doubled.
        if len(chats) >= self._sweep_at:
            for key in [key for key, chat in chats.items() if chat.idle(now)]:
                del chats[key]
            self._sweep_at = max(_SWEEP_MIN, 2 * len(chats))
