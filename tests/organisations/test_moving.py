"""A learner who moves organisation: both see them until the old one's membership ends, the new
one sees what they bring, and they keep their learning and certificates throughout."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from academy import services as people
from academy.models import Membership, RoleTier
from organisations import selectors
from tests.academy.factories import UserFactory
from tests.organisations.factories import AssignmentFactory, PersonalAssignmentFactory
from tests.organisations.staffing import certificate, completed, organisation_with_manager

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def listed(client, manager, organisation) -> str:
    client.force_login(manager)
    response = client.get(reverse("organisations:organisation", args=[organisation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def record(client, manager, organisation, person):
    client.force_login(manager)
    return client.get(reverse("organisations:person", args=[organisation.pk, person.pk]))


def test_a_learner_moves_from_one_organisation_to_another(client, course):
    old, old_manager = organisation_with_manager("Riverside NHS Trust")
    new, new_manager = organisation_with_manager("Hillside Trust", manager_name="Olu Ade")
    ana = UserFactory(full_name="Ana Bell", email="ana@example.org")
    people.add_member(
        user=ana,
        organisation=old,
        role=Membership.Role.LEARNER,
        role_tier=RoleTier.COMPLAINTS_STAFF,
        joined_at=timezone.now() - timedelta(days=700),
    )
    completed(ana, course, days_ago=200)
    held = certificate(ana, course, valid_days=500)
    refresher = AssignmentFactory(organisation=old, course=course, due_on=TODAY - timedelta(1))
    PersonalAssignmentFactory(assignment=refresher, user=ana)
    assert "ana@example.org" in listed(client, old_manager, old)
    assert selectors.figures(organisation=old).overdue == 1

    # She joins the new organisation before the old one has recorded that she left.
    people.add_member(user=ana, organisation=new, role=Membership.Role.LEARNER)
    assert "ana@example.org" in listed(client, old_manager, old)
    assert "ana@example.org" in listed(client, new_manager, new)
    for organisation in (old, new):
        figures = selectors.figures(organisation=organisation)
        assert (figures.staff, figures.certificates) == (2, 1)
    # The new organisation sees what she brings: learning done before she joined.
    brought = record(client, new_manager, new, ana).content.decode()
    assert held.display_code in brought
    assert "Completed</strong>" in brought
    # ... but not the old organisation's assignments of her.
    assert "Nothing assigned" in listed(client, new_manager, new)

    # She tells the Academy she has left the old one, from her dashboard.
    client.force_login(ana)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Riverside NHS Trust" in dashboard and "Hillside Trust" in dashboard
    old_membership = ana.memberships.get(organisation=old)
    response = client.post(
        reverse("organisations:leave", args=[old_membership.pk]),
        {"left_on_0": TODAY.day, "left_on_1": TODAY.month, "left_on_2": TODAY.year},
    )
    assert response.status_code == 302

    # From then the old organisation no longer sees her anywhere.
    assert "ana@example.org" not in listed(client, old_manager, old)
    assert record(client, old_manager, old, ana).status_code == 404
    figures = selectors.figures(organisation=old)
    assert (figures.staff, figures.overdue, figures.certificates) == (1, 0, 0)
    # The new one still does, and she keeps her learning and certificate.
    assert "ana@example.org" in listed(client, new_manager, new)
    assert record(client, new_manager, new, ana).status_code == 200
    client.force_login(ana)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert held.title_on_certificate in dashboard
    assert reverse("organisations:leave", args=[old_membership.pk]) not in dashboard


def test_the_old_organisation_records_the_leaving_and_she_may_come_back(client, course):
    old, old_manager = organisation_with_manager("Riverside NHS Trust")
    ana = UserFactory(full_name="Ana Bell", email="ana@example.org")
    people.add_member(
        user=ana,
        organisation=old,
        role=Membership.Role.LEARNER,
        joined_at=timezone.now() - timedelta(days=90),
    )
    certificate(ana, course)
    client.force_login(old_manager)
    left_on = TODAY - timedelta(days=30)
    client.post(
        reverse("organisations:record_leaving", args=[old.pk, ana.pk]),
        {
            "left_on_0": left_on.day,
            "left_on_1": left_on.month,
            "left_on_2": left_on.year,
            "reason": "Moved to another trust",
        },
    )
    assert "ana@example.org" not in listed(client, old_manager, old)

    # Invited back later, she is a member again, with a membership of her own from that day.
    people.add_member(user=ana, organisation=old, role=Membership.Role.LEARNER)
    assert "ana@example.org" in listed(client, old_manager, old)
    assert ana.memberships.filter(organisation=old).count() == 2
    assert selectors.figures(organisation=old).certificates == 1
