"""The CPD log downloaded: CSV a spreadsheet opens safely with every name intact, and a PDF whose
text reads back as the log, in fonts the file carries, whatever the script of the name."""

import csv
import io
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from academy import pdf_fonts
from accreditation import cpd_export, selectors
from accreditation.models import CPDEntry
from tests.academy.factories import UserFactory
from tests.accreditation.factories import CPDEntryFactory
from tests.certificates.pdfs import flat_text, runs
from tests.complaint_standards.factories import ExpectationFactory

pytestmark = pytest.mark.django_db

CSV = reverse("accreditation:cpd_csv")
PDF = reverse("accreditation:cpd_pdf")


def _rows(response) -> list[list[str]]:
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel looks for
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_has_one_row_per_entry_under_whose_log_it_is(client):
    person = UserFactory(full_name="Zofia Żółkiewska-Łęcka")
    client.force_login(person)
    expectation = ExpectationFactory()
    entry = CPDEntryFactory(
        learner=person, activity="Shadowed a caseworker", hours="2.5", learned="Listen first."
    )
    entry.expectations.add(expectation)
    CPDEntryFactory(
        learner=person,
        kind=CPDEntry.Kind.RECORDED,
        source="course-completion:4",
        activity="Responding well",
        hours="1",
        learned="",
    )
    CPDEntryFactory(activity="Somebody else's")
    response = client.get(CSV, {"year": "all"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cpd-log-all-')
    rows = _rows(response)
    assert rows[0] == ["CPD log of", "Zofia Żółkiewska-Łęcka"]
    assert rows[1] == ["Downloaded on", timezone.localdate().strftime("%-d %B %Y")]
    assert rows[2] == ["Year", "All years"]
    assert rows[3] == ["Hours logged", "3.5 hours"]
    header = rows.index(
        ["Date", "Activity", "Type", "Hours", "What I learned", "Complaint Standards expectations"]
    )
    body = rows[header + 1 :]
    assert len(body) == 2
    today = timezone.localdate().isoformat()
    code = f"{expectation.principle.framework.name} {expectation.code}"
    assert [today, "Shadowed a caseworker", "Added by you", "2.5", "Listen first.", code] in body
    assert [today, "Responding well", "Course completed", "1", "", ""] in body


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_made_text(client, start):
    person = UserFactory(full_name=f'{start}HYPERLINK("http://x")')
    client.force_login(person)
    CPDEntryFactory(learner=person, activity=f"{start}1+1", learned=f"{start}cmd|' /C calc'!A0")
    rows = _rows(client.get(CSV))
    assert rows[0][1] == f'\'{start}HYPERLINK("http://x")'
    assert rows[-1][1] == f"'{start}1+1"
    assert rows[-1][4].startswith(f"'{start}cmd")


def test_a_download_of_one_year_has_only_that_year(client):
    person = UserFactory()
    client.force_login(person)
    CPDEntryFactory(learner=person, activity="This year")
    CPDEntryFactory(
        learner=person, activity="Long ago", activity_date=timezone.localdate() - timedelta(900)
    )
    current = selectors.cpd_overview(user=person).current
    rows = _rows(client.get(CSV, {"year": current.key}))
    assert rows[2][1].startswith(f"{current.label} (")
    assert [row[1] for row in rows[6:]] == ["This year"]
    assert client.get(CSV, {"year": "1990-91"}).status_code == 404


def test_downloads_need_a_signed_in_person_and_show_only_their_log(client):
    assert client.get(CSV).status_code == 302
    assert client.get(PDF).status_code == 302


# The PDF ----------------------------------------------------------------------------------------

NAMES = [
    "Zofia Żółkiewska-Łęcka",  # Polish
    "محمد عبد الله",  # Arabic
    "王秀英",  # Chinese
    "이서연",  # Korean
    "Αλέξανδρος Παπαδόπουλος",  # Greek
    "Олександра Ґонта-Їжакевич",  # Ukrainian
    "Nguyễn Thị Minh Khai",  # Vietnamese
]


def _read(text: str) -> str:
    """Text as a reader compares it: Arabic is drawn in its joined presentation forms, which
    NFKC folds back into the letters typed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _missing_font(name: str):
    """The system font the name needs that is not installed, if any."""
    for char in name:
        if "CJK" in unicodedata.name(char, "") and not pdf_fonts.CJK_FONT.is_file():
            return pdf_fonts.CJK_FONT
        if "HANGUL" in unicodedata.name(char, "") and not pdf_fonts.HANGUL_FONT.is_file():
            return pdf_fonts.HANGUL_FONT
    return None


@pytest.mark.parametrize("name", NAMES)
def test_the_pdf_prints_names_in_any_script_in_fonts_it_carries(client, name):
    if missing := _missing_font(name):
        pytest.skip(f"{missing} is not installed (CI installs it)")
    person = UserFactory(full_name=name)
    client.force_login(person)
    CPDEntryFactory(learner=person, activity=f"Mentoring with {name}", hours="1.5")
    response = client.get(PDF)
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = _read(flat_text(pdf))
    assert f"Name {_read(name)}" in text
    assert f"Mentoring with {_read(name)}" in text
    drawn = runs(pdf)
    assert all(run.embedded for run in drawn), {run.font for run in drawn if not run.embedded}


def test_the_pdf_reads_back_as_the_log(client):
    person = UserFactory(full_name="Priya Sharma")
    client.force_login(person)
    expectation = ExpectationFactory()
    entry = CPDEntryFactory(
        learner=person,
        activity="Workshop on remedies",
        activity_date=date(2025, 11, 3),
        hours="2.5",
        learned="Put people back where they would have been.",
    )
    entry.expectations.add(expectation)
    CPDEntryFactory(
        learner=person,
        kind=CPDEntry.Kind.RECORDED,
        source="assessment-pass:9",
        activity="Investigation check",
        activity_date=date(2025, 10, 1),
        hours=Decimal(0),
        learned="",
    )
    text = _read(flat_text(client.get(PDF, {"year": "all"}).content))
    assert "CPD log Name Priya Sharma Downloaded on" in text
    assert "Year All years Hours logged 2.5 hours" in text
    code = f"{expectation.principle.framework.name} {expectation.code}"
    assert (
        f"3 Nov 2025 Workshop on remedies Added by you · {code} 2.5 "
        "Put people back where they would have been." in text
    )
    assert "1 Oct 2025 Investigation check Assessment passed 0" in text
    assert "page 1 of 1" in text


def test_the_pdf_refuses_to_read_anything_but_its_fonts():
    assert cpd_export._only_font_files("/etc/passwd", "") == ""
    assert cpd_export._only_font_files("http://example.org/x.ttf", "") == ""
    for _, _, path in cpd_export.font_faces():
        assert cpd_export._only_font_files(path, "") == path
