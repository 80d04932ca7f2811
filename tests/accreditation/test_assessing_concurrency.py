"""Assessing races on real concurrent PostgreSQL connections: two assessors opening the same
submission at once, and the same decision sent twice at once."""

import pytest
from django.core import mail
from django.db import connection

from academy.models import AuditEntry
from accreditation import services
from accreditation.errors import AlreadyTakenError, WrongStateError
from accreditation.models import Decision, QualitySample, Submission
from tests.accreditation.assessing import decide, make_assessor
from tests.accreditation.factories import SubmissionFactory
from tests.assessments.test_concurrency import race

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so no race",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_assessors_opening_at_once_one_gets_it_and_the_other_is_told(staff_groups):
    for _ in range(5):
        submission = SubmissionFactory()
        assessors = iter([make_assessor(), make_assessor()])

        def open_it(submission=submission, assessors=assessors):
            return services.open_submission(submission=submission, assessor=next(assessors))

        results, errors = race(2, open_it)
        assert len(results) == 1 and len(errors) == 1, (results, errors)
        assert isinstance(errors[0], AlreadyTakenError)
        winner = results[0].assessor
        assert f"{winner.full_name} opened this submission first" in str(errors[0])
        submission.refresh_from_db()
        assert submission.status == Submission.Status.IN_ASSESSMENT
        assert submission.assessor == winner
        opened = AuditEntry.objects.filter(action="submission.opened", target_id=submission.pk)
        assert opened.count() == 1


def test_a_decision_sent_twice_at_once_is_recorded_once(staff_groups):
    assessor = make_assessor()
    for _ in range(5):
        submission = SubmissionFactory()
        services.open_submission(submission=submission, assessor=assessor)
        mail.outbox.clear()

        results, errors = race(2, lambda submission=submission: decide(submission, assessor))
        assert len(results) == 1 and len(errors) == 1, (results, errors)
        assert isinstance(errors[0], WrongStateError)
        assert "decided already" in str(errors[0])
        assert Decision.objects.filter(submission=submission).count() == 1
        recorded = AuditEntry.objects.filter(action="decision.recorded", target_id=results[0].pk)
        assert recorded.count() == 1
        # One decision e-mail, on commit (Celery eager); the unit was the programme's only
        # requirement, so the certificate's e-mail goes too.
        unit = submission.work.requirement.unit
        assert len([m for m in mail.outbox if unit.code in m.subject]) == 1
    # The assessor's first decision was sampled once, and only the first.
    assert QualitySample.objects.filter(reason=QualitySample.Reason.FIRST_DECISION).count() == 1
