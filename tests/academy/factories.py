import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from academy.models import Membership, Organisation, RoleTier, User

PASSWORD = "Learner-pass-2026"


def app_code(secret: str) -> str:
    """The code an authenticator app shows now for the secret. A code is good for its 30-second
    window only: near the end of one, wait for the next, so it is still good when it is sent."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.5)
    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))


class UserFactory(DjangoModelFactory):
    """A learner who has verified their e-mail address and can sign in with PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Alex Learner{n}")
    role_tier = RoleTier.ALL_STAFF
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        """Group names, e.g. groups=["Trainers"]; the groups must exist (ensure_staff_groups)."""
        if create and extracted:
            obj.groups.add(*Group.objects.filter(name__in=extracted))

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):
        """mfa=True gives the user a TOTP authenticator, as staff set up before using the admin."""
        if create and extracted:
            TOTP.activate(obj, generate_totp_secret())


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Riverside NHS Trust {n}")
    kind = Organisation.Kind.NHS_TRUST
    ods_code = ""


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.LEARNER
