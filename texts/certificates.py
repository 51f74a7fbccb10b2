"""The certificate's words in the holder's language, its PDF, and the
message it is sent with."""

from __future__ import annotations

from pathlib import Path

from services.catalogue.schema import Group, Programme
from services.certificates import Certificate
from services.certificates.pdf import DEFAULT_FONT, Layout, render
from texts.i18n import Translator, translator


def layout(
    certificate: Certificate, programme: Programme, group: Group, verify_url: str | None
) -> Layout:
    t = translator(certificate.lang)
    where = (
        t.gettext("Verify it at {address}").format(
            address=f"{verify_url.rstrip('/')}/verify/{certificate.code}"
        )
        if verify_url
        else t.gettext("The centre verifies it by its code.")
    )
    return Layout(
        heading=t.gettext("CERTIFICATE"),
        lines=[t.gettext("This certifies that")],
        name=certificate.holder_name,
        completed=t.gettext("has completed the training"),
        programme=programme.title.get(t.lang),
        details=[
            dates(t, group),
            t.ngettext("{n} academic hour", "{n} academic hours", certificate.hours).format(
                n=certificate.hours
            ),
        ],
        code_line=t.gettext("Verification code: {code}").format(code=certificate.code),
        verify_line=where,
        title=t.gettext("Certificate {code}").format(code=certificate.code),
        lang=t.lang,
    )


def dates(t: Translator, group: Group) -> str:
    """'2027 m. vasario 1 d. – 2027 m. vasario 5 d.'; one date for a one-day event."""
    if group.starts == group.ends:
        return t.date(group.starts)
    return f"{t.date(group.starts)} – {t.date(group.ends)}"


def pdf(
    certificate: Certificate,
    programme: Programme,
    group: Group,
    verify_url: str | None,
    font: Path = DEFAULT_FONT,
) -> bytes:
    return render(layout(certificate, programme, group, verify_url), font)


def file_name(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"


def caption(certificate: Certificate, programme: Programme) -> str:
    """The message the PDF is sent with (plain text)."""
    t = translator(certificate.lang)
    return t.gettext("Your certificate for “{programme}”. Its verification code is {code}.").format(
        programme=programme.title.get(t.lang), code=certificate.code
    )
