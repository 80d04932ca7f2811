"""The results of a survey, checked against a hand computation; small groups held back; no names
anywhere; the CSV neutralised; who may see them; and a fixed number of queries."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academy import services as people
from academy.models import Membership, Organisation, User
from feedback.results import survey_results
from tests.academy.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import answer_as, make_survey

pytestmark = pytest.mark.django_db

SEPTEMBER, OCTOBER = date(2026, 9, 1), date(2026, 10, 1)
INJECTION = "=cmd|' /C calc'!A0"


@pytest.fixture
def survey(course):
    return make_survey(course=course)


@pytest.fixture
def answered(survey):
    """Seven responses: five at Alder NHS Trust in October, one at Birch ICB and one from
    someone in no organisation in September."""
    alder = OrganisationFactory(name="Alder NHS Trust")
    birch = OrganisationFactory(name="Birch ICB", kind=Organisation.Kind.INTEGRATED_CARE_BOARD)
    for ratings, text in [
        ((5, 4, 3, 5), "Clear and practical."),
        ((4, 4, 4, 4), ""),
        ((3, 2, 5, 4), INJECTION),
        ((5, 5, 5, 5), "More case studies."),
        ((2, 3, 4, 1), ""),
    ]:
        answer_as(survey, ratings=ratings, text=text, organisation=alder, month=OCTOBER)
    answer_as(survey, ratings=(1, 2, 2, 3), text="Too long.", organisation=birch, month=SEPTEMBER)
    answer_as(survey, ratings=(4, 4, 4, 4), month=SEPTEMBER)
    return survey


@pytest.fixture
def results_client(client, trainer):
    client.force_login(trainer)
    return client


def test_the_figures_match_a_hand_computation(answered):
    results = survey_results(survey_id=answered.pk)
    assert results.responses == 7
    # Ratings given to each question, counted by hand from the fixture above.
    assert [r.counts for r in results.ratings] == [
        [1, 1, 1, 2, 2],
        [0, 2, 1, 3, 1],
        [0, 1, 1, 3, 2],
        [1, 0, 1, 3, 2],
    ]
    assert [r.mean for r in results.ratings] == [3.43, 3.43, 3.86, 3.71]  # 24/7 24/7 27/7 26/7
    assert [r.rows[3] for r in results.ratings][0] == (4, 2, 29)  # 2 of 7 rated it 4

    september, october = results.months
    assert (september.label, september.responses, september.shown) == ("September 2026", 2, False)
    assert (october.label, october.responses, october.shown) == ("October 2026", 5, True)
    assert october.means == [3.8, 3.6, 4.2, 3.8]  # 19/5 18/5 21/5 19/5

    alder, other = results.organisations
    assert (alder.label, alder.kind, alder.responses, alder.means) == (
        "Alder NHS Trust",
        "NHS trust",
        5,
        [3.8, 3.6, 4.2, 3.8],
    )
    # Birch ICB (one response) and the person in no organisation are pooled, and two is still
    # too few to show.
    assert (other.label, other.responses, other.shown) == ("Other organisations", 2, False)

    (written,) = results.texts
    assert written.answers == [
        (OCTOBER, INJECTION),
        (OCTOBER, "Clear and practical."),
        (OCTOBER, "More case studies."),
        (SEPTEMBER, "Too long."),
    ]


def test_the_page_shows_them_without_a_name(answered, results_client):
    page = results_client.get(reverse("feedback_results:survey", args=[answered.pk]))
    text = page.content.decode()
    assert "7 responses" in text
    assert "average 3.43 from 7 ratings" in text
    assert "Clear and practical." in text and "Too long." in text
    assert "Other organisations" in text and "Alder NHS Trust" in text
    assert "Birch ICB" not in text  # too small to name
    assert "Fewer than 5 responses: not shown" in text
    for person in User.objects.filter(feedback_offers__isnull=False):
        assert person.full_name not in text
        assert person.email not in text


def test_the_csv_has_the_same_figures_neutralised_and_no_names(answered, results_client):
    response = results_client.get(reverse("feedback_results:csv", args=[answered.pk]))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0][0] == f"Feedback on {answered.course.title}"
    assert ["How clear was it?", "7", "1", "1", "1", "2", "2", "3.43"] in rows
    assert ["October 2026", "5", "3.8", "3.6", "4.2", "3.8"] in rows
    assert ["Alder NHS Trust", "5", "3.8", "3.6", "4.2", "3.8"] in rows
    assert ["Other organisations", "2", "fewer than 5 responses: not shown", "", "", ""] in rows
    assert [
        "What one thing would make it better?",
        "October 2026",
        "'" + INJECTION,
    ] in rows
    for person in User.objects.filter(feedback_offers__isnull=False):
        assert person.full_name not in body and person.email not in body


def test_written_answers_wait_for_five_responses(survey, results_client):
    organisation = OrganisationFactory(name="Cedar NHS Trust")
    for _ in range(4):
        answer_as(
            survey, ratings=(3, 3, 3, 3), text="Only I would say this.", organisation=organisation
        )
    results = survey_results(survey_id=survey.pk)
    assert results.responses == 4 and not results.texts_shown and results.texts == []
    ((other),) = results.organisations
    assert (other.label, other.shown) == ("Other organisations", False)
    page = results_client.get(reverse("feedback_results:survey", args=[survey.pk])).content
    assert b"Only I would say this." not in page
    assert b"Written answers are shown once the survey has at least 5 responses" in page
    body = results_client.get(reverse("feedback_results:csv", args=[survey.pk])).content
    assert b"Only I would say this." not in body


def test_only_trainers_and_administrators_see_results(answered, client, trainer, administrator):
    manager = UserFactory()
    MembershipFactory(user=manager, role=Membership.Role.MANAGER)
    learner = User.objects.filter(feedback_offers__isnull=False).first()
    assessor = UserFactory(groups=[people.ASSESSORS], mfa=True)
    urls = [
        reverse("feedback_results:index"),
        reverse("feedback_results:survey", args=[answered.pk]),
        reverse("feedback_results:csv", args=[answered.pk]),
    ]
    for allowed in (trainer, administrator):
        client.force_login(allowed)
        for url in urls:
            assert client.get(url).status_code == 200, (allowed, url)
    for refused in (learner, manager, assessor):
        client.force_login(refused)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (302, 403), (refused, url)
            assert b"Clear and practical." not in response.content


def test_the_results_take_the_same_queries_however_many_answer(
    survey, results_client, django_assert_max_num_queries
):
    organisation = OrganisationFactory(name="Alder NHS Trust")
    for _ in range(5):  # enough for the written answers to be read (one query more)
        answer_as(survey, ratings=(4, 4, 4, 4), text="Fine.", organisation=organisation)
    url = reverse("feedback_results:survey", args=[survey.pk])
    results_client.get(url)
    with CaptureQueriesContext(connection) as few:
        results_client.get(url)
    for index in range(12):
        place = organisation if index % 2 else OrganisationFactory(name=f"Trust {index}")
        month = OCTOBER if index % 3 else SEPTEMBER
        answer_as(
            survey, ratings=(1, 2, 3, 4), text=f"Said {index}", organisation=place, month=month
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        results_client.get(url)
    with django_assert_max_num_queries(8):
        survey_results(survey_id=survey.pk)
