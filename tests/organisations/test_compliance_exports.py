"""The compliance downloads: CSV (UTF-8 with a byte-order mark) and XLSX, each with the heading
block, every table and one row per person; text a spreadsheet would run as a formula is
neutralised in both."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from academy.models import Membership, RoleTier
from tests.academy.factories import OrganisationFactory
from tests.complaint_standards.factories import (
    ExpectationFactory,
    FrameworkFactory,
    PrincipleFactory,
)
from tests.organisations.compliance_support import certificate, course_award, member

HOSTILE = ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1:A2)"]


@pytest.fixture
def exported(client, catalogue):
    """An organisation whose people and team have names that look like formulas, and its
    manager signed in."""
    organisation = OrganisationFactory(name='=HYPERLINK("http://x") NHS Trust')
    framework = FrameworkFactory(name="NHS Complaint Standards", version="2022")
    principle = PrincipleFactory(framework=framework, number=1, title="Welcoming complaints")
    expectation = ExpectationFactory(principle=principle, number=1, text="-Listen first.")
    award = course_award(catalogue, expectations=[expectation])
    manager = member(organisation, role=Membership.Role.MANAGER, full_name="Zoë Manager")
    for index, name in enumerate(HOSTILE):
        person = member(
            organisation,
            full_name=name,
            team="=Intake",
            tier=RoleTier.COMPLAINTS_STAFF,
            email=f"hostile{index}@example.org",
        )
        if index == 0:
            certificate(person, award)
    client.force_login(manager)
    return organisation


def _csv(client, organisation, **query):
    response = client.get(reverse("organisations:compliance_csv", args=[organisation.pk]), query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(client, organisation, **query):
    response = client.get(reverse("organisations:compliance_xlsx", args=[organisation.pk]), query)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    return load_workbook(io.BytesIO(response.content))


def test_the_csv_has_the_heading_filters_and_every_table(client, exported):
    rows = _csv(client, exported, tier="complaints_staff", team="=Intake")

    assert rows[0] == ["Training to the Complaint Standards: compliance report"]
    assert rows[1] == ["Organisation", '\'=HYPERLINK("http://x") NHS Trust']
    assert rows[2][0] == "Produced"
    assert f"{timezone.localdate():%-d %B %Y}" in rows[2][1]
    assert ["Role tier", "Complaints staff"] in rows
    assert ["Team", "'=Intake"] in rows
    assert ["Framework", "NHS Complaint Standards (2022)"] in rows
    for title in (
        "Staff trained and up to date, by role tier",
        "Expectations no one's learning covers yet",
        "Coverage of each principle and expectation",
        "Share trained at the end of each month",
        "Each person",
    ):
        assert [title] in rows
    tiers = rows.index(["Staff trained and up to date, by role tier"])
    assert rows[tiers + 1][:4] == ["Role tier", "Staff", "Trained to the Standards", "Trained (%)"]
    assert ["Complaints staff", "4", "1", "25", "4", "100", "0"] in rows
    assert ["All staff", "0", "0", "", "0", "", "0"] in rows  # no staff: no share
    assert ["Principle 1", "Welcoming complaints", "1", "25"] in rows
    assert ["1.1", "'-Listen first.", "1", "25"] in rows


def test_the_csv_neutralises_every_cell_a_spreadsheet_would_run(client, exported):
    rows = _csv(client, exported)

    people = rows[rows.index(["Each person"]) + 1 :]
    assert people[0] == [
        "Name",
        "E-mail address",
        "Role tier",
        "Team",
        "Trained to the Standards",
        "Up to date",
        "Overdue items",
        "Certificate expiry",
    ]
    names = [row[0] for row in people[1:]]
    assert sorted(names) == sorted(["'" + name for name in HOSTILE] + ["Zoë Manager"])
    first = next(row for row in people if row[0] == "'=cmd|' /C calc'!A0")
    assert first[3:] == ["'=Intake", "Yes", "Yes", "0", "Does not expire"]
    cells = [cell for row in rows for cell in row]
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)


def test_the_xlsx_stores_formula_like_text_as_text(client, exported):
    workbook = _xlsx(client, exported, team="=Intake")

    assert workbook.sheetnames == ["By role tier", "Gaps", "Expectations", "Trend", "People"]
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == "Training to the Complaint Standards: compliance report"
        assert sheet["B2"].value == '=HYPERLINK("http://x") NHS Trust'
        assert sheet["B2"].data_type == "s"
        assert ("Team", "=Intake") in [row[:2] for row in sheet.iter_rows(values_only=True)]
    people = workbook["People"]
    cells = {cell.value: cell for row in people.iter_rows() for cell in row if cell.value}
    for name in HOSTILE:
        assert cells[name].data_type == "s", name  # text, not a formula
        assert cells[name].quotePrefix
    assert not any(
        cell.data_type == "f" for sheet in workbook for row in sheet.iter_rows() for cell in row
    )
    tiers = [row for row in workbook["By role tier"].iter_rows(values_only=True)]
    assert ("Complaints staff", 4, 1, 25, 4, 100, 0) in tiers  # numbers stay numbers


def test_each_person_has_one_row_in_both_files(client, exported):
    workbook = _xlsx(client, exported)
    rows = _csv(client, exported)

    # The heading block (7 rows), a blank row, the title, the header row, then 5 people.
    assert workbook["People"].max_row == 7 + 1 + 1 + 1 + 5
    assert len(rows[rows.index(["Each person"]) + 2 :]) == 5
