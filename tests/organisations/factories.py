"""Organisations, their members and assignments, made through the services as managers do."""

import datetime
from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from academy import services as people
from academy.models import Membership, RoleTier
from courses.models import Enrolment
from courses.signals import course_completed
from organisations import services
from organisations.models import Assignment, Invitation, PersonalAssignment
from tests.academy.factories import OrganisationFactory, UserFactory


def member(organisation, *, tier=RoleTier.ALL_STAFF, role=Membership.Role.LEARNER, **fields):
    """A new person who joins `organisation` now, in `tier`."""
    user = UserFactory(**fields)
    people.add_member(user=user, organisation=organisation, role=role, role_tier=tier)
    return user


def manager_of(organisation, **fields):
    return member(organisation, role=Membership.Role.MANAGER, **fields)


def organisation_with_staff(count: int, **fields):
    organisation = OrganisationFactory(**fields)
    staff = [member(organisation) for _ in range(count)]
    return organisation, staff


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def assign(organisation, item, *, by=None, kind=Assignment.Kind.COURSE, **fields) -> Assignment:
    fields.setdefault("audience", Assignment.Audience.EVERYONE)
    fields.setdefault("due_on", in_days(60))
    return services.create_assignment(
        organisation=organisation,
        by=by or manager_of(organisation),
        item=services.Item(kind=kind, obj=item),
        **fields,
    )


def complete(user, course, *, at=None) -> Enrolment:
    """The learner completes the course at `at` (now by default), as courses announces it."""
    enrolment, _ = Enrolment.objects.get_or_create(user=user, course=course)
    enrolment.completed_at = at or timezone.now()
    enrolment.save(update_fields=["completed_at"])
    course_completed.send(sender=Enrolment, enrolment=enrolment)
    return enrolment


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
    token_hash = factory.LazyAttribute(lambda o: services.hash_token(o.token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    sent_at = factory.LazyFunction(timezone.now)


class AssignmentFactory(DjangoModelFactory):
    """A course assigned to chosen people, due in 30 days; pass course=<CoursePage>. Chosen
    people, so that no listener fills it in behind a test's back."""

    class Meta:
        model = Assignment

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Assignment.Kind.COURSE
    audience = Assignment.Audience.PEOPLE
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class PersonalAssignmentFactory(DjangoModelFactory):
    """One person's cycle of an assignment, due when the assignment is unless due_on= is given.
    `created_at` is set on saving; pass created_at= to date it otherwise."""

    class Meta:
        model = PersonalAssignment

    assignment = factory.SubFactory(AssignmentFactory)
    user = factory.SubFactory(UserFactory)
    cycle = 1
    due_on = factory.LazyAttribute(lambda each: each.assignment.due_on)

    @classmethod
    def _create(cls, model_class, *args, created_at=None, **kwargs):
        cycle = super()._create(model_class, *args, **kwargs)
        if created_at is not None:  # auto_now_add ignores a value given on creation
            cycle.created_at = created_at
            cycle.save(update_fields=["created_at"])
        return cycle
