"""Capacity holds under a rush: many people registering for the last places at the same
moment, each on their own database connection; and reminders are claimed once however many
beats run at once (PostgreSQL only: SQLite serialises writers)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from courses import services
from courses.models import Registration
from tests.academy.factories import UserFactory
from tests.courses.factories import WebinarFactory
from tests.races import race

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so no race",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_hundred_people_for_the_last_ten_places_get_ten_places_and_ninety_on_the_list(
    catalogue,
):
    session = WebinarFactory(parent=catalogue).sessions.get()
    session.capacity = 30
    session.save()
    for _ in range(20):
        services.register(session=session, user=UserFactory())
    people = iter([UserFactory() for _ in range(100)])  # next() is atomic under the GIL

    def register():
        return services.register(session=session, user=next(people)).status

    results, errors = race(100, register, connections=40)
    assert errors == []
    assert results.count(Registration.Status.PLACE) == 10
    assert results.count(Registration.Status.WAITING) == 90
    assert Registration.objects.filter(session=session, status="place").count() == 30


def test_beats_running_at_once_claim_each_reminder_once(catalogue, monkeypatch):
    """Several beats (a second scheduler by mistake, a slow run overlapping the next) at the
    same moment: each reminder is claimed by one of them, and one e-mail is queued for it."""
    session = WebinarFactory(parent=catalogue).sessions.get()
    people = [UserFactory() for _ in range(30)]
    for person in people:
        services.register(session=session, user=person)
    queued = []
    monkeypatch.setattr(
        "courses.services.webinar_mail.enqueue", lambda task, *args: queued.append(args)
    )
    later = session.starts_at - timedelta(hours=23)
    monkeypatch.setattr(timezone, "now", lambda: later)

    results, errors = race(8, services.queue_reminders)
    assert errors == []
    assert sum(results) == 30
    assert sorted(pk for pk, kind in queued) == sorted(
        Registration.objects.filter(session=session).values_list("pk", flat=True)
    )
    assert not Registration.objects.filter(reminded_day_before_at__isnull=True).exists()
