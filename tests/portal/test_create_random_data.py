"""create_random_data, with tiny numbers: every kind of row it promises, and a clear refusal to
run twice."""

import io

import pytest
from django.core.management import CommandError, call_command

from academy.models import Membership, Organisation
from assessments.models import Attempt
from certificates.models import Certificate
from courses.models import CoursePage, Enrolment
from organisations.models import PersonalAssignment
from portal.models import NationalFigure
from tests.complaint_standards.factories import ExpectationFactory

pytestmark = pytest.mark.django_db


def test_it_fills_every_table_the_reports_read_and_refuses_a_second_run(course_tree):
    ExpectationFactory.create_batch(3)
    out = io.StringIO()
    call_command(
        "create_random_data",
        learners=60,
        organisations=14,
        enrolments_per_learner=3,
        courses=4,
        seed=7,
        stdout=out,
    )
    assert "national figures counted" in out.getvalue()
    organisations = Organisation.objects.filter(name__startswith="Random organisation")
    assert organisations.count() == 14
    assert set(organisations.values_list("kind", flat=True)) == set(Organisation.Kind.values)
    assert CoursePage.objects.live().count() == 4
    assert Membership.objects.filter(left_at__isnull=False).exists()
    assert Membership.objects.filter(role=Membership.Role.MANAGER).exists()
    assert 60 <= Enrolment.objects.count() <= 60 * 4
    assert Enrolment.objects.filter(completed_at__isnull=False).exists()
    assert (
        Certificate.objects.count() <= Enrolment.objects.filter(completed_at__isnull=False).count()
    )
    assert Certificate.objects.exists()
    assert Attempt.objects.filter(released_at__isnull=False).exists()
    assert PersonalAssignment.objects.filter(met_at__isnull=False).exists()
    assert PersonalAssignment.objects.filter(met_at__isnull=True).exists()
    assert NationalFigure.objects.exists()
    # Enrolments are spread over time, not all stamped with the moment they were written.
    assert Enrolment.objects.values("enrolled_at__date").distinct().count() > 5

    with pytest.raises(CommandError, match="Random data is already here"):
        call_command("create_random_data", learners=5, organisations=2, stdout=io.StringIO())
    assert Organisation.objects.filter(name__startswith="Random organisation").count() == 14
