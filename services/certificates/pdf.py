"""The certificate as a PDF (fpdf2), with a TrueType font that has the
Lithuanian letters (DejaVu Sans from Debian's fonts-dejavu-core, which the
Makefile and the Dockerfile install; CERTIFICATE_FONT names another)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

DEFAULT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


class FontMissing(Exception):
    """The configured font file is not there."""


@dataclass(frozen=True)
class Layout:
    """What the certificate says, already in the holder's language."""

    heading: str
    lines: list[str]  # under the heading: "This certifies that", the name, ...
    name: str
    completed: str  # the verb between the name and the programme: "has completed"
    programme: str
    details: list[str]  # dates, hours
    code_line: str
    verify_line: str
    title: str  # the document's title in its properties
    lang: str


def render(layout: Layout, font: Path = DEFAULT_FONT) -> bytes:
    if not font.is_file():
        raise FontMissing(str(font))
    bold = font.with_name(font.stem + "-Bold" + font.suffix)
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(layout.title)
    pdf.set_lang(layout.lang)
    pdf.set_creator("vtcbot")
    pdf.add_font("body", "", str(font))
    pdf.add_font("body", "B", str(bold if bold.is_file() else font))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_draw_color(42, 111, 151)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(35)
    pdf.set_font("body", "B", 30)
    pdf.cell(width, 14, layout.heading, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("body", "", 14)
    for line in layout.lines:
        pdf.cell(width, 8, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("body", "B", 24)
    pdf.multi_cell(width, 12, layout.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", "", 14)
    pdf.cell(width, 8, layout.completed, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("body", "B", 18)
    pdf.multi_cell(width, 9, layout.programme, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("body", "", 13)
    for line in layout.details:
        pdf.cell(width, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(pdf.h - 40)
    pdf.set_font("body", "", 11)
    pdf.cell(width, 6, layout.code_line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 6, layout.verify_line, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
