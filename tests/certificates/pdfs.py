"""Reading a certificate PDF back as a reader (or a screen reader, or a search) would.

`check_certificate_pdf` is run on every PDF the test suite makes (tests/conftest.py): the text
extracted from it must be what the certificate says, in order, and every character must be drawn
with a font embedded in the file.
"""

import io
import unicodedata
from dataclasses import dataclass

from django.utils import timezone
from pypdf import PdfReader


@dataclass(frozen=True)
class Run:
    """One piece of text as the PDF draws it: a line of a paragraph, at one size, in one font."""

    text: str
    font: str
    size: float
    embedded: bool


def _embedded(font: dict) -> bool:
    """Whether the font's glyphs travel in the file (a TrueType or CFF font program)."""
    if "/DescendantFonts" in font:  # a composite font keeps its descriptor one level down
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    return any(key in descriptor.get_object() for key in ("/FontFile2", "/FontFile3"))


def runs(pdf: bytes) -> list[Run]:
    """The text of every page, in the order it is drawn, without the empty runs."""
    found: list[Run] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append(
                Run(
                    text=" ".join(text.split()),
                    font=str(font.get("/BaseFont")) if font else "",
                    # The size a reader sees: the font size scaled by the text and page
                    # matrices (a block shrunk to fit is drawn scaled down).
                    size=round(size * tm[3] * cm[3], 2),
                    embedded=bool(font) and _embedded(font),
                )
            )

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return found


def flat_text(pdf: bytes) -> str:
    """All the text, with each run of white space made one space (so wrapping does not count)."""
    return " ".join(run.text for run in runs(pdf))


def _date(moment) -> str:
    return f"{timezone.localtime(moment):%d %B %Y}".lstrip("0")


def expected_text(certificate) -> list[str]:
    """What the certificate means to print, in reading order."""
    kind = certificate.award.kind
    heading, verb = {
        "webinar_attendance": ("Certificate of attendance", "attended"),
        "accreditation": ("Certificate of accreditation", "is accredited in"),
    }.get(kind, ("Certificate of completion", "has completed"))
    issued = f"Issued on {_date(certificate.issued_at)}"
    if certificate.cpd_hours:
        issued += f" · {certificate.cpd_hours} CPD hours"
    logo = certificate.design and certificate.design.logo
    drawn_logo = logo and logo.file.storage.exists(logo.file.name)
    lines = [] if drawn_logo else ["PHSO Academy"]  # the Academy's name stands in for a logo
    lines += [
        heading,
        "This certifies that",
        certificate.name_on_certificate,
        verb,
        certificate.title_on_certificate,
    ]
    if certificate.wording_on_certificate:
        lines.append(certificate.wording_on_certificate)
    lines.append(issued)
    if certificate.valid_until:
        lines.append(f"Valid until {_date(certificate.valid_until)}")
    if certificate.signatory_name:
        lines.append(certificate.signatory_name)
        if certificate.signatory_role:
            lines.append(certificate.signatory_role)
    lines += [
        "Certificate code",
        certificate.display_code,
        "Scan to verify",
        f"Check this certificate at {certificate.verify_url}",
    ]
    return [" ".join(line.split()) for line in lines]


def check_certificate_pdf(pdf: bytes, certificate) -> None:
    """Fail unless the PDF says exactly what the certificate says, all in embedded fonts."""
    not_embedded = sorted({run.font for run in runs(pdf) if not run.embedded})
    assert not not_embedded, f"text drawn in fonts not embedded in the PDF: {not_embedded}"
    # Arabic is drawn in its joined presentation forms, which NFKC folds back into the letters
    # typed; it changes nothing else a certificate prints.
    assert unicodedata.normalize("NFKC", flat_text(pdf)) == unicodedata.normalize(
        "NFKC", " ".join(expected_text(certificate))
    )
