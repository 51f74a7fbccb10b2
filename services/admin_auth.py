"""Signing in to the web console: one-time links sent by the bot, admins'
passwords, server-side sessions with idle and absolute timeouts, throttling.

Secrets (link tokens, session ids) are random, 128 bits or more, and only
their SHA-256 is stored. Every sign-in, refusal and sign-out is audited.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import ipaddress
import logging
import secrets
import unicodedata
from dataclasses import dataclass, field

import wordfreq
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from services.clock import Clock, epoch
from services.roles import NotAllowed, Role, RoleService
from storage import admin_repo
from storage.database import Database

log = logging.getLogger(__name__)

LINK_TTL = dt.timedelta(minutes=10)
IDLE_TIMEOUT = dt.timedelta(minutes=30)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
# Throttling. A burst of guesses is stopped, and so is a slow series: after
# MAX_FAILURES failed sign-ins for one account from one address within the
# window, or ADDRESS_FAILURES from one address whatever the account (or
# link), that address waits until the window has passed. Failures from
# other addresses never lock an account: else anyone could lock an admin
# out by typing wrong passwords for their Telegram id. Guessing from many
# addresses is what the password rules below are for; it is logged. A valid
# sign-in link from the bot always works, even from a throttled address
# (strangers behind the same proxy or network cannot lock an admin out).
MAX_FAILURES = 5
ADDRESS_FAILURES = 20
FAILURE_WINDOW = dt.timedelta(minutes=15)
# This many failed attempts for one account within the window (from any
# addresses) are reported in the log, once.
ACCOUNT_ALERT = 20
# IPv6 clients are counted by their /64: one host usually has a whole /64.
IPV6_PREFIX = 64
# A password: at least this many characters other than spaces, and not
# among the commonest passwords or close to one: zxcvbn's score (0-4, from
# its lists of common passwords, words and names, keyboard runs, dates and
# repeats) must reach MIN_SCORE, "safely unguessable" online.
MIN_PASSWORD = 12
MIN_SCORE = 3
# zxcvbn's own limit; the first 72 characters of a longer password are scored.
SCORED_LENGTH = 72
# Words of this site that make a password easy to guess here (zxcvbn's
# user_inputs), besides the admin's own Telegram id.
SITE_WORDS = (
    "vtc",
    "vtcbot",
    "admin",
    "administratorius",
    "slaptazodis",
    "slaptažodis",
    "alytus",
    "alytaus",
)
# zxcvbn's word lists are English; the commonest Lithuanian words (wordfreq's
# list, with and without diacritics) are given to it too, so that a password
# made of them is judged as the dictionary words they are.
LITHUANIAN_WORDS = 5000
# Without a current password, a first one may be set this soon after signing in.
REAUTH = dt.timedelta(minutes=10)
# OWASP's minimum for argon2id: 19 MiB of memory, 2 iterations, 1 lane.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def _verify_now(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _address(client: str) -> str:
    """The throttle's key for a client address (an IPv6 address by its /64)."""
    try:
        ip = ipaddress.ip_address(client)
    except ValueError:
        return f"ip:{client}"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"ip:{ip.ipv4_mapped}"
        return f"ip:{ipaddress.ip_network(f'{ip}/{IPV6_PREFIX}', strict=False)}"
    return f"ip:{ip}"


@functools.cache
def _lithuanian_words() -> tuple[str, ...]:
    words = wordfreq.top_n_list("lt", LITHUANIAN_WORDS)
    folded = (unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode() for w in words)
    return tuple(dict.fromkeys([*words, *folded]))


def check_password(password: str, user_inputs: tuple[str, ...] = ()) -> None:
    """WeakPassword when too short (spaces not counted), CommonPassword when
    among or close to the commonest passwords."""
    if sum(1 for c in password if not c.isspace()) < MIN_PASSWORD:
        raise WeakPassword()
    known = [*SITE_WORDS, *user_inputs, *_lithuanian_words()]
    result = zxcvbn(password[:SCORED_LENGTH], user_inputs=known)
    if int(result["score"]) < MIN_SCORE:
        raise CommonPassword()


class Throttled(Exception):
    """Too many failed sign-ins: wait before trying again."""


class WeakPassword(ValueError):
    """Fewer than MIN_PASSWORD characters other than spaces."""


