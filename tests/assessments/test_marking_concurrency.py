"""Marking races on real concurrent PostgreSQL connections: a mark changed while its result is
released, and two assessors marking the same answer at once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from assessments import marking, services
from assessments.marking import MarkGiven
from assessments.models import Attempt, Mark
from tests.academy.factories import UserFactory
from tests.assessments.test_concurrency import race
from tests.assessments.test_marking import essay_of, give, hand_in, levels, make_assessment

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so no race",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _release_while_changing(assessment, assessor, essay) -> list[BaseException]:
    """Release the held results and change the essay's mark at the same moment."""
    low = MarkGiven(levels(essay, 0, 0))
    jobs = [
        lambda: marking.release_results(assessment=assessment, by=assessor),
        lambda: give(response=essay, marker=assessor, given=low, reason="Recheck"),
    ]
    lock = threading.Lock()

    def next_job():
        with lock:
            job = jobs.pop()
        return job()

    return race(2, next_job)[1]


def test_a_mark_changed_while_its_result_is_released_never_changes_the_released_result(
    staff_groups,
):
    assessor = UserFactory(groups=["Assessors"], mfa=True)
    assessment = make_assessment(hold_results=True)
    for _ in range(5):
        essay = essay_of(hand_in(UserFactory(), assessment))
        give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 2, 2)))
        errors = _release_while_changing(assessment, assessor, essay)
        assert all(isinstance(error, services.AssessmentError) for error in errors), errors
        attempt = Attempt.objects.get(pk=essay.attempt_id)
        essay.refresh_from_db()
        # Released first: the change is refused and 100% stands. Changed first: 50% is released.
        assert attempt.is_released
        assert attempt.percent == (Decimal("100.00") if essay.score == 1 else Decimal("50.00"))
        assert len(errors) == (1 if essay.score == 1 else 0)


def test_two_assessors_giving_the_first_mark_at_once_give_one(staff_groups):
    assessors = [UserFactory(groups=["Assessors"], mfa=True) for _ in range(2)]
    essay = essay_of(hand_in(UserFactory(), make_assessment(second_marking_percent=100)))
    markers = iter(assessors)

    def first_mark():
        return marking.record_mark(
            response=essay,
            marker=next(markers),
            stage=Mark.Stage.FIRST,
            given=MarkGiven(levels(essay, 1, 1)),
        )

    results, errors = race(2, first_mark)
    assert len(results) == 1 and len(errors) == 1, (results, errors)
    assert "Someone else marked" in str(errors[0])
    assert list(Mark.objects.values_list("stage", flat=True)) == [Mark.Stage.FIRST]
