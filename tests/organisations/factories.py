from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from academy.models import Membership, RoleTier
from organisations.models import Invitation
from organisations.services import hash_token
from tests.academy.factories import MembershipFactory, OrganisationFactory, UserFactory


def manager_of(organisation, **user):
    """A person who currently manages `organisation`."""
    return MembershipFactory(
        organisation=organisation, role=Membership.Role.MANAGER, user=UserFactory(**user)
    ).user


class InvitationFactory(DjangoModelFactory):
    """An open invitation whose link holds `token` (by default "token-<n>")."""

    class Meta:
        model = Invitation
        exclude = ("token",)

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Invited Person{n}")
    role_tier = RoleTier.COMPLAINTS_STAFF
    token = factory.Sequence(lambda n: f"token-{n}")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    sent_at = factory.LazyFunction(timezone.now)