class CommonPassword(WeakPassword):
    """One of the commonest passwords, or too close to one (zxcvbn)."""


@dataclass(frozen=True)
class Session:
    # The cookie's value (never stored) and the CSRF token: not in a repr,
    # so that a logged or printed Session does not hand them out.
    id: str = field(repr=False)
    user_id: int
    csrf: str = field(repr=False)
    lang: str
    role: Role
    created_at: int = 0  # epoch seconds


class Reauthenticate(Exception):
    """Changing the password needs the current one, or a fresh sign-in link."""


class AdminAuth:
    def __init__(self, db: Database, clock: Clock, roles: RoleService) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles
        # Hashing takes ~25 ms of CPU: done in threads, two at a time at most,
        # so that sign-in attempts cannot stall the bot sharing the loop.
        self._hashing = asyncio.Semaphore(2)

    async def _hash(self, password: str) -> str:
        async with self._hashing:
            return await asyncio.to_thread(_HASHER.hash, password)

    async def _verify(self, stored: str, password: str) -> bool:
        async with self._hashing:
            return await asyncio.to_thread(_verify_now, stored, password)

    def _now(self) -> int:
        return epoch(self.clock.now())

    async def issue_link(self, user_id: int) -> str:
        """A one-time sign-in token for staff and admins (NotAllowed otherwise)."""
        await self.roles.require(user_id, Role.STAFF, "admin_link", None)
        token = secrets.token_urlsafe(32)
        now = self._now()
        async with self.db.transaction() as conn:
            await admin_repo.add_link(
                conn, _digest(token), user_id, now, now + int(LINK_TTL.total_seconds())
            )
        await self.roles.audit(user_id, "admin_link", None)
        return token

    async def _attempt(self, limits: dict[str, int | None], target: str, client: str) -> list[int]:
        """Count this attempt as failed before it is checked: concurrent
        attempts then see each other, and a burst cannot slip past the limit.
        `limits`: each key's most failures in the window (None: counted, never
        a reason to refuse). Throttled (audited) when a key is at its limit;
        the rows to forget if the attempt succeeds."""
        now = self._now()
        since = now - int(FAILURE_WINDOW.total_seconds())
        async with self.db.transaction() as conn:
            await admin_repo.forget_failures(conn, since)
            over = [
                key
                for key, limit in limits.items()
                if limit is not None and await admin_repo.failures_since(conn, key, since) >= limit
            ]
            rows = [] if over else [await admin_repo.add_failure(conn, k, now) for k in limits]
            account = [key for key, limit in limits.items() if limit is None]
            counts = [await admin_repo.failures_since(conn, key, since) for key in account]
        if over:
            await self.roles.refused(None, "admin_sign_in_throttled", f"{target} from {client}")
            raise Throttled()
        if ACCOUNT_ALERT in counts:
            log.warning(
                "%d sign-in attempts for %s within %d minutes (the account is not locked; "
                "each address is throttled on its own)",
                ACCOUNT_ALERT,
                target,
                FAILURE_WINDOW.total_seconds() // 60,
            )
        return rows

    async def _succeeded(self, rows: list[int]) -> None:
        async with self.db.transaction() as conn:
            await admin_repo.drop_failures(conn, rows)

    async def link_usable(self, token: str) -> bool:
        """Whether a sign-in link is unused and unexpired: its page says so
        before anyone presses its button (opening it changes nothing)."""
        return await admin_repo.link_usable(self.db.reader, _digest(token), self._now())

    async def redeem_link(self, token: str, client: str, lang: str) -> Session | None:
        """A new session for a valid, unused, unexpired link of a staff member or
        admin; None otherwise. A valid link always works: its 256 bits cannot
        be guessed, and it is how an admin gets in while strangers behind the
        same address have it throttled for passwords. Wrong links count
        against the address like wrong passwords."""
        async with self.db.transaction() as conn:
            user_id = await admin_repo.use_link(conn, _digest(token), self._now())
        if user_id is not None and await self.roles.has(user_id, Role.STAFF):
            return await self._open(user_id, lang, "admin_sign_in_link")
        await self.roles.refused(user_id, "admin_sign_in", f"link from {client}")
        await self._attempt({_address(client): ADDRESS_FAILURES}, "link", client)
        return None

    async def sign_in_password(
        self, user_id: int, password: str, client: str, lang: str
    ) -> Session | None:
        """Admins only; throttled per client address, alone and with the account."""
        target = f"user:{user_id}"
        address = _address(client)
        limits = {address: ADDRESS_FAILURES, f"{target}@{address}": MAX_FAILURES, target: None}
        rows = await self._attempt(limits, target, client)
        stored = await admin_repo.password_hash(self.db.reader, user_id)
        ok = False
        if stored is not None and await self.roles.has(user_id, Role.ADMIN):
            ok = await self._verify(stored, password)
        else:
            # The same work whether or not the account exists: no timing hint.
            await self._hash(password)
        if not ok:
            await self.roles.refused(None, "admin_sign_in", f"{target} from {client}")
            return None
        await self._succeeded(rows)
        return await self._open(user_id, lang, "admin_sign_in_password")

    async def has_password(self, user_id: int) -> bool:
        return await admin_repo.password_hash(self.db.reader, user_id) is not None

    async def set_password(self, session: Session, password: str, current: str = "") -> None:
        """A borrowed session must not become a lasting password: the current
        password is needed, or, for a first one, a sign-in within REAUTH.
        The admin's other sessions end."""
        if session.role != Role.ADMIN:
            await self.roles.refused(session.user_id, "admin_set_password", None)
            raise NotAllowed("admin_set_password")
        stored = await admin_repo.password_hash(self.db.reader, session.user_id)
        if stored is not None:
            confirmed = await self._verify(stored, current)
        else:
            confirmed = self._now() - session.created_at <= REAUTH.total_seconds()
        if not confirmed:
            await self.roles.refused(session.user_id, "admin_set_password", None)
            raise Reauthenticate()
        # zxcvbn takes a few milliseconds of CPU: off the event loop.
        await asyncio.to_thread(check_password, password, (str(session.user_id),))
        hashed = await self._hash(password)
        now = self._now()
        async with self.db.transaction() as conn:
            await admin_repo.set_password_hash(conn, session.user_id, hashed, now)
            await admin_repo.end_other_sessions(conn, session.user_id, _digest(session.id), now)
        await self.roles.audit(session.user_id, "admin_set_password", None)

    async def _open(self, user_id: int, lang: str, action: str) -> Session:
        session_id = secrets.token_urlsafe(16)  # 128 bits
        csrf = secrets.token_urlsafe(32)
        async with self.db.transaction() as conn:
            await admin_repo.add_session(
                conn, _digest(session_id), user_id, csrf, lang, self._now()
            )
        await self.roles.audit(user_id, action, None)
        role = await self.roles.role_of(user_id)
        return Session(session_id, user_id, csrf, lang, role, self._now())

    async def session(self, session_id: str) -> Session | None:
        """The live session with this id, its idle time renewed; None when it
        is unknown, ended, idle or too old, or its owner lost the staff role."""
        id_hash = _digest(session_id)
        row = await admin_repo.session(self.db.reader, id_hash)
        if row is None:
            return None
        now = self._now()
        idle = now - row.last_seen > IDLE_TIMEOUT.total_seconds()
        old = now - row.created_at > ABSOLUTE_TIMEOUT.total_seconds()
        role = await self.roles.role_of(row.user_id)
        if idle or old or role == Role.LEARNER:
            async with self.db.transaction() as conn:
                await admin_repo.end_session(conn, id_hash, now)
            return None
        if now > row.last_seen:
            async with self.db.transaction() as conn:
                await admin_repo.touch_session(conn, id_hash, now)
        return Session(session_id, row.user_id, row.csrf, row.lang, role, row.created_at)

    async def set_language(self, session: Session, lang: str) -> None:
        async with self.db.transaction() as conn:
            await admin_repo.set_session_lang(conn, _digest(session.id), lang)

    async def sign_out(self, session: Session) -> None:
        async with self.db.transaction() as conn:
            await admin_repo.end_session(conn, _digest(session.id), self._now())
        await self.roles.audit(session.user_id, "admin_sign_out", None)

    @staticmethod
    def csrf_ok(session: Session, token: str | None) -> bool:
        return token is not None and secrets.compare_digest(session.csrf, token)
