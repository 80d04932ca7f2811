"""Appeals decided at the same moment, on PostgreSQL with real threads: an appeal is decided
once."""

import threading

import pytest
from django.db import connection

from academy import services as people
from academy.models import AuditEntry
from accreditation import services
from accreditation.errors import AlreadyTakenError
from accreditation.models import Decision
from tests.races import race

from .factories import AppealFactory, staff

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so no race",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RACERS = 8


def test_an_appeal_is_decided_once_when_panel_members_answer_together(staff_groups):
    appeal = AppealFactory()
    members = iter([staff(people.PROGRAMME_MANAGERS) for _ in range(RACERS)])
    lock = threading.Lock()

    def decide():
        with lock:
            member = next(members)
        return services.uphold_appeal(
            appeal=appeal,
            member=member,
            reasons="Grounds made out.",
            outcome=Decision.Outcome.COMPETENT,
            feedback="Competent.",
        )

    results, errors = race(RACERS, decide)
    assert len(results) == 1
    assert all(isinstance(e, AlreadyTakenError) for e in errors) and len(errors) == RACERS - 1
    assert Decision.objects.filter(kind=Decision.Kind.APPEAL).count() == 1
    assert AuditEntry.objects.filter(action="appeal.upheld").count() == 1
