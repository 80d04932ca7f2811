"""A small Academy whose national figures are worked out by hand in the tests that use it."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from academy.models import Organisation, Region
from assessments.models import Attempt
from certificates.models import Certificate
from courses.models import Enrolment
from portal.national import add_months
from tests.academy.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.certificates.factories import AwardFactory, CertificateFactory
from tests.complaint_standards.factories import (
    ExpectationFactory,
    FrameworkFactory,
    PrincipleFactory,
)
from tests.courses.factories import CourseFactory


@dataclass
class Small:
    this_month: object  # first days of months
    last_month: object
    f1: object
    f2: object
    e1: object
    e2: object
    e3: object
    trust: object
    department: object
    assessment: object


def at(month, day=10):
    """Noon on a day of a month, UK time."""
    return timezone.make_aware(datetime(month.year, month.month, day, 12))


def enrol(user, course, enrolled, completed=None):
    enrolment = Enrolment.objects.create(user=user, course=course)
    Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=enrolled, completed_at=completed)


def attempt(user, assessment, number, *, passed, released):
    Attempt.objects.create(
        user=user,
        assessment=assessment,
        number=number,
        status=Attempt.Status.SUBMITTED,
        submitted_at=released,
        percent=80 if passed else 40,
        passed=passed,
        released_at=released,
    )


def build_small(course_tree) -> Small:
    """Four people, three courses (A in framework 1, B in framework 2, C untagged), two
    organisations; the months are last month (M0) and this one (M1).

    - p1, in the trust (London): A in M0, completed M0 (certificate, later corrected); B in M1.
    - p2, in the trust and the department (national): A in M1, not completed.
    - p3, who left the trust: C in M0, completed M1.
    - p4, in no organisation: B in M1, completed M1 (certificate).
    Released attempts at A's final assessment: p1 passed, p2 failed then passed, p3 passed; one
    of p2's more waits for marking.
    """
    this_month = timezone.localdate().replace(day=1)
    last_month = add_months(this_month, -1)
    m0, m1 = at(last_month), at(this_month, 1)
    f1 = FrameworkFactory(name="NHS standards")
    f2 = FrameworkFactory(name="Government standards")
    e1 = ExpectationFactory(principle=PrincipleFactory(framework=f1, number=1), number=1)
    e2 = ExpectationFactory(principle=e1.principle, number=2)
    e3 = ExpectationFactory(principle=PrincipleFactory(framework=f2, number=1), number=1)
    course_a = course_tree.course
    course_a.expectations.set([e1])
    course_a.save()  # modelcluster keeps the tags in memory until the page is saved
    course_b = CourseFactory(parent=course_tree.catalogue, title="Course B", expectations=[e3])
    course_c = CourseFactory(parent=course_tree.catalogue, title="Course C")

    trust = OrganisationFactory(
        name="Riverside trust", kind=Organisation.Kind.NHS_TRUST, region=Region.LONDON
    )
    department = OrganisationFactory(
        name="A department", kind=Organisation.Kind.GOVERNMENT_DEPARTMENT, region=Region.NATIONAL
    )
    p1, p2, p3, p4 = (UserFactory(full_name=f"Person {i}") for i in range(1, 5))
    long_ago = timezone.now() - timedelta(days=400)
    MembershipFactory(user=p1, organisation=trust, joined_at=long_ago)
    MembershipFactory(user=p2, organisation=trust, joined_at=long_ago)
    MembershipFactory(user=p2, organisation=department, joined_at=long_ago)
    MembershipFactory(
        user=p3, organisation=trust, joined_at=long_ago, left_at=timezone.now() - timedelta(1)
    )

    enrol(p1, course_a, m0, m0 + timedelta(hours=2))
    enrol(p1, course_b, m1)
    enrol(p2, course_a, m1)
    enrol(p3, course_c, m0, m1)
    enrol(p4, course_b, m1, m1 + timedelta(hours=1))

    original = CertificateFactory(learner=p1, award=AwardFactory(course=course_a), issued_at=m0)
    corrected_at = m1 + timedelta(hours=3)
    Certificate.objects.filter(pk=original.pk).update(superseded_at=corrected_at)
    replacement = CertificateFactory(learner=p1, award=original.award, issued_at=corrected_at)
    Certificate.objects.filter(pk=original.pk).update(superseded_by=replacement)
    CertificateFactory(learner=p4, award=AwardFactory(course=course_b), issued_at=m1)

    assessment = course_tree.assessment
    attempt(p1, assessment, 1, passed=True, released=m0)
    attempt(p2, assessment, 1, passed=False, released=m1)
    attempt(p2, assessment, 2, passed=True, released=m1)
    attempt(p3, assessment, 1, passed=True, released=m1)
    Attempt.objects.create(
        user=p2, assessment=assessment, number=3, status=Attempt.Status.MARKING, submitted_at=m1
    )
    return Small(this_month, last_month, f1, f2, e1, e2, e3, trust, department, assessment)
