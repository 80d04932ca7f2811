from django.db.models import Prefetch

from .models import Expectation, Framework, Principle


def frameworks_with_principles():
    return Framework.objects.prefetch_related(
        Prefetch("principles", queryset=Principle.objects.order_by("number"))
    )


def framework_detail(slug: str) -> Framework:
    return Framework.objects.prefetch_related(
        Prefetch(
            "principles",
            queryset=Principle.objects.order_by("number").prefetch_related(
                Prefetch("expectations", queryset=Expectation.objects.order_by("number"))
            ),
        )
    ).get(slug=slug)


def frameworks():
    """Every framework, by name."""
    return Framework.objects.order_by("name", "version")


def expectation_frameworks() -> dict[int, int]:
    """Each expectation's framework id, by expectation id. One query."""
    return dict(Expectation.objects.values_list("pk", "principle__framework_id"))


def expectations_in_order(*, framework_id: int | None = None):
    """Every expectation (of one framework, if given) with its principle and framework, in the
    frameworks' own order. One query."""
    expectations = Expectation.objects.select_related("principle__framework").order_by(
        "principle__framework__name", "principle__number", "number"
    )
    if framework_id is not None:
        expectations = expectations.filter(principle__framework_id=framework_id)
    return expectations
