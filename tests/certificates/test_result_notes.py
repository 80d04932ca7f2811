"""The result page says what a result means for certificates only when it is true: the
certificate is ready after a pass that earned one, and nothing after a fail, for an assessment no
course ends with, or once the certificate is revoked."""

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from certificates import services
from certificates.models import Certificate
from courses import services as course_services
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    correct_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db

READY = "Your certificate for"


@pytest.fixture
def ready(course_tree, learner):
    enrolment = course_services.enrol(user=learner, course=course_tree.course)
    for lesson in course_tree.lessons:
        course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
    return enrolment


def take(attempt, *, pass_it):
    answers = correct_answers(attempt) if pass_it else wrong_answers(attempt)
    assessment_services.save_answers(attempt=attempt, answers=answers)
    return assessment_services.submit_attempt(attempt=attempt)


def result(client, attempt) -> str:
    """The result page's main content (the site's header and footer link to certificate checks)."""
    page = client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_a_fail_says_nothing_of_a_certificate(learner_client, ready):
    failed = take(course_services.start_final_assessment(enrolment=ready), pass_it=False)
    page = result(learner_client, failed)
    assert "you did not pass" in page
    assert "certificate" not in page.lower()


def test_a_pass_that_completes_the_course_says_the_certificate_is_ready(
    learner_client, ready, learner, administrator
):
    passed = take(course_services.start_final_assessment(enrolment=ready), pass_it=True)
    certificate = Certificate.objects.get(learner=learner)
    page = result(learner_client, passed)
    assert f"{READY} “{certificate.title_on_certificate}” is ready." in page
    assert f'<a href="{reverse("dashboard")}">See it on your learning page</a>' in page

    services.revoke(certificate=certificate, by=administrator, reason="Test.", public_reason="X")
    assert READY not in result(learner_client, passed)


def test_a_later_fail_after_a_pass_says_nothing_of_the_certificate(learner_client, ready):
    take(course_services.start_final_assessment(enrolment=ready), pass_it=True)
    failed = take(course_services.start_final_assessment(enrolment=ready), pass_it=False)
    assert READY not in result(learner_client, failed)


def test_a_pass_of_an_assessment_no_course_ends_with_says_nothing_of_one(learner_client, learner):
    standalone = AssessmentFactory(questions=[QuestionFactory()])
    passed = take(
        assessment_services.start_attempt(user=learner, assessment=standalone), pass_it=True
    )
    page = result(learner_client, passed)
    assert "you passed" in page and "certificate" not in page.lower()
