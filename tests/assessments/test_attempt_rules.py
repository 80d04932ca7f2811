"""Assessment settings through the services: time limits, open and close times, the delay between
attempts, the grading method, and the server finalising attempts whose time is up."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import selectors, services, tasks
from assessments.models import Attempt, GradingMethod
from tests.academy.factories import UserFactory
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    correct_answers,
    selections,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


def set_fields(assessment, **fields):
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.save()


def move_deadline(attempt, *, seconds_ago: float):
    """Pretend the attempt's time ran out this long ago."""
    attempt.deadline = timezone.now() - timedelta(seconds=seconds_ago)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=attempt.deadline)
    return attempt


def test_the_grace_defaults_to_30_seconds():
    assert not hasattr(settings, "ASSESSMENT_GRACE_SECONDS")
    assert services.grace() == timedelta(seconds=30)


# The deadline ---------------------------------------------------------------------------------


def test_an_attempt_without_a_time_limit_or_close_has_no_deadline(assessment, learner):
    attempt = services.start_attempt(user=learner, assessment=assessment)
    assert attempt.deadline is None
    assert selectors.time_left(attempt=attempt) is None


def test_the_deadline_is_the_start_plus_the_time_limit(assessment, learner):
    set_fields(assessment, time_limit_minutes=25)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    attempt.refresh_from_db()
    assert attempt.deadline == attempt.started_at + timedelta(minutes=25)
    left = selectors.time_left(attempt=attempt)
    assert left.minutes_left == 25
    assert left.in_words == "about 25 minutes left"
    assert not left.ends_at_close


def test_the_closing_time_caps_the_deadline(assessment, learner):
    closes = timezone.now() + timedelta(minutes=10)
    set_fields(assessment, time_limit_minutes=60, closes_at=closes)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    assert attempt.deadline == closes
    assert selectors.time_left(attempt=attempt).ends_at_close


def test_a_closing_time_alone_sets_the_deadline(assessment, learner):
    closes = timezone.now() + timedelta(days=2)
    set_fields(assessment, closes_at=closes)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    assert attempt.deadline == closes
    left = selectors.time_left(attempt=attempt)
    assert not left.same_day
    assert left.in_words == "48 hours left"  # minutes are rounded up


def test_time_left_in_words():
    def words(minutes):
        return selectors.TimeLeft(
            deadline=timezone.now(), minutes_left=minutes, ends_at_close=False
        ).in_words

    assert words(0) == "your time is up"
    assert words(1) == "less than a minute left"
    assert words(2) == "about 2 minutes left"
    assert words(119) == "about 119 minutes left"
    assert words(120) == "2 hours left"
    assert words(150) == "about 2 hours 30 minutes left"


# Answers after the deadline --------------------------------------------------------------------


def test_answers_within_the_grace_after_the_deadline_are_still_saved(assessment, learner):
    set_fields(assessment, time_limit_minutes=10)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    move_deadline(attempt, seconds_ago=10)
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    result = services.submit_attempt(attempt=attempt)
    assert result.percent == Decimal("100.00")
    assert result.auto_submitted is False


def test_answers_after_the_grace_are_refused_and_the_saved_ones_are_scored(
    assessment, learner, submissions
):
    set_fields(assessment, time_limit_minutes=10)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    # Two right answers were saved in time.
    saved_in_time = correct_answers(attempt)
    last = attempt.responses.order_by("position").last()
    saved_in_time[last.pk] = []
    services.save_answers(attempt=attempt, answers=saved_in_time)
    move_deadline(attempt, seconds_ago=31)

    with pytest.raises(services.TimeUp, match="Your time ran out at"):
        services.save_answers(attempt=attempt, answers=correct_answers(attempt))

    attempt.refresh_from_db()
    assert attempt.is_submitted
    assert attempt.auto_submitted is True
    assert selections(attempt) == saved_in_time
    assert attempt.percent == Decimal("66.67")
    assert attempt.passed is False
    assert submissions == [attempt.pk]
    # Nothing changes it afterwards.
    with pytest.raises(services.AssessmentError, match="already been submitted"):
        services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    assert services.submit_attempt(attempt=attempt).percent == Decimal("66.67")
    assert submissions == [attempt.pk]


