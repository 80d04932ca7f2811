"""Memberships added, changed or deleted in the admin (People › Memberships) are followed like
those the services change: tier assignments start and end, spans move, and each is audited."""

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, Membership, RoleTier
from organisations.models import Assignment, PersonalAssignment
from tests.academy.factories import OrganisationFactory, UserFactory
from tests.courses.factories import CourseFactory
from tests.organisations.factories import assign, manager_of


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def fields(**values):
    data = {"team": "", "role": Membership.Role.LEARNER, "left_at": ""}
    data.update(values)
    return data


def open_rows(user):
    return PersonalAssignment.objects.filter(user=user, met_at=None, ended_at=None)


def test_a_membership_added_changed_and_deleted_in_the_admin_is_followed(admin_client, catalogue):
    organisation = OrganisationFactory()
    assignment = assign(
        organisation,
        CourseFactory(parent=catalogue),
        by=manager_of(organisation),
        audience=Assignment.Audience.TIER,
        role_tier=RoleTier.COMPLAINTS_STAFF,
    )
    person = UserFactory()
    joined = timezone.localtime().strftime("%Y-%m-%d %H:%M")

    def save(url, tier):
        response = admin_client.post(
            url,
            fields(user=person.pk, organisation=organisation.pk, role_tier=tier, joined_at=joined),
        )
        assert response.status_code == 302, response.context["form"].errors

    save(reverse("membership:add"), RoleTier.COMPLAINTS_STAFF)
    membership = Membership.objects.get(user=person)
    assert [row.assignment for row in open_rows(person)] == [assignment]
    edit = reverse("membership:edit", args=[membership.pk])
    save(edit, RoleTier.ALL_STAFF)
    assert not open_rows(person).exists()
    # Even a save that changes nothing brings the rows in line with a tier set around the admin.
    Membership.objects.filter(pk=membership.pk).update(role_tier=RoleTier.COMPLAINTS_STAFF)
    save(edit, RoleTier.COMPLAINTS_STAFF)
    assert open_rows(person).count() == 1

    response = admin_client.post(reverse("membership:delete", args=[membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=person).exists()
    assert not open_rows(person).exists()

    assert list(
        AuditEntry.objects.filter(target_type="academy.membership", target_id=str(membership.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "membership.created_in_admin",
        "membership.changed_in_admin",
        "membership.changed_in_admin",
        "membership.deleted_in_admin",
    ]


def test_a_leaving_date_before_the_joining_date_is_refused_and_changes_nothing(
    admin_client, catalogue
):
    organisation = OrganisationFactory()
    person = UserFactory()
    response = admin_client.post(
        reverse("membership:add"),
        fields(
            user=person.pk,
            organisation=organisation.pk,
            role_tier=RoleTier.ALL_STAFF,
            joined_at="2026-06-01 09:00",
            left_at="2026-05-01 09:00",
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Membership.objects.filter(user=person).exists()
    assert not AuditEntry.objects.filter(action="membership.created_in_admin").exists()
