"""Certificates: earned by attendance, issued once, a PDF in the holder's
language with the Lithuanian letters intact, verified by code with initials only."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from services.certificates import initials
from services.certificates.codes import normalised
from services.clock import FixedClock
from services.container import Services
from services.roles import NotAllowed
from tests.conftest import ADMIN_ID
from tests.registration_helpers import add_registration, give_certificate
from texts import certificates as texts

PROGRAMME = "pd-digital-didactics"
GROUP = "pd-digital-didactics-2027-01"
DAY1, DAY2 = f"{GROUP}-day1", f"{GROUP}-day2"
# The second (last) seminar day has begun: 20 January 2027, 13:30 in Vilnius.
AFTER = dt.datetime(2027, 1, 20, 11, 30, tzinfo=dt.UTC)
NAME = "Ąžuolė Čiurlionytė-Šėgždė"


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


async def test_attendance_reaching_the_minimum_issues_one_certificate_once(
    services: Services, clock: FixedClock
) -> None:
    give_certificate(services, PROGRAMME, hours=8, min_attendance=100)
    full = await add_registration(services, 5001, GROUP, name=NAME)
    half = await add_registration(services, 5002, GROUP, name="Jonas Jonaitis")
    # Marks before the group has run issue nothing, even when complete.
    await services.attendance.mark(ADMIN_ID, GROUP, DAY1, full, "present")
    assert await services.attendance.mark(ADMIN_ID, GROUP, DAY1, half, "present") == []
    clock.at = AFTER
    issued = await services.attendance.mark(ADMIN_ID, GROUP, DAY2, full, "present")
    assert [c.registration_id for c in issued] == [full]
    # The other attended one day of two: below the 100 % this programme asks.
    assert await services.attendance.mark(ADMIN_ID, GROUP, DAY2, half, "excused") == []
    # Marking again issues nothing new.
    assert await services.attendance.mark(ADMIN_ID, GROUP, DAY2, full, "present") == []
    [certificate] = await services.certificates.listed(ADMIN_ID, GROUP)
    assert certificate.holder_name == NAME and certificate.hours == 8
    assert normalised(certificate.code) == certificate.code
    assert len(certificate.code.replace("-", "")) == 16


async def test_the_pdf_says_the_name_programme_dates_hours_and_code_in_lithuanian(
    services: Services, clock: FixedClock
) -> None:
    give_certificate(services, PROGRAMME, hours=8, min_attendance=50)
    registration = await add_registration(services, 5001, GROUP, name=NAME)
    clock.at = AFTER
    [certificate] = await services.attendance.mark(ADMIN_ID, GROUP, DAY1, registration, "present")
    programme, group = services.catalogue.view.groups[GROUP]
    text = _text(texts.pdf(certificate, programme, group, "https://centras.example.lt"))
    assert "PAŽYMĖJIMAS" in text
    assert NAME in text and "baigė mokymus" in text
    assert "Skaitmeninė didaktika profesiniame mokyme" in text
    assert "2027 m. sausio 19 d. – 2027 m. sausio 20 d." in text
    assert "8 akademinės valandos" in text
    assert certificate.code in text
    assert f"https://centras.example.lt/verify/{certificate.code}" in text


async def test_the_pdf_renders_every_lithuanian_letter(
    services: Services, clock: FixedClock
) -> None:
    give_certificate(services, PROGRAMME)
    registration = await add_registration(
        services, 5003, GROUP, name="ąčęėįšųūž ĄČĘĖĮŠŲŪŽ", lang="en"
    )
    clock.at = AFTER
    [certificate] = await services.attendance.mark(ADMIN_ID, GROUP, DAY2, registration, "present")
    programme, group = services.catalogue.view.groups[GROUP]
    text = _text(texts.pdf(certificate, programme, group, None))
    assert "ąčęėįšųūž ĄČĘĖĮŠŲŪŽ" in text
    # In the holder's language: English.
    assert "CERTIFICATE" in text and "Digital didactics in VET" in text
    assert "has completed the training" in text
    assert "19 January 2027 – 20 January 2027" in text
    assert "8 academic hours" in text


async def test_verification_shows_programme_dates_and_initials_only(
    services: Services, clock: FixedClock
) -> None:
    give_certificate(services, PROGRAMME)
    registration = await add_registration(services, 5001, GROUP, name=NAME)
    clock.at = AFTER
    [certificate] = await services.attendance.mark(ADMIN_ID, GROUP, DAY1, registration, "present")
    typed = certificate.code.lower().replace("-", " ")
    verified = await services.certificates.verify(typed)
    assert verified is not None
    assert verified.initials == "Ą. Č.-Š."
    assert verified.programme.id == PROGRAMME and verified.group.id == GROUP
    assert await services.certificates.verify("AAAA-BBBB-CCCC-DDDD") is None
    assert await services.certificates.verify("x' OR 1=1 --") is None


def test_initials() -> None:
    assert initials("Ona Onaitė") == "O. O."
    assert initials("  jonas   petras  jonaitis ") == "J. P. J."
    assert initials("") == ""


async def test_learners_cannot_mark_attendance(services: Services) -> None:
    registration = await add_registration(services, 5001, GROUP)
    with pytest.raises(NotAllowed):
        await services.attendance.mark(5001, GROUP, DAY1, registration, "present")
