"""IQA reviews at the same moment, on PostgreSQL with real threads: a sample is reviewed once,
and an overturn and an appeal on one decision never both happen."""

import itertools
import threading

import pytest
from django.db import connection

from academy import services as people
from academy.models import AuditEntry
from accreditation import services
from accreditation.errors import AccreditationError, AlreadyTakenError
from accreditation.models import Appeal, Decision, QualitySample
from tests.races import race

from .factories import QualitySampleFactory, staff

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so no race",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RACERS = 8


def taking_turns(*works):
    """Work for race(): each thread in turn runs the next of `works`."""
    turns = itertools.cycle(works)
    lock = threading.Lock()

    def work():
        with lock:
            chosen = next(turns)
        return chosen()

    return work


def test_a_sample_is_reviewed_once_when_iqas_answer_together(staff_groups):
    sample = QualitySampleFactory()
    iqas = iter([staff(people.INTERNAL_QUALITY_ASSURERS) for _ in range(RACERS)])
    lock = threading.Lock()

    def review():
        with lock:
            iqa = next(iqas)
        return services.overturn_decision(
            sample=sample,
            reviewer=iqa,
            reasons="Competent on the evidence.",
            outcome=Decision.Outcome.COMPETENT,
            feedback="Good.",
        )

    results, errors = race(RACERS, review)
    assert len(results) == 1
    assert len(errors) == RACERS - 1 and all(isinstance(e, AlreadyTakenError) for e in errors)
    assert Decision.objects.filter(kind=Decision.Kind.IQA_OVERTURN).count() == 1
    assert AuditEntry.objects.filter(action="decision.overturned").count() == 1
    assert QualitySample.objects.get().reviewer_id == results[0].reviewer_id


def test_an_overturn_and_an_appeal_on_one_decision_never_both_happen(staff_groups):
    sample = QualitySampleFactory()
    decision = sample.decision
    candidate = decision.submission.work.candidacy.candidate
    iqa = staff(people.INTERNAL_QUALITY_ASSURERS)

    def overturn():
        return services.overturn_decision(
            sample=sample,
            reviewer=iqa,
            reasons="Competent.",
            outcome=Decision.Outcome.COMPETENT,
            feedback="Good.",
        )

    def appeal():
        return services.lodge_appeal(decision=decision, candidate=candidate, grounds="Unfair.")

    results, errors = race(2, taking_turns(overturn, appeal))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], AccreditationError)
    overturned = Decision.objects.filter(kind=Decision.Kind.IQA_OVERTURN).exists()
    appealed = Appeal.objects.exists()
    assert overturned != appealed
