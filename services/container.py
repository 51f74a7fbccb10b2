"""The centre's services, built once per process and shared by every interface."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from services.admin_auth import AdminAuth
from services.answers import AnswerService
from services.attendance import AttendanceService
from services.broadcast_compose import ComposeService
from services.broadcasts import BroadcastService
from services.catalogue_console import CatalogueConsole
from services.catalogue_service import CatalogueService
from services.certificates import CertificateService
from services.clock import Clock, SystemClock
from services.dashboard import DashboardService
from services.enquiries import EnquiryService
from services.enquiry_console import EnquiryConsole
from services.feedback import FeedbackService
from services.form_tokens import FormTokens
from services.intake import IntakeService
from services.learners import LearnerService
from services.people_console import PeopleConsole
from services.privacy import PrivacyService, Retention
from services.registration_console import RegistrationConsole
from services.registrations import RegistrationService
from services.reminders.service import ReminderService
from services.roles import RoleService
from services.surveys import SurveyService
from services.unanswered_console import UnansweredConsole
from storage.database import Database


@dataclass
class Services:
    db: Database
    clock: Clock
    catalogue: CatalogueService
    learners: LearnerService
    answers: AnswerService
    intake: IntakeService
    roles: RoleService
    privacy: PrivacyService
    enquiries: EnquiryService
    reminders: ReminderService
    broadcasts: BroadcastService
    compose: ComposeService
    admin_auth: AdminAuth
    enquiry_console: EnquiryConsole
    dashboard: DashboardService
    catalogue_console: CatalogueConsole
    people: PeopleConsole
    unanswered: UnansweredConsole
    feedback: FeedbackService
    forms: FormTokens
    certificates: CertificateService
    attendance: AttendanceService
    surveys: SurveyService
    registrations: RegistrationService
    registration_console: RegistrationConsole

    @classmethod
    def create(
        cls,
        database_path: str | Path,
        clock: Clock | None = None,
        admin_ids: Iterable[int] = (),
        staff_chat_id: int | None = None,
        escalation_hours: float = 8.0,
        retention_days: int = 365,
        staff_thread_id: int | None = None,
        draft_idle_minutes: float = 30.0,
        offer_hold_hours: float = 24.0,
    ) -> Services:
        clock = clock or SystemClock()
        db = Database(database_path)
        offer_hold = dt.timedelta(hours=offer_hold_hours)
        catalogue = CatalogueService(db, clock, offer_hold)
        roles = RoleService(db, clock, admin_ids)
        broadcasts = BroadcastService(db, clock, roles)
        privacy = PrivacyService(
            db, clock, Retention(retention_days, round(draft_idle_minutes)), offer_hold
        )
        privacy.seats_freed.append(catalogue.refresh_held)
        enquiries = EnquiryService(
            db,
            clock,
            roles,
            staff_chat_id,
            escalation_hours=escalation_hours,
            retention_days=retention_days,
            staff_thread_id=staff_thread_id,
            idle_timeout=dt.timedelta(minutes=draft_idle_minutes),
        )
        certificates = CertificateService(db, clock, roles, catalogue)
        registrations = RegistrationService(db, clock, roles, catalogue, offer_hold)
        return cls(
            db=db,
            clock=clock,
            catalogue=catalogue,
            learners=LearnerService(db, clock),
            answers=AnswerService(db, catalogue, clock),
            intake=IntakeService(db, clock),
            roles=roles,
            privacy=privacy,
            enquiries=enquiries,
            reminders=ReminderService(db, clock, catalogue),
            broadcasts=broadcasts,
            compose=ComposeService(db, clock, roles, broadcasts, catalogue),
            admin_auth=AdminAuth(db, clock, roles),
            enquiry_console=EnquiryConsole(db, clock, roles, enquiries),
            dashboard=DashboardService(db, clock, roles),
            catalogue_console=CatalogueConsole(db, clock, roles, catalogue),
            people=PeopleConsole(db, roles, privacy),
            unanswered=UnansweredConsole(db, clock, roles, catalogue),
            feedback=FeedbackService(db, clock, roles, catalogue),
            forms=FormTokens(db, clock),
            certificates=certificates,
            attendance=AttendanceService(db, clock, roles, catalogue, certificates),
            surveys=SurveyService(db, clock, roles, catalogue),
            registrations=registrations,
            registration_console=RegistrationConsole(db, clock, roles, catalogue, registrations),
        )

    async def start(self, seed_catalogue: Path | None) -> None:
        await self.db.open()
        await self.catalogue.load(seed_catalogue)

    async def close(self) -> None:
        await self.db.close()
