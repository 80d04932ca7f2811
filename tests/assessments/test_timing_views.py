"""The time limit as a learner meets it on the attempt and result pages."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import services
from assessments.models import Attempt, GradingMethod
from tests.assessments.factories import (
    answer_post,
    attempt_url,
    correct_answers,
    result_url,
    selections,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


def run_out(attempt, *, seconds_ago: float):
    attempt.deadline = timezone.now() - timedelta(seconds=seconds_ago)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=attempt.deadline)


def test_the_page_says_when_time_is_up_as_text_without_javascript(learner_client, attempt):
    html = learner_client.get(attempt_url(attempt)).content.decode()
    deadline = timezone.localtime(attempt.deadline)
    until = f"{deadline:%H:%M}"
    # Started in the 25 minutes before midnight, the deadline is tomorrow and names its date.
    if deadline.date() != timezone.localdate():
        until += f" on {deadline.day} {deadline:%B %Y}"
    assert (
        f"You have until <strong>{until} (UK time)</strong> — "
        "<span data-time-left-words>about 25 minutes left</span>." in html
    )
    assert "the answers you have saved are submitted for you" in html
    # The script's countdown announces into an empty live region; nothing in it is live at first.
    assert re.search(r'<p [^>]*aria-live="polite" data-time-announcer></p>', html)
    assert "<script" not in html.split('class="nhsuk-warning-callout')[1].split("</div>")[0]


def test_an_untimed_attempt_shows_no_time_limit(learner_client, course_tree, learner):
    attempt = services.start_attempt(user=learner, assessment=course_tree.assessment)
    html = learner_client.get(attempt_url(attempt)).content.decode()
    assert "You have until" not in html
    assert "you can come back to finish later" in html


def test_a_deadline_on_another_day_gives_the_date(learner_client, course_tree, learner):
    course_tree.assessment.closes_at = timezone.now() + timedelta(days=3)
    course_tree.assessment.save()
    attempt = services.start_attempt(user=learner, assessment=course_tree.assessment)
    html = learner_client.get(attempt_url(attempt)).content.decode()
    day = timezone.localtime(attempt.deadline)
    assert f"on {day.day} {day:%B %Y} (UK time)" in html
    assert "This is when the assessment closes." in html


def test_answers_in_the_grace_after_the_deadline_are_accepted(learner_client, attempt):
    run_out(attempt, seconds_ago=10)
    response = learner_client.post(
        attempt_url(attempt), answer_post(correct_answers(attempt), submit=True)
    )
    assert response.url == result_url(attempt)
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("100.00")
    assert not attempt.auto_submitted
    html = learner_client.get(result_url(attempt)).content.decode()
    assert "Your time ran out" not in html


def test_a_late_submission_is_refused_and_the_saved_answers_are_scored(learner_client, attempt):
    learner_client.post(attempt_url(attempt), answer_post(wrong_answers(attempt), submit=False))
    run_out(attempt, seconds_ago=45)
    response = learner_client.post(
        attempt_url(attempt), answer_post(correct_answers(attempt), submit=True), follow=True
    )
    assert response.redirect_chain[-1][0] == result_url(attempt)
    html = response.content.decode()
    assert "Your time ran out at" in html
    assert "answers sent after that were not kept" in html
    assert re.search(r"You scored 0(\.0+)?%", html)
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted
    assert selections(attempt) == wrong_answers(attempt)


def test_a_late_save_is_refused_too(learner_client, attempt):
    run_out(attempt, seconds_ago=45)
    response = learner_client.post(
        attempt_url(attempt), answer_post(correct_answers(attempt), submit=False)
    )
    assert response.url == result_url(attempt)
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.percent == Decimal("0.00")


def test_coming_back_after_the_deadline_finalises_the_attempt(learner_client, attempt):
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    run_out(attempt, seconds_ago=3600)
    response = learner_client.get(attempt_url(attempt), follow=True)
    assert response.redirect_chain[-1][0] == result_url(attempt)
    html = response.content.decode()
    assert "Your time ran out at" in html
    assert "so the answers you had saved by then were submitted for you" in html
    assert re.search(r"You scored 100(\.0+)?%", html)
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted


def test_the_result_gives_the_grade_under_the_grading_method(learner_client, course_tree, learner):
    assessment = course_tree.assessment
    assessment.grading_method = GradingMethod.HIGHEST
    assessment.save()
    first = services.start_attempt(user=learner, assessment=assessment)
    services.save_answers(attempt=first, answers=correct_answers(first))
    services.submit_attempt(attempt=first)
    second = services.start_attempt(user=learner, assessment=assessment)
    services.submit_attempt(attempt=second)
    html = learner_client.get(result_url(second)).content.decode()
    assert "you did not pass this time" in html
    assert "Your grade for this assessment (from the highest of your 2 attempts) is 100%" in html
    assert "a pass" in html
