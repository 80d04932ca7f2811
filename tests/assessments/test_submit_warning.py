"""Submitting with questions not answered warns first: without the page's script, the submit goes
to the check step, which lists them and submits from there; "Submit anyway" (the script's own
warning) submits at once; with every question answered, the submit submits."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Attempt
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    answer_post,
    correct_answer,
    correct_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(learner):
    assessment = AssessmentFactory(questions=[QuestionFactory() for _ in range(3)])
    return services.start_attempt(user=learner, assessment=assessment)


def url(attempt):
    return reverse("assessments:attempt", args=[attempt.pk])


def first_only(attempt) -> dict:
    first = attempt.responses.select_related("version").get(position=1)
    return {first.pk: correct_answer(first)}


def test_a_submit_with_questions_not_answered_goes_to_the_check_step(learner_client, attempt):
    response = learner_client.post(url(attempt), answer_post(first_only(attempt), submit=True))
    assert response.status_code == 302 and response.url == f"{url(attempt)}?page=check"
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS
    assert attempt.responses.get(position=1).selected  # what was posted is saved
    page = learner_client.get(response.url).content.decode()
    assert "You have answered 1 of 3 questions" in page
    assert "Question 2</a>: not answered" in page and "Question 3</a>: not answered" in page
    assert "on page 1" not in page and "Back to your answers" in page
    assert 'name="submit"' in page


def test_the_check_step_submits_as_it_is(learner_client, attempt):
    learner_client.post(url(attempt), answer_post(first_only(attempt), submit=True))
    response = learner_client.post(url(attempt), {"page": "check", "submit": "1"})
    assert response.url == reverse("assessments:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.is_submitted


def test_submit_anyway_submits_at_once(learner_client, attempt):
    data = answer_post(first_only(attempt), submit=True)
    data["submit"] = "confirmed"
    response = learner_client.post(url(attempt), data)
    assert response.url == reverse("assessments:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.is_submitted


def test_with_every_question_answered_the_submit_submits(learner_client, attempt):
    response = learner_client.post(url(attempt), answer_post(correct_answers(attempt), submit=True))
    assert response.url == reverse("assessments:result", args=[attempt.pk])


def test_the_page_carries_the_warning_for_its_script(learner_client, attempt):
    page = learner_client.get(url(attempt)).content.decode()
    assert "data-unanswered-warning" in page and 'value="confirmed"' in page
    assert page.count("data-question=") == 3
