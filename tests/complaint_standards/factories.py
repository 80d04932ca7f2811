import factory
from factory.django import DjangoModelFactory

from complaint_standards.models import Expectation, Framework, Principle


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = Framework

    name = factory.Sequence(lambda n: f"Test Complaint Standards {n}")
    slug = factory.Sequence(lambda n: f"standards-{n}")
    sector = Framework.Sector.NHS
    version = "2022"
    summary = "How organisations should welcome and answer complaints."


class PrincipleFactory(DjangoModelFactory):
    class Meta:
        model = Principle

    framework = factory.SubFactory(FrameworkFactory)
    number = factory.Sequence(lambda n: n + 1)
    sort_order = factory.SelfAttribute("number")
    title = factory.Sequence(lambda n: f"Principle title {n}")
    summary = "What the principle asks of an organisation."


class ExpectationFactory(DjangoModelFactory):
    class Meta:
        model = Expectation

    principle = factory.SubFactory(PrincipleFactory)
    number = factory.Sequence(lambda n: n + 1)
    sort_order = factory.SelfAttribute("number")
    text = factory.Sequence(lambda n: f"Staff treat complaint {n} as useful information.")
