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
