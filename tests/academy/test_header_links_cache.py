"""The header's Admin and My organisation links, remembered per person in the shared cache
(academy.context_processors.header): no query once remembered, and right again at once after
each change to who may do what."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academy import services as people
from academy.models import Membership
from academy.services import end_membership
from tests.academy.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ADMIN_LINK = f'href="{reverse("wagtailadmin_home")}">Admin</a>'
ORGANISATION_LINK = ">My organisation</a>"


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.ACADEMY_PAGE_CACHE_SECONDS = 300


def header_of(client) -> str:
    """The header of the person's dashboard."""
    html = client.get(reverse("dashboard")).content.decode()
    return html[: html.index("</header>")]


def header_queries(client) -> list[str]:
    """The queries a dashboard made that asked for the header's links."""
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("dashboard"))
    return [q["sql"] for q in queries if "access_admin" in q["sql"]]


def test_the_links_cost_no_query_once_remembered(client, learner):
    client.force_login(learner)
    assert len(header_queries(client)) == 1
    assert header_queries(client) == []


def test_the_links_are_off_with_the_cache(client, learner, settings):
    settings.ACADEMY_PAGE_CACHE_SECONDS = 0
    client.force_login(learner)
    header_queries(client)
    assert len(header_queries(client)) == 1


def test_each_person_has_their_own_links(client, learner, trainer):
    client.force_login(trainer)
    assert ADMIN_LINK in header_of(client)
    client.force_login(learner)
    assert ADMIN_LINK not in header_of(client)


def test_joining_and_leaving_a_staff_group_shows_at_once(client, learner, staff_groups):
    client.force_login(learner)
    assert ADMIN_LINK not in header_of(client)
    trainers = Group.objects.get(name=people.TRAINERS)
    learner.groups.add(trainers)
    assert ADMIN_LINK in header_of(client)
    trainers.user_set.remove(learner)  # from the group's side, as the admin's group form does
    assert ADMIN_LINK not in header_of(client)


def test_a_group_losing_admin_access_shows_at_once(client, trainer):
    client.force_login(trainer)
    assert ADMIN_LINK in header_of(client)
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    Group.objects.get(name=people.TRAINERS).permissions.remove(access)
    assert ADMIN_LINK not in header_of(client)


def test_a_deleted_group_takes_its_links_at_once(client, trainer):
    client.force_login(trainer)
    assert ADMIN_LINK in header_of(client)
    Group.objects.get(name=people.TRAINERS).delete()
    assert ADMIN_LINK not in header_of(client)


def test_a_permission_given_to_the_person_shows_at_once(client, learner):
    client.force_login(learner)
    assert ADMIN_LINK not in header_of(client)
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    learner.user_permissions.add(access)
    assert ADMIN_LINK in header_of(client)


def test_becoming_a_superuser_shows_at_once(client, learner):
    client.force_login(learner)
    assert ADMIN_LINK not in header_of(client)
    learner.is_superuser = True
    learner.save(update_fields=["is_superuser"])
    assert ADMIN_LINK in header_of(client)


def test_managing_an_organisation_shows_and_ends_at_once(client, learner):
    client.force_login(learner)
    assert ORGANISATION_LINK not in header_of(client)
    membership = MembershipFactory(user=learner, role=Membership.Role.MANAGER)
    assert ORGANISATION_LINK in header_of(client)
    end_membership(membership=membership, left_at=timezone.now())
    assert ORGANISATION_LINK not in header_of(client)
    membership.delete()
    other = MembershipFactory(user=learner, role=Membership.Role.LEARNER)
    assert ORGANISATION_LINK not in header_of(client)
    other.role = Membership.Role.MANAGER
    other.save()
    assert ORGANISATION_LINK in header_of(client)
