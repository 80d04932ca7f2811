from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from organisations.models import Assignment, PersonalAssignment
from tests.academy.factories import OrganisationFactory, UserFactory


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
    """One person's open cycle of an assignment, due when the assignment is."""

    class Meta:
        model = PersonalAssignment

    assignment = factory.SubFactory(AssignmentFactory)
    user = factory.SubFactory(UserFactory)
    due_on = factory.LazyAttribute(lambda personal: personal.assignment.due_on)
