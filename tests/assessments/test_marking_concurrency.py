"""Marking races on real concurrent PostgreSQL connections: a mark changed while its result is
released, two assessors marking the same answer at once, and two moderators correcting the same
released mark at once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from academy.models import AuditEntry
from assessments import selectors, services
from assessments.models import Attempt, Mark, Response
from assessments.services import marking
from assessments.services.marking import MarkGiven
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


def test_two_moderators_correcting_a_released_mark_at_once_make_one_correction(staff_groups):
    """Both opened the page showing the same final mark; without the check under the attempt's
    lock the later one would silently replace a correction they never saw."""
    moderators = [UserFactory(groups=["Assessors"], mfa=True) for _ in range(2)]
    essay = essay_of(hand_in(UserFactory(), make_assessment()))
    give(response=essay, marker=moderators[0], given=MarkGiven(levels(essay, 0, 0)))
    final = selectors.final_mark(Response.objects.prefetch_related("marks").get(pk=essay.pk))
    shown = marking.final_mark_version(final)
    attempts = iter(zip(moderators, ((1, 1), (2, 2)), strict=True))
    lock = threading.Lock()

    def correct():
        with lock:
            moderator, picks = next(attempts)
        return marking.correct_mark(
            response=essay,
            by=moderator,
            given=MarkGiven(levels(essay, *picks)),
            reason="Appeal",
            shown=shown,
        )

    results, errors = race(2, correct)
    assert len(results) == 1 and len(errors) == 1, (results, errors)
    assert "Someone corrected this mark after you opened it" in str(errors[0])
    winner = Mark.objects.get(response=essay, stage=Mark.Stage.MODERATED)
    assert winner.marker_id == results[0].marker_id
    assert AuditEntry.objects.filter(action="mark.corrected").count() == 1
    # The result is the winner's: 1 + 2/4 = 75% or 1 + 4/4 = 100% of 2 marks.
    attempt = Attempt.objects.get(pk=essay.attempt_id)
    assert attempt.percent == (Decimal("50.00") + winner.score * 50).quantize(Decimal("0.01"))
