"""Starting an attempt and saving answers run a number of queries that does not grow with the
number of questions (the exam-start surge and autosave benchmarks found both growing)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import QuestionKind
from tests.academy.factories import UserFactory
from tests.assessments.factories import AssessmentFactory, QuestionFactory, correct_answers

pytestmark = pytest.mark.django_db

KINDS = [QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_RESPONSE, QuestionKind.MATCHING]


def exam(size: int):
    return AssessmentFactory(
        questions=[QuestionFactory(kind=KINDS[n % len(KINDS)]) for n in range(size)]
    )


def start_queries(assessment) -> int:
    services.start_attempt(user=UserFactory(), assessment=assessment)  # freezes the versions
    with CaptureQueriesContext(connection) as queries:
        services.start_attempt(user=UserFactory(), assessment=assessment)
    return len(queries)


def test_starting_runs_the_same_queries_for_5_or_30_questions(staff_groups):
    assert start_queries(exam(5)) == start_queries(exam(30))


def test_saving_again_writes_only_the_answers_that_changed(learner):
    attempt = services.start_attempt(user=learner, assessment=exam(12))
    answers = correct_answers(attempt)
    services.save_answers(attempt=attempt, answers=answers)
    with CaptureQueriesContext(connection) as unchanged:
        services.save_answers(attempt=attempt, answers=answers)
    assert not [q for q in unchanged if q["sql"].startswith("UPDATE") and "response" in q["sql"]]
    first = next(iter(answers))
    answers[first] = []
    with CaptureQueriesContext(connection) as one_changed:
        services.save_answers(attempt=attempt, answers=answers)
    updates = [q["sql"] for q in one_changed if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1 and updates[0].count("WHEN") == 1
    assert attempt.responses.get(pk=first).selected == []