def test_a_late_submission_is_finalised_as_the_server_would(assessment, learner, submissions):
    set_fields(assessment, time_limit_minutes=10)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    move_deadline(attempt, seconds_ago=120)
    result = services.submit_attempt(attempt=attempt)
    assert result.is_submitted
    assert result.auto_submitted is True
    assert result.percent == Decimal("100.00")
    assert submissions == [attempt.pk]


def test_finalise_if_overdue_leaves_an_attempt_with_time_left_alone(assessment, learner):
    set_fields(assessment, time_limit_minutes=10)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    assert services.finalise_if_overdue(attempt=attempt) is False
    move_deadline(attempt, seconds_ago=5)  # within the grace
    assert services.finalise_if_overdue(attempt=attempt) is False
    move_deadline(attempt, seconds_ago=60)
    assert services.finalise_if_overdue(attempt=attempt) is True
    attempt.refresh_from_db()
    assert services.finalise_if_overdue(attempt=attempt) is False
    assert attempt.is_submitted and attempt.auto_submitted


def test_starting_again_finalises_an_overdue_attempt_then_starts_a_new_one(assessment, learner):
    set_fields(assessment, time_limit_minutes=10, max_attempts=2)
    first = services.start_attempt(user=learner, assessment=assessment)
    services.save_answers(attempt=first, answers=correct_answers(first))
    move_deadline(first, seconds_ago=3600)
    second = services.start_attempt(user=learner, assessment=assessment)
    first.refresh_from_db()
    assert first.is_submitted and first.auto_submitted
    assert first.percent == Decimal("100.00")
    assert second.number == 2 and not second.is_submitted


def test_starting_after_an_overdue_last_attempt_finalises_it_and_reports_the_limit(
    assessment, learner
):
    set_fields(assessment, time_limit_minutes=10, max_attempts=1)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    move_deadline(attempt, seconds_ago=3600)
    with pytest.raises(services.AssessmentError, match="used all the attempts"):
        services.start_attempt(user=learner, assessment=assessment)
    # The refusal does not undo the finalising.
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted


# The periodic task ---------------------------------------------------------------------------


def test_the_task_finalises_only_overdue_attempts_and_is_idempotent(assessment, submissions):
    set_fields(assessment, time_limit_minutes=10)
    overdue = [services.start_attempt(user=UserFactory(), assessment=assessment) for _ in range(3)]
    for attempt in overdue:
        services.save_answers(attempt=attempt, answers=wrong_answers(attempt))
        move_deadline(attempt, seconds_ago=300)
    in_grace = move_deadline(
        services.start_attempt(user=UserFactory(), assessment=assessment), seconds_ago=5
    )
    running = services.start_attempt(user=UserFactory(), assessment=assessment)
    untimed = services.start_attempt(
        user=UserFactory(), assessment=AssessmentFactory(questions=[QuestionFactory()])
    )

    assert tasks.finalise_overdue_attempts.delay().get() == 3
    assert sorted(submissions) == sorted(a.pk for a in overdue)
    for attempt in overdue:
        attempt.refresh_from_db()
        assert attempt.is_submitted and attempt.auto_submitted
        assert attempt.percent == Decimal("0.00")
    for attempt in (in_grace, running, untimed):
        attempt.refresh_from_db()
        assert not attempt.is_submitted

    # Running again finalises nothing more and announces nothing more.
    assert tasks.finalise_overdue_attempts.delay().get() == 0
    assert len(submissions) == 3


def test_the_task_is_on_the_beat_schedule():
    schedule = settings.CELERY_BEAT_SCHEDULE
    tasks_scheduled = {entry["task"] for entry in schedule.values()}
    assert "assessments.tasks.finalise_overdue_attempts" in tasks_scheduled


# Starting rules -------------------------------------------------------------------------------


def test_an_assessment_cannot_be_started_before_it_opens(assessment, learner):
    opens = timezone.now() + timedelta(hours=2)
    set_fields(assessment, opens_at=opens)
    with pytest.raises(services.AssessmentError, match=r"This assessment opens at \d\d:\d\d on"):
        services.start_attempt(user=learner, assessment=assessment)
    assert not Attempt.objects.exists()
    set_fields(assessment, opens_at=timezone.now() - timedelta(minutes=1))
    assert services.start_attempt(user=learner, assessment=assessment).number == 1


