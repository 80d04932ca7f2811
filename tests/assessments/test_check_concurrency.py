"""Checking answers during an attempt, from many real connections at once: the attempt's row lock
makes each check, save and submission run one after another.

Only PostgreSQL runs these (see test_concurrency)."""

import itertools
import threading
from functools import partial

import pytest

from assessments import services
from assessments.models import Attempt, QuestionKind, Response
from tests.academy.factories import UserFactory
from tests.assessments import test_concurrency as races
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    correct_answer,
    wrong_answer,
)

# PostgreSQL only, on real transactions, as the other races.
pytestmark = races.pytestmark

RACERS = 20


@pytest.fixture
def attempt():
    assessment = AssessmentFactory(
        questions=[QuestionFactory(kind=QuestionKind.MULTIPLE_RESPONSE) for _ in range(4)],
        check_during_attempt=True,
    )
    return services.start_attempt(user=UserFactory(), assessment=assessment)


def test_racing_checks_of_one_question_check_one_answer_once(attempt):
    response = attempt.responses.select_related("version").order_by("position").first()
    # Half the racers send the right answer, half a wrong one: whichever is first is checked.
    answers = itertools.cycle([correct_answer(response), wrong_answer(response)])
    lock = threading.Lock()

    def check():
        with lock:
            answer = next(answers)
        checked = services.submit_answer(
            attempt=attempt, response_id=response.pk, answers={response.pk: answer}
        )
        return checked.selected, checked.checked_at, checked.score

    results, errors = races.race(RACERS, check)
    response.refresh_from_db()
    # Each racer sending the checked answer was told it, unchanged; each sending the other was
    # refused, and changed nothing.
    assert set(map(repr, results)) == {
        repr((response.selected, response.checked_at, response.score))
    }
    assert {str(error) for error in errors} == {
        "Question 1 has been checked, so its answer cannot be changed."
    }
    assert len(results) == len(errors) == RACERS // 2
    assert response.score == services.machine_score(response)


def test_checks_racing_a_submission_score_the_attempt_once_with_the_checked_answers(
    attempt, submissions
):
    responses = list(attempt.responses.select_related("version").order_by("position"))
    work = [
        partial(
            services.submit_answer,
            attempt=attempt,
            response_id=r.pk,
            answers={r.pk: correct_answer(r)},
        )
        for r in responses
    ] + [partial(services.submit_attempt, attempt=attempt)] * 4
    lock = threading.Lock()

    def next_job():
        with lock:
            job = work.pop()
        return job()

    results, errors = races.race(len(work), next_job)
    assert {str(error) for error in errors} <= {"This attempt has already been submitted."}
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and submissions == [attempt.pk]
    checked = Response.objects.filter(attempt=attempt, checked_at__isnull=False)
    # Every check that got in before the submission kept its answer and its mark, and the total
    # is made of exactly those.
    assert checked.count() == len(responses) - len(errors)
    assert all(r.score == 1 for r in checked)
    assert attempt.points == checked.count()
