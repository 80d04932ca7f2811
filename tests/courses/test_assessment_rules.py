"""The final assessment's settings as the course sees them: starting rules on the course page and
completion by the grading method."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Attempt, GradingMethod
from courses import services
from tests.assessments.factories import correct_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(course_tree, learner):
    """An enrolment with every lesson done, so only the assessment's own rules apply."""
    enrolment = services.enrol(user=learner, course=course_tree.course)
    for lesson in course_tree.lessons:
        services.complete_lesson(enrolment=enrolment, lesson=lesson)
    return enrolment


def set_fields(assessment, **fields):
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.save()


def take(enrolment, *, pass_it: bool):
    attempt = services.start_final_assessment(enrolment=enrolment)
    answers = correct_answers(attempt) if pass_it else wrong_answers(attempt)
    assessment_services.save_answers(attempt=attempt, answers=answers)
    return assessment_services.submit_attempt(attempt=attempt)


def press_start(client, course):
    return client.post(reverse("courses:start_assessment", args=[course.pk]), follow=True)


def test_before_it_opens_the_course_page_says_when(learner_client, course_tree, ready):
    set_fields(course_tree.assessment, opens_at=timezone.now() + timedelta(days=1))
    html = press_start(learner_client, course_tree.course).content.decode()
    assert "This assessment opens at" in html
    assert "(UK time)" in html
    assert not Attempt.objects.exists()


def test_after_it_closes_the_course_page_says_so(learner_client, course_tree, ready):
    set_fields(course_tree.assessment, closes_at=timezone.now() - timedelta(minutes=5))
    html = press_start(learner_client, course_tree.course).content.decode()
    assert "This assessment closed at" in html
    assert "no new attempts can be started" in html
    assert not Attempt.objects.exists()


def test_the_delay_between_attempts_is_explained(learner_client, course_tree, ready):
    set_fields(course_tree.assessment, attempt_delay_minutes=30)
    take(ready, pass_it=False)
    html = press_start(learner_client, course_tree.course).content.decode()
    assert "You can start your next attempt at" in html
    assert "There is a wait of 30 minutes between attempts." in html
    assert Attempt.objects.count() == 1


def test_used_up_attempts_are_explained(learner_client, course_tree, ready):
    set_fields(course_tree.assessment, max_attempts=1)
    take(ready, pass_it=False)
    html = press_start(learner_client, course_tree.course).content.decode()
    assert "You have used all the attempts allowed for this assessment." in html


def test_the_course_page_lists_the_settings(learner_client, course_tree, ready):
    set_fields(
        course_tree.assessment,
        time_limit_minutes=40,
        max_attempts=3,
        attempt_delay_minutes=60,
        closes_at=timezone.now() + timedelta(days=10),
    )
    html = learner_client.get(course_tree.course.url).content.decode()
    questions = course_tree.assessment.assessment_questions.count()
    assert f"{questions} questions" in html and "worth" not in html
    assert "Pass mark</dt>" in html
    assert "3 attempts allowed. You have not made one yet." in html
    assert "After each attempt, wait 60 minutes before the next." in html
    assert "40 minutes from when you start an attempt" in html
    assert "Closes at" in html


def test_the_course_page_counts_attempts_used_and_left_in_words(learner_client, course_tree, ready):
    set_fields(course_tree.assessment, max_attempts=1, time_limit_minutes=1)
    html = learner_client.get(course_tree.course.url).content.decode()
    assert "1 attempt allowed. You have not made one yet." in html
    assert "1 minute from when you start" in html
    assert "1 attempts" not in html and "1 minutes" not in html
    set_fields(course_tree.assessment, max_attempts=3, time_limit_minutes=None)
    take(ready, pass_it=False)
    html = learner_client.get(course_tree.course.url).content.decode()
    assert "3 attempts allowed. You have used 1, so 2 are left." in html
    assert 'Time limit</dt><dd class="nhsuk-summary-list__value">None' in html


def test_the_course_page_counts_the_marks_when_questions_are_weighted(
    learner_client, course_tree, ready
):
    row = course_tree.assessment.assessment_questions.first()
    row.marks = 5
    row.save()
    questions = course_tree.assessment.assessment_questions.count()
    html = learner_client.get(course_tree.course.url).content.decode()
    assert f"{questions} questions, worth {questions + 4} marks in all" in html


def test_an_overdue_attempt_is_finalised_when_the_learner_presses_start(
    learner_client, course_tree, ready
):
    set_fields(course_tree.assessment, time_limit_minutes=10, max_attempts=1)
    attempt = services.start_final_assessment(enrolment=ready)
    assessment_services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(hours=1))
    html = press_start(learner_client, course_tree.course).content.decode()
    assert "You have used all the attempts allowed" in html
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted and attempt.passed
    ready.refresh_from_db()
    assert ready.is_complete


# Completion by grading method ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "completes"),
    [
        (GradingMethod.HIGHEST, True),
        (GradingMethod.LAST, True),
        (GradingMethod.FIRST, False),
        (GradingMethod.AVERAGE, False),  # (0% + 100%) / 2 is below the 75% pass mark
    ],
)
def test_fail_then_pass_completes_the_course_by_the_grading_method(
    course_tree, ready, method, completes
):
    set_fields(course_tree.assessment, grading_method=method)
    take(ready, pass_it=False)
    take(ready, pass_it=True)
    ready.refresh_from_db()
    assert ready.is_complete is completes
    assert services.has_passed_final_assessment(enrolment=ready) is completes


def test_an_average_reaching_the_pass_mark_completes_the_course(course_tree, ready):
    set_fields(course_tree.assessment, grading_method=GradingMethod.AVERAGE, pass_mark=50)
    take(ready, pass_it=True)  # 100%: already a pass on average
    ready.refresh_from_db()
    assert ready.is_complete
