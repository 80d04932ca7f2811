"""The national view's page and downloads: who may see them, what the files hold, and the cost
of the page whatever the data."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from academy import services as people
from academy.models import Membership
from portal.national_refresh import refresh_national_figures
from tests.academy.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.portal.national_data import build_small

pytestmark = pytest.mark.django_db

PAGE = reverse("national_figures")
CSV = reverse("national_figures_csv")
XLSX = reverse("national_figures_xlsx")


@pytest.fixture
def analyst(staff_groups):
    return UserFactory(full_name="Ana Lyst", groups=[people.ANALYSTS], mfa=True)


@pytest.fixture
def small(course_tree):
    data = build_small(course_tree)
    refresh_national_figures()
    return data


def test_administrators_and_analysts_see_the_figures(client, administrator, analyst, small):
    for person in (administrator, analyst):
        client.force_login(person)
        page = client.get(PAGE)
        assert page.status_code == 200
        html = page.content.decode()
        assert "National figures" in html
        assert 'role="img"' in html
        assert "Enrolments by month" in html
        assert "No organisation" in html


@pytest.mark.parametrize("who", ["trainer", "manager", "learner"])
def test_nobody_else_does(client, staff_groups, trainer, who):
    if who == "trainer":
        person = trainer
    else:
        person = UserFactory()
        if who == "manager":
            MembershipFactory(user=person, role=Membership.Role.MANAGER)
    client.force_login(person)
    for url in (PAGE, CSV, XLSX):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Enrolments" not in response.content


def test_the_menu_shows_analysts_the_national_figures_and_nothing_else(client, analyst, small):
    client.force_login(analyst)
    home = client.get("/admin/").content.decode()
    menu = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', home, re.S).group(1)
    links = set(re.findall(r'"url": "(/admin/[^"]*)"', menu))
    # Their reports, and their own account; the rest of the menu is Wagtail's help links.
    assert links == {PAGE, "/admin/account/"}
    for url in (
        "/admin/pages/",
        "/admin/users/",
        reverse("accreditation_report"),
        "/admin/organisation/",
        "/admin/membership/",
        "/admin/images/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url


def test_bad_filters_get_a_clear_message(client, administrator, small):
    client.force_login(administrator)
    page = client.get(PAGE, {"start": "2026-13", "end": "2025-01"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "There is a problem with the filters" in html
    assert "Enter a month as a year and month number, for example 2026-01." in html
    later = client.get(PAGE, {"start": "2026-05", "end": "2026-01"}).content.decode()
    assert "The end month must be the same as the start month or later." in later
    assert client.get(CSV, {"kind": "castle"}).status_code == 400


def test_the_csv_prints_the_date_and_filters_and_neutralises_formulas(client, administrator, small):
    OrganisationFactory(name="=HYPERLINK(1)")  # never printed: organisations are not named
    small.f1.name = "=cmd|' /C calc'!A0"
    small.f1.save()
    client.force_login(administrator)
    response = client.get(CSV, {"kind": "nhs_trust", "framework": str(small.f1.pk)})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["PHSO Academy national figures"]
    assert rows[1][0] == "Produced"
    assert ["Filter", "Organisation kind", "NHS trust"] in rows
    assert ["Filter", "Framework", "'=cmd|' /C calc'!A0 (2022)"] in rows
    assert ["Whole range", "All", "Enrolments", "2"] in rows
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_xlsx_holds_the_same_figures_as_text_where_a_formula_could_start(
    client, administrator, small
):
    small.f1.name = "=SUM(A1:A9)"
    small.f1.save()
    client.force_login(administrator)
    response = client.get(XLSX, {"framework": str(small.f1.pk)})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "PHSO Academy national figures"
    assert ["Filter", "Framework", "=SUM(A1:A9) (2022)", None] in rows
    formula = next(
        cell for row in sheet.iter_rows() for cell in row if cell.value == "=SUM(A1:A9) (2022)"
    )
    assert formula.data_type == "s"
    assert formula.quotePrefix
    assert ["Whole range", "All", "Enrolments", 2] in rows


def test_the_page_costs_the_same_queries_however_much_data(client, administrator, small):
    client.force_login(administrator)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE, {"kind": "nhs_trust"})
    trust = small.trust
    for _ in range(15):
        person = UserFactory()
        MembershipFactory(user=person, organisation=trust)
        OrganisationFactory(kind="icb", region="midlands")
    refresh_national_figures()
    with CaptureQueriesContext(connection) as many:
        client.get(PAGE, {"kind": "nhs_trust"})
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_selector_reads_in_a_fixed_number_of_queries(small, django_assert_max_num_queries):
    from portal import national

    start, end = national.default_range()
    with django_assert_max_num_queries(20):
        national.national_figures(filters=national.Filters(start=start, end=end))
