"""State changes for people: sign-up details, memberships and e-mail confirmation; the staff
groups' names."""

from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.db import transaction

from .models import Membership, Organisation, User


class PeopleError(Exception):
    """A rule about people or organisations was broken."""


TRAINERS = "Trainers"
ASSESSORS = "Assessors"
ADMINISTRATORS = "Academy administrators"
PROGRAMME_MANAGERS = "Programme managers"
INTERNAL_QUALITY_ASSURERS = "Internal quality assurers"
EXTERNAL_QUALITY_ASSURERS = "External quality assurers"
STAFF_GROUPS = (
    TRAINERS,
    ASSESSORS,
    ADMINISTRATORS,
    PROGRAMME_MANAGERS,
    INTERNAL_QUALITY_ASSURERS,
    EXTERNAL_QUALITY_ASSURERS,
)


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
def add_member(*, user: User, organisation: Organisation, role: str, team: str = "") -> Membership:
    if role not in Membership.Role.values:
        raise PeopleError(f"Unknown membership role: {role!r}.")
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role, "team": team.strip()}
    )
    return membership


def send_new_confirmation_link(*, request, email: str) -> None:
    """E-mails a new link to confirm `email` if an account is waiting for that confirmation, and
    otherwise does nothing: the caller says the same either way, so that no one learns from it
    who has an account. allauth's limit on confirmation e-mails to one address applies."""
    address = EmailAddress.objects.filter(email__iexact=email.strip(), verified=False).first()
    if address is None or address.user_id is None:
        return
    if not ratelimit.consume(request, action="confirm_email", key=address.email.lower()):
        return
    address.send_confirmation(request)
