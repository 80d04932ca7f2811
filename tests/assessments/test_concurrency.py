"""Races between real concurrent database connections: starts, submissions and the timer.

Only PostgreSQL runs these: SQLite serialises every writer, so it cannot show a race (and an
in-memory SQLite database is not shared between threads).
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from assessments import services
from assessments.models import Attempt, QuestionKind
from tests.academy.factories import UserFactory
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionBankFactory,
    QuestionFactory,
    correct_answers,
    draw,
    wrong_answers,
)
from tests.complaint_standards.factories import ExpectationFactory
from tests.races import race

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so no race",
    ),
    # serialized_rollback puts back the rows migrations create (Wagtail's root page), which a
    # transactional test's flush would otherwise remove for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RACERS = 50


@pytest.fixture
def assessment():
    return AssessmentFactory(
        questions=[
            QuestionFactory(kind=QuestionKind.SINGLE_CHOICE),
            QuestionFactory(kind=QuestionKind.MULTIPLE_RESPONSE),
        ],
        max_attempts=2,
    )


def test_racing_starts_make_one_open_attempt_and_never_pass_the_limit(assessment, submissions):
    learner = UserFactory()

    def start():
        return services.start_attempt(user=learner, assessment=assessment).pk

    # 50 starts at once: one attempt, which every racer is given.
    results, errors = race(RACERS, start)
    assert errors == []
    assert len(set(results)) == 1
    attempts = Attempt.objects.filter(user=learner, assessment=assessment)
    assert attempts.count() == 1
    first = attempts.get()
    assert first.number == 1 and first.responses.count() == 2

    services.submit_attempt(attempt=first)

    # 50 more after submitting: the second and last attempt, once.
    results, errors = race(RACERS, start)
    assert errors == []
    assert len(set(results)) == 1
    assert attempts.count() == 2
    assert attempts.filter(status=Attempt.Status.IN_PROGRESS).count() == 1
    assert sorted(attempts.values_list("number", flat=True)) == [1, 2]

    services.submit_attempt(attempt=attempts.get(number=2))

    # With none left, every racer is refused and nothing is created.
    results, errors = race(RACERS, start)
    assert results == []
    assert len(errors) == RACERS
    assert all(isinstance(exc, services.AssessmentError) for exc in errors)
    assert {str(exc) for exc in errors} == {
        "You have used all the attempts allowed for this assessment."
    }
    assert attempts.count() == 2
    assert max(attempts.values_list("number", flat=True)) <= assessment.max_attempts
    assert len(submissions) == 2


def test_racing_starts_with_random_draws_make_one_attempt_without_repeats():
    bank = QuestionBankFactory()
    expectation = ExpectationFactory()
    fixed = QuestionFactory(bank=bank)
    for _ in range(2):
        question = QuestionFactory(bank=bank)
        question.expectations.add(expectation)
        question.save()
    for _ in range(4):
        QuestionFactory(bank=bank)
    assessment = AssessmentFactory(
        questions=[fixed, draw(bank, 4), draw(bank, 2, expectation)],
        shuffle_questions=True,
        max_attempts=1,
    )
    learner = UserFactory()

    def start():
        return services.start_attempt(user=learner, assessment=assessment).pk

    results, errors = race(RACERS, start)
    assert errors == []
    assert len(set(results)) == 1
    attempt = Attempt.objects.get(user=learner, assessment=assessment)
    given = [r.version.question_id for r in attempt.responses.select_related("version")]
    assert len(given) == len(set(given)) == attempt.max_points == 7
    assert sorted(attempt.responses.values_list("position", flat=True)) == list(range(1, 8))


def test_racing_starts_by_different_learners_each_get_their_own_attempt(assessment):
    learners = [UserFactory() for _ in range(10)]
    turn = iter(learners)
    lock = threading.Lock()

    def start():
        with lock:
            learner = next(turn)
        return services.start_attempt(user=learner, assessment=assessment).user_id

    results, errors = race(len(learners), start)
    assert errors == []
    assert sorted(results) == sorted(learner.pk for learner in learners)
    assert Attempt.objects.filter(assessment=assessment).count() == len(learners)


def test_two_tabs_submitting_together_score_once(assessment, submissions):
    learner = UserFactory()
    attempt = services.start_attempt(user=learner, assessment=assessment)
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))

    def submit():
        result = services.submit_attempt(attempt=Attempt.objects.get(pk=attempt.pk))
        return (result.pk, result.submitted_at, result.points, result.percent, result.passed)

    results, errors = race(2, submit)
    assert errors == []
    assert len(results) == 2
    assert results[0] == results[1]
    assert results[0][3] == Decimal("100.00")
    assert submissions == [attempt.pk]
    attempt.refresh_from_db()
    assert attempt.is_submitted and not attempt.auto_submitted


def test_many_submissions_and_the_timer_task_together_score_once(assessment, submissions):
    learner = UserFactory()
    assessment.time_limit_minutes = 10
    assessment.save()
    attempt = services.start_attempt(user=learner, assessment=assessment)
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=attempt.started_at.replace(year=2000))
    calls = iter([services.finalise_overdue_attempts] * 5 + [None] * 15)
    lock = threading.Lock()

    def finalise_or_submit():
        with lock:
            call = next(calls)
        if call is not None:
            return call()
        return services.submit_attempt(attempt=Attempt.objects.get(pk=attempt.pk)).percent

    results, errors = race(20, finalise_or_submit)
    assert errors == []
    assert submissions == [attempt.pk]
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted
    assert attempt.percent == Decimal("100.00")


def test_a_submit_is_graded_on_its_own_answers_not_an_autosave_sent_with_it(assessment):
    """Ten submits with the right answers and ten autosaves with wrong ones, all at once: the
    attempt is graded on the submits' answers, and every autosave that lost the race is
    refused as the attempt is submitted."""
    learner = UserFactory()
    attempt = services.start_attempt(user=learner, assessment=assessment)
    right, wrong = correct_answers(attempt), wrong_answers(attempt)
    turn = iter(range(20))
    lock = threading.Lock()

    def submit_or_autosave():
        with lock:
            mine = next(turn)
        if mine % 2:
            return services.save_answers(attempt=Attempt(pk=attempt.pk), answers=wrong)
        return services.save_and_submit(attempt=Attempt(pk=attempt.pk), answers=right)

    _results, errors = race(20, submit_or_autosave)
    attempt.refresh_from_db()
    assert attempt.is_submitted
    assert attempt.percent == Decimal("100.00")
    assert all(isinstance(error, services.AssessmentError) for error in errors), errors
