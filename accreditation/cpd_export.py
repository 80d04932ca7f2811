"""The CPD log as a file to keep or send on: CSV for a spreadsheet, PDF to print.

Both are made in the request: one person's log is a few pages at most, made in well under a
second, and it changes with every entry, so there is nothing to keep (docs/decisions.md)."""

import csv
import io
import logging
from decimal import Decimal
from pathlib import Path

import fontpkg_fira_sans
import fontpkg_noto_sans_arabic
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.formats import date_format
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from .models import CPDEntry
from .selectors import CPDOverview, CPDYear

log = logging.getLogger(__name__)

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection), so such
# a cell is written with a quote in front, as OWASP advises.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Each family in the PDF's font-family list draws the characters the ones before it lack
# (xhtml2pdf splits text by glyph coverage): Fira Sans for Latin, Greek and Cyrillic, Noto Sans
# Arabic (which carries the joined letter forms xhtml2pdf shapes Arabic with) and, where Debian's
# fonts-droid-fallback is installed, Droid Sans Fallback for Chinese, Japanese and Korean.
FIRA_FOLDER = fontpkg_fira_sans.ROOT / "files"
ARABIC_FOLDER = fontpkg_noto_sans_arabic.ROOT / "files"
CJK_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


def font_faces() -> list[tuple[str, str, str]]:
    """(family, weight, file) of each face the PDF declares; the families in fallback order."""
    faces = [
        ("Fira Sans", "normal", str(FIRA_FOLDER / "FiraSans-Regular.ttf")),
        ("Fira Sans", "bold", str(FIRA_FOLDER / "FiraSans-SemiBold.ttf")),
        ("Noto Sans Arabic", "normal", str(ARABIC_FOLDER / "NotoSansArabic[wdth,wght].ttf")),
    ]
    missing = [path for _, _, path in faces if not Path(path).is_file()]
    if missing:  # xhtml2pdf would draw boxes without a word
        raise ImproperlyConfigured(f"A font of the CPD log PDF is missing: {', '.join(missing)}")
    if CJK_FONT.is_file():
        faces.append(("Droid Sans Fallback", "normal", str(CJK_FONT)))
    else:
        log.warning("%s is not installed: Chinese, Japanese and Korean print as boxes", CJK_FONT)
    # One file serves both weights of a script Fira Sans lacks: bold falls back to it too.
    faces += [(family, "bold", path) for family, weight, path in faces[2:]]
    return faces


def _hours(value) -> str:
    """1.0 as 1, 10 as 10 (not 1E+1), 2.5 as 2.5."""
    return f"{Decimal(value).normalize():f}"


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _expectation_codes(entry: CPDEntry) -> str:
    return "; ".join(
        f"{expectation.principle.framework.name} {expectation.code}"
        for expectation in entry.expectations.all()
    )


def _year_line(year: CPDYear | None) -> str:
    if year is None:
        return "All years"
    dates = f"{date_format(year.starts, 'j F Y')} to {date_format(year.ends, 'j F Y')}"
    return f"{year.label} ({dates})"


def _hours_line(overview: CPDOverview, year: CPDYear | None) -> str:
    hours = year.hours if year else overview.total_hours
    line = f"{_hours(hours)} hours"
    if year is not None and year.required is not None:
        line += f" of the {_hours(year.required)} your accreditation needs"
    return line


def log_csv(*, person, overview: CPDOverview, year: CPDYear | None, entries, today) -> bytes:
    """The log as CSV, one row per entry under a few rows saying whose log it is, when it was
    downloaded and which year it covers; UTF-8 with a byte order mark, without which Excel
    reads the file in the computer's own code page and garbles names in other scripts."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(
        [
            ["CPD log of", _cell(person.full_name)],
            ["Downloaded on", date_format(today, "j F Y")],
            ["Year", _cell(_year_line(year))],
            ["Hours logged", _hours_line(overview, year)],
            [],
            [
                "Date",
                "Activity",
                "Type",
                "Hours",
                "What I learned",
                "Complaint Standards expectations",
            ],
        ]
    )
    for entry in entries:
        writer.writerow(
            [
                entry.activity_date.isoformat(),
                _cell(entry.activity),
                entry.recorded_as,
                _hours(entry.hours),
                _cell(entry.learned),
                _cell(_expectation_codes(entry)),
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _only_font_files(uri: str, rel: str) -> str:
    """xhtml2pdf's resource hook: the declared font files and nothing else, so no text in the
    log can make the renderer read a file or reach the network."""
    return uri if uri in {path for _, _, path in font_faces()} else ""


def log_pdf(*, person, overview: CPDOverview, year: CPDYear | None, entries, today) -> bytes:
    faces = font_faces()
    html = render_to_string(
        "accreditation/cpd/log_pdf.html",
        {
            "person": person,
            "overview": overview,
            "year": year,
            "year_line": _year_line(year),
            "hours_line": _hours_line(overview, year),
            "entries": entries,
            "today": today,
            "faces": faces,
            "families": list(dict.fromkeys(family for family, _, _ in faces)),
        },
    )
    policy = ResourceAccessPolicy.server(
        base_dir=None,
        allow_remote=False,
        extra_roots=tuple({Path(path).parent for _, _, path in faces}),
    )
    out = io.BytesIO()
    result = pisa.CreatePDF(
        html, dest=out, link_callback=_only_font_files, resource_policy=policy, encoding="utf-8"
    )
    if result.err:
        raise RuntimeError(f"xhtml2pdf reported {result.err} error(s) for a CPD log")
    return out.getvalue()
