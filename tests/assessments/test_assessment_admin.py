"""Trainers set an assessment's timing, attempts and grading method in the Wagtail admin."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from assessments.models import Assessment, GradingMethod
from tests.assessments.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def assessment_form(**fields):
    return nested_form_data(
        {
            "title": "Complaint Standards check",
            "instructions": "",
            "pass_mark": 80,
            "shuffle_options": "on",
            "time_limit_minutes": "",
            "opens_at": "",
            "closes_at": "",
            "max_attempts": "",
            "attempt_delay_minutes": "",
            "grading_method": GradingMethod.HIGHEST,
            "second_marking_percent": 0,
            "moderation_tolerance": 10,
            "assessment_questions": inline_formset([{"question": QuestionFactory().pk}], min=1),
            **fields,
        }
    )


def test_a_trainer_sets_the_timing_attempts_and_grading_method(client, trainer):
    client.force_login(trainer)
    form = client.get(reverse("assessment:add")).content.decode()
    for label in ("Time limit (minutes)", "Opens", "Closes", "Grading method"):
        assert label in form
    response = client.post(
        reverse("assessment:add"),
        assessment_form(
            time_limit_minutes=45,
            opens_at="2026-12-01 09:00",
            closes_at="2026-12-08 17:00",
            max_attempts=3,
            attempt_delay_minutes=60,
            grading_method=GradingMethod.AVERAGE,
        ),
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.time_limit_minutes == 45
    assert assessment.max_attempts == 3
    assert assessment.attempt_delay_minutes == 60
    assert assessment.grading_method == GradingMethod.AVERAGE
    # Entered as UK time (Europe/London): 09:00 in December is 09:00 UTC.
    assert assessment.opens_at.isoformat() == "2026-12-01T09:00:00+00:00"


def test_closing_before_opening_is_refused(client, trainer):
    client.force_login(trainer)
    response = client.post(
        reverse("assessment:add"),
        assessment_form(opens_at="2026-12-08 09:00", closes_at="2026-12-01 17:00"),
    )
    assert response.status_code == 200
    assert "The closing time must be after the opening time." in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_trainer_sets_how_essays_are_marked(client, trainer):
    client.force_login(trainer)
    response = client.post(
        reverse("assessment:add"),
        assessment_form(
            anonymous_marking="on",
            second_marking_percent=25,
            moderation_tolerance=15,
            hold_results="on",
        ),
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.anonymous_marking and assessment.hold_results
    assert (assessment.second_marking_percent, assessment.moderation_tolerance) == (25, 15)


def test_a_second_marking_share_over_100_is_refused(client, trainer):
    client.force_login(trainer)
    response = client.post(reverse("assessment:add"), assessment_form(second_marking_percent=150))
    assert response.status_code == 200
    assert "less than or equal to 100" in response.content.decode()
    assert not Assessment.objects.exists()
