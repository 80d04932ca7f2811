"""Registering for a webinar session: places, the waiting list in order, cancelling, and what
is refused (courses.services.webinars)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses import services
from courses.errors import RegistrationError
from courses.models import Registration
from tests.academy.factories import UserFactory
from tests.courses.factories import WebinarFactory

PLACE, WAITING, CANCELLED = (
    Registration.Status.PLACE,
    Registration.Status.WAITING,
    Registration.Status.CANCELLED,
)


@pytest.fixture
def session(catalogue):
    webinar = WebinarFactory(parent=catalogue)
    session = webinar.sessions.get()
    session.capacity = 2
    session.save()
    return session


def test_places_go_first_come_first_served_then_the_waiting_list(session):
    people = [UserFactory() for _ in range(4)]
    statuses = [services.register(session=session, user=person).status for person in people]
    assert statuses == [PLACE, PLACE, WAITING, WAITING]
    assert services.places_left(session) == 0


def test_registering_again_changes_nothing(session):
    person = UserFactory()
    first = services.register(session=session, user=person)
    assert services.register(session=session, user=person) == first
    assert Registration.objects.filter(user=person).count() == 1


def test_a_freed_place_goes_to_the_first_on_the_list(session):
    ann, ben, cat, dev = (UserFactory() for _ in range(4))
    for person in (ann, ben, cat, dev):
        services.register(session=session, user=person)
    promoted = services.cancel_registration(registration=Registration.objects.get(user=ben))
    assert [r.user for r in promoted] == [cat]
    assert Registration.objects.get(user=cat).placed_at is not None
    assert Registration.objects.get(user=dev).status == WAITING
    # Cancelling twice, or a place on the list, frees nothing more.
    assert services.cancel_registration(registration=Registration.objects.get(user=ben)) == []
    assert services.cancel_registration(registration=Registration.objects.get(user=dev)) == []
    assert Registration.objects.get(user=dev).status == CANCELLED


def test_more_places_go_to_the_list_in_order(session):
    people = [UserFactory() for _ in range(5)]
    for person in people:
        services.register(session=session, user=person)
    session.capacity = 4
    session.save()
    promoted = services.fill_places(session=session)
    assert [r.user for r in promoted] == people[2:4]


def test_someone_who_cancelled_can_register_again_at_the_back(session):
    ann, ben, cat = (UserFactory() for _ in range(3))
    for person in (ann, ben, cat):
        services.register(session=session, user=person)
    services.cancel_registration(registration=Registration.objects.get(user=ann))
    again = services.register(session=session, user=ann)
    assert again.status == WAITING
    assert Registration.objects.filter(user=ann).count() == 2


def test_a_cancelled_or_started_session_takes_no_registrations(session):
    session.cancelled_at = timezone.now()
    session.save()
    with pytest.raises(RegistrationError, match="cancelled"):
        services.register(session=session, user=UserFactory())
    session.cancelled_at = None
    session.starts_at = timezone.now() - timedelta(minutes=1)
    session.save()
    with pytest.raises(RegistrationError, match="started"):
        services.register(session=session, user=UserFactory())
    assert not Registration.objects.exists()
