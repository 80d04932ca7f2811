"""Two trainers marking the same people at the same moment (the register and an imported report,
say): each person is recorded once, announced once and gets one CPD entry (PostgreSQL only:
SQLite serialises writers)."""

import threading

import pytest
from django.db import connection

from accreditation.models import CPDEntry
from courses import signals
from courses.models import Attendance
from tests.academy.factories import UserFactory
from tests.courses.attendance_support import mark, started_session
from tests.races import race

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so no race",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_ten_recordings_of_the_same_people_at_once_record_and_announce_each_once(
    catalogue, trainer
):
    session = started_session(catalogue)
    people = [UserFactory() for _ in range(5)]
    announced, lock = [], threading.Lock()

    def listener(sender, attendances, **kwargs):
        with lock:
            announced.extend(attendance.user_id for attendance in attendances)

    signals.webinar_attended.connect(listener, dispatch_uid="race-listener")
    try:
        results, errors = race(10, lambda: len(mark(session, people, trainer)))
    finally:
        signals.webinar_attended.disconnect(dispatch_uid="race-listener")
    assert errors == []
    assert sorted(results) == [0] * 9 + [5]
    assert sorted(announced) == sorted(person.pk for person in people)
    assert Attendance.objects.filter(session=session).count() == 5
    assert CPDEntry.objects.filter(source=f"webinar-attendance:{session.pk}").count() == 5
