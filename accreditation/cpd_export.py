"""The CPD log as a file to keep or send on: CSV for a spreadsheet, PDF to print.

Both are made in the request: one person's log is a few pages at most, made in well under a
second, and it changes with every entry, so there is nothing to keep (docs/decisions.md)."""

import csv
import io
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.formats import date_format
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from academy.pdf_fonts import families, font_faces, missing_fonts

from .models import CPDEntry
from .selectors import CPDOverview, CPDYear

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection), so such
# a cell is written with a quote in front, as OWASP advises.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    missing = missing_fonts(faces)
    if missing:  # xhtml2pdf would draw boxes without a word
        raise ImproperlyConfigured(f"A font of the CPD log PDF is missing: {', '.join(missing)}")
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
            "families": families(faces),
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
