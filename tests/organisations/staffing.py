"""People in organisations, for the organisation tests: plain helpers over the factories."""

from datetime import timedelta

from django.utils import timezone

from academy.models import Membership, RoleTier
from certificates.models import Certificate
from courses.models import Enrolment
from tests.academy.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.certificates.factories import AwardFactory, CertificateFactory


def organisation_with_manager(name: str, *, manager_name: str = "Helen Marsh"):
    """An organisation and a person who manages it."""
    organisation = OrganisationFactory(name=name)
    manager = UserFactory(full_name=manager_name)
    MembershipFactory(
        user=manager,
        organisation=organisation,
        role=Membership.Role.MANAGER,
        role_tier=RoleTier.SENIOR_STAFF,
    )
    return organisation, manager


def join(organisation, user=None, *, tier=RoleTier.ALL_STAFF, team="", **person) -> Membership:
    """A current learner membership of `organisation`, for `user` or a new person."""
    return MembershipFactory(
        user=user or UserFactory(**person),
        organisation=organisation,
        role_tier=tier,
        team=team,
        joined_at=timezone.now() - timedelta(days=400),
    )


def leave(membership, *, days_ago: int = 1) -> Membership:
    membership.left_at = max(timezone.now() - timedelta(days=days_ago), membership.joined_at)
    membership.save(update_fields=["left_at"])
    return membership


def completed(user, course, *, days_ago: int = 10) -> Enrolment:
    return Enrolment.objects.create(
        user=user, course=course, completed_at=timezone.now() - timedelta(days=days_ago)
    )


def certificate(user, course, *, valid_days: int | None = 365, **fields) -> Certificate:
    """A certificate for the course, issued 10 days ago, valid for `valid_days` more days (None:
    it does not expire; negative: it has expired)."""
    issued = timezone.now() - timedelta(days=10)
    return CertificateFactory(
        learner=user,
        award=AwardFactory(course=course),
        issued_at=issued,
        valid_until=None if valid_days is None else timezone.now() + timedelta(days=valid_days),
        **fields,
    )
