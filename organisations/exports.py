"""The compliance report as CSV and XLSX, for an annual report or a CQC inspection.

Both files hold the same tables, in the same order, each under the same heading block (the
organisation, when the file was produced and the filters). Every cell goes through one rule
(`academy.exports.starts_like_formula`): CSV cells that a spreadsheet would take for a formula
get an apostrophe (`safe_cell`); XLSX cells are stored as text, so the spreadsheet shows what
a person typed and never runs it."""

import csv
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from academy.exports import safe_cell, starts_like_formula

from .selectors import Compliance

BOM = "\ufeff"  # so that Excel opens the CSV as UTF-8 (names with accents stay whole)


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _blank(value):
    """Shares of nobody (a tier with no staff) are left empty rather than shown as 0."""
    return "" if value is None else value


def heading(report: Compliance) -> list[list]:
    produced = timezone.localtime(report.produced_at)
    return [
        ["Training to the Complaint Standards: compliance report"],
        ["Organisation", report.organisation.name],
        ["Produced", f"{produced:%-d %B %Y at %H:%M} (UK time)"],
        *[[name, value] for name, value in report.filters.described()],
    ]


def tier_table(report: Compliance) -> list[list]:
    rows = [
        [
            "Role tier",
            "Staff",
            "Trained to the Standards",
            "Trained (%)",
            "Up to date",
            "Up to date (%)",
            "Overdue items",
        ]
    ]
    for tier in report.tiers:
        rows.append(
            [
                tier.label,
                tier.staff,
                tier.trained,
                _blank(tier.trained_share),
                tier.up_to_date,
                _blank(tier.up_to_date_share),
                tier.overdue,
            ]
        )
    return rows


def gaps_table(report: Compliance) -> list[list]:
    rows = [["Expectation", "What it says", "Principle"]]
    rows += [[gap.code, gap.text, gap.principle] for gap in report.gaps]
    return rows


def coverage_table(report: Compliance) -> list[list]:
    rows = [["Principle or expectation", "What it says", "Staff covered", "Covered (%)"]]
    for principle in report.principles:
        rows.append(
            [
                f"Principle {principle.number}",
                principle.title,
                principle.covered,
                _blank(principle.share),
            ]
        )
        for expectation in principle.expectations:
            rows.append(
                [expectation.code, expectation.text, expectation.covered, _blank(expectation.share)]
            )
    return rows


def trend_table(report: Compliance) -> list[list]:
    rows = [["Month", "Staff at the month's end", "Trained", "Trained (%)"]]
    for point in report.trend:
        rows.append([f"{point.month:%B %Y}", point.staff, point.trained, _blank(point.share)])
    return rows


def people_table(report: Compliance) -> list[list]:
    rows = [
        [
            "Name",
            "E-mail address",
            "Role tier",
            "Team",
            "Trained to the Standards",
            "Up to date",
            "Overdue items",
            "Certificate expiry",
        ]
    ]
    for person in report.people:
        rows.append(
            [
                person.name,
                person.email,
                person.tier_label,
                person.team,
                _yes_no(person.trained),
                _yes_no(person.up_to_date),
                person.overdue,
                person.expiry_text,
            ]
        )
    return rows


def sections(report: Compliance) -> list[tuple[str, str, list[list]]]:
    """(sheet name, title, table) in the order both files give them."""
    return [
        ("By role tier", "Staff trained and up to date, by role tier", tier_table(report)),
        ("Gaps", "Expectations no one's learning covers yet", gaps_table(report)),
        ("Expectations", "Coverage of each principle and expectation", coverage_table(report)),
        ("Trend", "Share trained at the end of each month", trend_table(report)),
        ("People", "Each person", people_table(report)),
    ]


class _Echo:
    """csv.writer writes to it and gets the line back, to stream the file."""

    def write(self, value):
        return value


def csv_lines(report: Compliance):
    """The CSV file, line by line, starting with the byte-order mark."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in heading(report):
        yield writer.writerow([safe_cell(value) for value in row])
    for _name, title, table in sections(report):
        yield writer.writerow([])
        yield writer.writerow([safe_cell(title)])
        for row in table:
            yield writer.writerow([safe_cell(value) for value in row])


def xlsx_cell(sheet, value, *, bold=False):
    """A cell holding `value`; text that a spreadsheet would take for a formula is stored as
    text (with Excel's quote prefix, so editing it keeps it text). Characters XML cannot hold
    (control characters) are dropped. A plain value needs no cell of its own: openpyxl writes
    it through one cell it reuses, which is several times faster for thousands of rows."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    formula_like = starts_like_formula(value)
    if not (formula_like or bold):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if formula_like:
        cell.data_type = "s"
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(report: Compliance) -> bytes:
    """The XLSX file: a sheet per table, each under the heading block. Written in openpyxl's
    write-only mode, which keeps memory flat for thousands of people."""
    workbook = Workbook(write_only=True)
    block = heading(report)
    for name, title, table in sections(report):
        sheet = workbook.create_sheet(name)
        for column, width in zip("ABCDEFGH", (34, 44, 18, 14, 18, 14, 14, 22), strict=True):
            sheet.column_dimensions[column].width = width  # set before any row is written
        for index, row in enumerate(block):
            sheet.append(
                [
                    xlsx_cell(sheet, value, bold=index == 0 or column == 0)
                    for column, value in enumerate(row)
                ]
            )
        sheet.append([])
        sheet.append([xlsx_cell(sheet, title, bold=True)])
        for index, row in enumerate(table):
            sheet.append([xlsx_cell(sheet, value, bold=index == 0) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
