"""Start and stop the bot: polling by default, a webhook when configured."""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlparse

from telegram import Update
from telegram.ext import CallbackContext

from admin.app import create_app
from admin.server import AdminServer
from bot.app import PacingSettings, build_application
from bot.application import VtcApplication
from bot.handlers.admin_link import ADMIN_URL_KEY
from bot.handlers.enquiries import raise_overdue
from bot.transport.broadcast_sender import BroadcastSender
from bot.transport.certificate_delivery import deliver_certificate
from bot.transport.command_menus import refresh_menu, refresh_staff_menus, set_learner_menus
from bot.transport.enquiry_delivery import deliver_answer
from bot.transport.erased_posts import ErasedPostEditor
from bot.transport.intake import DurableBot
from bot.transport.pacing import SAFETY
from bot.transport.registration_posts import refresh_registration_post
from bot.transport.registration_sender import RegistrationSender
from bot.transport.reminder_sender import ReminderSender
from bot.transport.staff_posts import refresh_staff_post
from bot.transport.survey_sender import SurveySender
from bot.transport.webhook import WebhookServer
from domain.enquiries import Enquiry
from services.certificates import Certificate
from services.container import Services
from services.intake import update_id_of

log = logging.getLogger(__name__)

# How often the running bot looks for a catalogue imported by `vtcbot import`.
CATALOGUE_CHECK_SECONDS = 30
INBOX_PURGE_SECONDS = 3600
ESCALATION_CHECK_SECONDS = 600
# Reminders live in the database; the job queue holds only those due within
# the horizon, re-read every PLANNER_SECONDS (and whenever one is planned).
PLANNER_SECONDS = 30
# Ten minutes: long enough to start a burst of 18,000 reminders early at 30/s.
PLANNER_HORIZON = dt.timedelta(minutes=10)
# Reminders sent per second at most, whatever the rate setting: each costs a
# commit before and after its request (bench/reminders_scale.py measured
# ~400/s on a 2-core machine). Used to start a burst early enough.
SENDER_CEILING = 250.0
BROADCAST_CHECK_SECONDS = 5
# Staff-chat posts of erased learners still to edit (after an outage).
ERASED_POSTS_SECONDS = 300
# Groups end on a date: looking for newly ended ones every ten minutes is plenty.
SURVEY_CHECK_SECONDS = 600
# Offers held for a registration lapse on the minute, and pass to the next in line.
OFFER_EXPIRY_SECONDS = 60


@dataclass(frozen=True)
class WebhookConfig:
    url: str
    secret: str
    listen: str
    port: int


@dataclass(frozen=True)
class ConsoleConfig:
    """Where the web console listens and the address its links show."""

    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str | None = None
    # The reverse proxy whose X-Forwarded-* headers are believed (FORWARDED_ALLOW_IPS).
    forwarded_allow_ips: tuple[str, ...] = ()