def test_an_assessment_cannot_be_started_after_it_closes(assessment, learner):
    set_fields(assessment, closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.AssessmentError, match=r"This assessment closed at .* \(UK time\)"):
        services.start_attempt(user=learner, assessment=assessment)
    assert not Attempt.objects.exists()


def test_the_uk_time_is_shown_in_london_time():
    # 13:35 UTC in summer is 14:35 in London.
    moment = datetime(2026, 7, 1, 13, 35, tzinfo=UTC)
    assert services.uk_time(moment) == "14:35 on 1 July 2026 (UK time)"


def test_the_next_attempt_waits_for_the_delay(assessment, learner):
    set_fields(assessment, attempt_delay_minutes=60)
    first = services.start_attempt(user=learner, assessment=assessment)
    services.submit_attempt(attempt=first)
    with pytest.raises(
        services.AssessmentError, match="You can start your next attempt at .* wait of 60 minutes"
    ):
        services.start_attempt(user=learner, assessment=assessment)
    assert Attempt.objects.filter(user=learner).count() == 1
    Attempt.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(minutes=61))
    assert services.start_attempt(user=learner, assessment=assessment).number == 2


def test_the_delay_does_not_stop_resuming_an_open_attempt(assessment, learner):
    set_fields(assessment, attempt_delay_minutes=60)
    first = services.start_attempt(user=learner, assessment=assessment)
    assert services.start_attempt(user=learner, assessment=assessment).pk == first.pk


def test_closing_must_come_after_opening(assessment):
    now = timezone.now()
    assessment.opens_at, assessment.closes_at = now, now - timedelta(hours=1)
    with pytest.raises(ValidationError, match="after the opening time"):
        assessment.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        assessment.save()


# Grading methods ------------------------------------------------------------------------------


def take(assessment, learner, *, right: int):
    """Submit an attempt with the first `right` of its three questions answered right."""
    attempt = services.start_attempt(user=learner, assessment=assessment)
    answers = correct_answers(attempt)
    for response in attempt.responses.order_by("position")[right:]:
        answers[response.pk] = []
    services.save_answers(attempt=attempt, answers=answers)
    return services.submit_attempt(attempt=attempt)


@pytest.mark.parametrize(
    ("method", "percent", "passed"),
    [
        (GradingMethod.HIGHEST, Decimal("100.00"), True),
        (GradingMethod.FIRST, Decimal("33.33"), False),
        (GradingMethod.LAST, Decimal("66.67"), False),
        (GradingMethod.AVERAGE, Decimal("66.67"), False),
    ],
)
def test_the_grading_method_picks_the_grade(assessment, learner, method, percent, passed):
    set_fields(assessment, grading_method=method)
    for right in (1, 3, 2):  # 33.33%, 100%, 66.67%
        take(assessment, learner, right=right)
    grade = selectors.grade_for(user=learner, assessment=assessment)
    assert (grade.percent, grade.passed, grade.attempts_counted) == (percent, passed, 3)


def test_an_average_at_the_pass_mark_passes(assessment, learner):
    set_fields(assessment, grading_method=GradingMethod.AVERAGE, pass_mark=50)
    take(assessment, learner, right=3)  # 100%
    take(assessment, learner, right=0)  # 0%
    grade = selectors.grade_for(user=learner, assessment=assessment)
    assert grade.percent == Decimal("50.00")
    assert grade.passed is True
    assert grade.based_on == "the average of your 2 attempts"


def test_open_attempts_and_other_learners_do_not_count(assessment, learner):
    assert selectors.grade_for(user=learner, assessment=assessment).percent is None
    take(assessment, UserFactory(), right=3)
    services.start_attempt(user=learner, assessment=assessment)
    grade = selectors.grade_for(user=learner, assessment=assessment)
    assert (grade.percent, grade.passed, grade.attempts_counted) == (None, False, 0)


def test_the_grade_takes_one_query(assessment, learner, django_assert_num_queries):
    for right in (1, 2, 3):
        take(assessment, learner, right=right)
    with django_assert_num_queries(1):
        selectors.grade_for(user=learner, assessment=assessment)
