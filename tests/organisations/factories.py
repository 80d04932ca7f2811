from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from organisations.models import Assignment, PersonalAssignment
from tests.academy.factories import OrganisationFactory, UserFactory


class AssignmentFactory(DjangoModelFactory):
    """An assignment of a course to everyone in an organisation; pass course=<CoursePage>."""

    class Meta:
        model = Assignment

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Assignment.Kind.COURSE
    audience = Assignment.Audience.EVERYONE
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
            model_class.objects.filter(pk=cycle.pk).update(created_at=created_at)
            cycle.created_at = created_at
        return cycle