class BotRunner:
    def __init__(
        self,
        services: Services,
        token: str,
        api_url: str,
        webhook: WebhookConfig | None = None,
        concurrent_updates: int = 64,
        pacing: PacingSettings | None = None,
        console: ConsoleConfig | None = None,
    ) -> None:
        self.services = services
        self.console = console
        self._console_server: AdminServer | None = None
        self.console_url: str | None = None
        self.webhook = webhook
        self.pacing = pacing or PacingSettings()
        self.app: VtcApplication = build_application(
            services, token, api_url, concurrent_updates, pacing=self.pacing
        )
        self.sender = ReminderSender(self.app.bot, services)
        self.broadcaster = BroadcastSender(self.app.bot, services, paid=self.pacing.paid_broadcasts)
        self.erased_posts = ErasedPostEditor(self.app.bot, services)
        self.surveys = SurveySender(self.app.bot, services)
        self.registrations = RegistrationSender(self.app.bot, services, self.erased_posts.lock)
        # The reminder count each armed burst was started early for, by job id.
        self._armed: dict[str, int] = {}
        self._webhook_server: WebhookServer | None = None

    async def start(self) -> None:
        app = self.app
        await app.initialize()
        await self._register_commands()
        await self._replay_unfinished()
        await app.start()
        assert app.job_queue is not None
        app.job_queue.run_repeating(
            self._reload_catalogue, interval=CATALOGUE_CHECK_SECONDS, name="catalogue-reload"
        )
        app.job_queue.run_repeating(
            self._purge_inbox, interval=INBOX_PURGE_SECONDS, name="inbox-purge"
        )
        app.job_queue.run_repeating(
            self._raise_overdue, interval=ESCALATION_CHECK_SECONDS, name="enquiry-escalation"
        )
        await self.services.reminders.recover()
        app.job_queue.run_repeating(
            self._plan_reminders, interval=PLANNER_SECONDS, name="reminder-planner"
        )
        self.services.reminders.listeners.append(self._plan_soon)
        await self.services.broadcasts.recover()
        app.job_queue.run_repeating(
            self._run_broadcasts, interval=BROADCAST_CHECK_SECONDS, name="broadcasts"
        )
        self.services.broadcasts.listeners.append(self._broadcast_soon)
        app.job_queue.run_repeating(
            self._edit_erased_posts, interval=ERASED_POSTS_SECONDS, name="erased-posts"
        )
        self.services.privacy.listeners.append(self._edit_erased_posts_soon)
        app.job_queue.run_repeating(
            self._send_surveys, interval=SURVEY_CHECK_SECONDS, first=1, name="surveys"
        )
        await self.services.registrations.recover()
        app.job_queue.run_repeating(
            self._expire_offers, interval=OFFER_EXPIRY_SECONDS, name="registration-offers"
        )
        self.services.registrations.listeners.append(self._registration_notices_soon)
        # An erasure frees seats: their offers go out at once too.
        self.services.privacy.listeners.append(self._registration_notices_soon)
        self.services.registrations.changed_listeners.append(self._registration_changed)
        self.services.roles.listeners.append(self._role_changed)
        self.services.enquiries.listeners.append(self._enquiry_changed)
        if self.webhook:
            path = urlparse(self.webhook.url).path or "/"
            self._webhook_server = WebhookServer(
                app,
                self.services.intake,
                path,
                self.webhook.secret,
                self.webhook.listen,
                self.webhook.port,
            )
            await self._webhook_server.start()
            await app.bot.set_webhook(
                self.webhook.url,
                secret_token=self.webhook.secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            # Pending updates are never dropped: they are questions people asked.
            await app.bot.delete_webhook(drop_pending_updates=False)
            assert app.updater is not None
            await app.updater.start_polling(
                poll_interval=0.0,
                timeout=25,
                drop_pending_updates=False,
                allowed_updates=Update.ALL_TYPES,
            )
        # Reminders missed while the bot was down are caught up now, beside
        # the learners' messages rather than before them. (A job with
        # first=0 would not run at once: APScheduler's interval trigger.)
        self._plan_soon()
        # A broadcast a crash interrupted resumes by itself.
        app.create_task(self._run_broadcasts(None), name="broadcasts-now")
        # So does the editing of staff posts an erasure left undone.
        self._edit_erased_posts_soon()
        # Offers that lapsed while the bot was down pass on now, and the
        # registration notices left planned go out.
        app.create_task(self._expire_offers(None), name="registration-offers-now")
        await self._start_console()
        log.info("bot @%s is running", app.bot.username)

    async def stop(self) -> None:
        app = self.app
        if self._console_server is not None:
            await self._console_server.stop()
            self._console_server = None
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if self._webhook_server is not None:
            await self._webhook_server.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    async def _reload_catalogue(self, _context: object) -> None:
        """A catalogue imported with `vtcbot import` reaches the running bot."""
        await self.services.catalogue.reload_if_imported()

    async def _purge_inbox(self, _context: object) -> None:
        """Retention: finished updates are kept a day (Telegram may send them
        again), closed enquiries RETENTION_DAYS, a chat's last course card as
        long as a follow-up may refer to it; then they are dropped."""
        await self.services.intake.purge_consumed()
        await self.services.enquiries.purge_finished()
        await self.services.answers.forget_old_topics()

    async def _raise_overdue(self, _context: object) -> None:
        """Enquiries waiting too long are raised again in the staff chat, once."""
        await raise_overdue(self.app.bot, self.services)

    async def _send_surveys(self, _context: object) -> None:
        """Participants of groups that ended get the feedback survey, once."""
        await self.surveys.run()

    async def _expire_offers(self, _context: object) -> None:
        """Offers whose hold ran out (by the services' clock) pass to the next
        in line; then every planned registration notice goes out (also those
        an erasure wrote when it freed a seat)."""
        await self.services.registrations.expire_offers()
        await self.registrations.run()

    def _registration_notices_soon(self) -> None:
        # Called inside the handler that changed a registration: a fresh
        # context keeps these messages out of that update's reply journal.
        if self.app.running:
            contextvars.Context().run(
                self.app.create_task, self.registrations.run(), name="registration-notices-now"
            )

    def _registration_changed(self, registration_id: int) -> None:
        # Its status changed (the staff chat, the console, the learner, a
        # lapse): the staff-chat post follows, outside the update's journal.
        if self.app.running:
            contextvars.Context().run(
                self.app.create_task,
                refresh_registration_post(
                    self.app.bot, self.services, registration_id, self.erased_posts.lock
                ),
                name=f"registration-post-{registration_id}",
            )

    async def _edit_erased_posts(self, _context: object) -> None:
        """Staff-chat posts no longer show a learner who erased their data."""
        await self.erased_posts.run()

    def _edit_erased_posts_soon(self) -> None:
        # Called inside the erasing handler: a fresh context keeps the edits
        # out of that update's reply journal.
        if self.app.running:
            contextvars.Context().run(
                self.app.create_task, self._edit_erased_posts(None), name="erased-posts-now"
            )

    async def _plan_reminders(self, _context: object) -> None:
        """Learners get what is due now; what is due soon is armed as a job."""
        await self.sender.run_due()
        job_queue = self.app.job_queue
        assert job_queue is not None
        # The pace actually kept: the sender stays a little under the limit.
        overall = self.pacing.overall_per_second  # 0: no limit
        rate = min(overall / (1 + 2 * SAFETY), SENDER_CEILING) if overall else SENDER_CEILING
        scheduler = job_queue.scheduler
        # Bursts already fired are forgotten.
        self._armed = {k: n for k, n in self._armed.items() if scheduler.get_job(k) is not None}
        for at, count in await self.services.reminders.next_fire_times(PLANNER_HORIZON):
            job_id = f"reminders-at-{int(at.timestamp())}"
            # Explicit ids: planning again never arms the same instant twice,
            # unless more learners joined the burst since (they followed the
            # group later): then it is armed again, earlier, for the real count.
            if scheduler.get_job(job_id) is not None and self._armed.get(job_id, 0) >= count:
                continue
            self._armed[job_id] = count
            # At 30 messages a second, 600 reminders due at 18:00 take 20 s to
            # send: the burst starts that much early, so that the last one
            # goes out at 18:00 rather than at 18:00:20.
            lead = dt.timedelta(seconds=count / rate)
            job_queue.run_once(
                self._fire_reminders,
                when=at - lead,
                data=at,
                name=job_id,
                job_kwargs={"id": job_id, "replace_existing": True, "misfire_grace_time": None},
            )

    async def _run_broadcasts(self, _context: object) -> None:
        """Learners get the broadcasts whose time has come (each in its own task)."""
        for broadcast_id in await self.broadcaster.start_due():
            if not self.app.running:
                return  # stopping: the next start resumes it
            self.app.create_task(
                self.broadcaster.run(broadcast_id), name=f"broadcast-{broadcast_id}"
            )

    async def _fire_reminders(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        """Learners get the reminders due at the job's instant."""
        until = context.job.data if context.job is not None else None
        await self.sender.run_due(until if isinstance(until, dt.datetime) else None)

    def _plan_soon(self) -> None:
        # Also called when a reminder was just planned: it may be due before
        # the next round.
        if self.app.running:
            self.app.create_task(self._plan_reminders(None), name="reminder-planner-now")

    async def _start_console(self) -> None:
        """The web console in this process and loop; its answers to learners
        go out through this bot."""
        if self.console is None:
            return
        services = self.services
        bot = self.app.bot

        async def deliver(enquiry: Enquiry, row: int, text: str) -> str:
            return await deliver_answer(bot, services, enquiry, row, text)

        public = self.console.public_url

        async def send_certificate(certificate: Certificate) -> str:
            return await deliver_certificate(bot, services, certificate, self.console_url)

        web = create_app(
            services,
            deliver,
            secure_cookies=bool(public and public.startswith("https:")),
            send_certificate=send_certificate,
            public_url=public,
        )
        server = AdminServer(
            web, self.console.host, self.console.port, self.console.forwarded_allow_ips
        )
        if not await server.start():
            return
        self._console_server = server
        self.console_url = public or f"http://{self.console.host}:{server.port}"
        self.app.bot_data[ADMIN_URL_KEY] = self.console_url
        log.info("web console at %s", self.console_url)

    def _broadcast_soon(self) -> None:
        if self.app.running:
            self.app.create_task(self._run_broadcasts(None), name="broadcasts-now")

    async def _register_commands(self) -> None:
        """Learners' menus for everyone, staff's and admins' for each of them."""
        await set_learner_menus(self.app.bot)
        await refresh_staff_menus(self.app.bot, self.services.roles)

    def _enquiry_changed(self, enquiry_id: int) -> None:
        # Its status or assignee changed (a button, a reply, the console): the
        # staff-chat post follows, outside the update's reply journal.
        if self.app.running:
            contextvars.Context().run(
                self.app.create_task,
                refresh_staff_post(self.app.bot, self.services, enquiry_id, self.erased_posts.lock),
                name=f"staff-post-{enquiry_id}",
            )

    def _role_changed(self, user_id: int) -> None:
        # Granted or revoked (by a command or in the console): that person's
        # menu follows, outside the update's reply journal.
        if self.app.running:
            contextvars.Context().run(
                self.app.create_task,
                refresh_menu(self.app.bot, self.services.roles, user_id),
                name=f"command-menu-{user_id}",
            )

    async def _replay_unfinished(self) -> None:
        """Updates the last run did not finish are handled now; one that can
        no longer be parsed is counted and set aside, never stops the start."""
        bot = cast(DurableBot, self.app.bot)
        rows = await self.services.intake.unfinished()
        for inbox_id, raw in rows:
            if raw is None or update_id_of(raw) is None:
                # Nothing left to handle: emptied by an erasure while it was
                # being handled ("{}"), or not readable at all.
                await self.services.intake.done(inbox_id)
                continue
            update = await bot.admit(inbox_id, raw)
            if update is None:
                continue
            self.app.replay(inbox_id)
            await self.app.update_queue.put(update)
        if rows:
            log.info("handling %d updates left unfinished by the last run", len(rows))
