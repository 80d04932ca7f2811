"""State changes for people: sign-up details and memberships; the staff groups' names."""

from django.db import transaction

from .models import Membership, Organisation, User


class PeopleError(Exception):
    """A rule about people or organisations was broken."""


TRAINERS = "Trainers"
ASSESSORS = "Assessors"
ADMINISTRATORS = "Academy administrators"
STAFF_GROUPS = (TRAINERS, ASSESSORS, ADMINISTRATORS)


@transaction.atomic
def complete_signup(
    *, user: User, full_name: str, role_tier: str, organisation: Organisation
) -> Membership:
    user.full_name = full_name.strip()
    user.role_tier = role_tier
    user.save(update_fields=["full_name", "role_tier"])
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Membership.Role.LEARNER}
    )
    return membership


@transaction.atomic
def add_member(*, user: User, organisation: Organisation, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise PeopleError(f"Unknown membership role: {role!r}.")
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    return membership


def is_staff_member(user) -> bool:
    """Staff are those who can reach the admin: they must use MFA."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=STAFF_GROUPS).exists()
