import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from certificates import codes
from certificates.models import Award, Certificate, CertificateDesign
from tests.academy.factories import UserFactory


class AwardFactory(DjangoModelFactory):
    """A course-completion award; pass course=<CoursePage>."""

    class Meta:
        model = Award
        django_get_or_create = ("course",)

    kind = Award.Kind.COURSE_COMPLETION
    title = factory.LazyAttribute(lambda award: award.course.title)
    cpd_hours = factory.LazyAttribute(lambda award: award.course.cpd_hours)


class CertificateFactory(DjangoModelFactory):
    """A certificate row as issue_certificate writes it (without its PDF)."""

    class Meta:
        model = Certificate

    code = factory.LazyFunction(codes.new_code)
    learner = factory.SubFactory(UserFactory)
    cycle = 1
    name_on_certificate = factory.LazyAttribute(lambda cert: cert.learner.full_name)
    title_on_certificate = factory.LazyAttribute(lambda cert: cert.award.title)
    cpd_hours = factory.LazyAttribute(lambda cert: cert.award.cpd_hours)
    issued_at = factory.LazyFunction(timezone.now)


class CertificateDesignFactory(DjangoModelFactory):
    """The default design unless award= or kind= is given."""

    class Meta:
        model = CertificateDesign

    name = factory.Sequence(lambda n: f"Design {n}")
    signatory_name = "Rob Behrens"
    signatory_role = "Ombudsman"


def image(title="Logo", colour="#1d3557"):
    """A small Wagtail image stored in the test MEDIA_ROOT."""
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    return Image.objects.create(title=title, file=get_test_image_file(colour=colour))
