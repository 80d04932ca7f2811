"""Capacity holds under a rush: many people registering for the last places at the same
moment, each on their own database connection (PostgreSQL only: SQLite serialises writers)."""

import pytest
from django.db import connection

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
