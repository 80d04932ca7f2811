"""The demo loader: one idempotent command that builds a working Academy."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page

from academy.demo_content import COURSES, PASSWORD, PEOPLE
from academy.models import AuditEntry, Membership, Organisation, User
from assessments.models import Attempt, Question, QuestionVersion
from certificates.models import Certificate
from complaint_standards.models import Expectation
from courses.models import CoursePage, Enrolment, LessonCompletion, LessonPage

pytestmark = pytest.mark.django_db

COUNTED = (
    User,
    Organisation,
    Membership,
    Page,
    CoursePage,
    LessonPage,
    Expectation,
    Question,
    QuestionVersion,
    Attempt,
    Enrolment,
    LessonCompletion,
    Certificate,
    AuditEntry,
)


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_load_demo_twice_changes_nothing_and_prints_the_certificates_verify_url(client):
    first_output = load_demo()
    first = counts()
    assert first["CoursePage"] == len(COURSES)
    assert first["Certificate"] == 1
    certificate = Certificate.objects.get()
    assert certificate.verify_url in first_output
    assert re.search(r"http://testserver/verify/(\w{5}-){3}\w{5}/", first_output)

    second_output = load_demo()
    assert counts() == first
    assert certificate.verify_url in second_output

    # The printed link works for anyone.
    path = certificate.get_absolute_url()
    response = client.get(path)
    assert response.status_code == 200
    assert certificate.name_on_certificate in response.content.decode()


def test_the_demo_site_serves_its_home_page_and_catalogue(client):
    load_demo()
    home = client.get("/")
    assert home.status_code == 200
    assert "PHSO Academy" in home.content.decode()
    catalogue = client.get("/courses/").content.decode()
    for course in CoursePage.objects.live():
        assert course.title in catalogue


def test_the_demo_accounts_can_sign_in(client):
    load_demo()
    email = next(spec[0] for spec in PEOPLE if spec[5] is None)
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
