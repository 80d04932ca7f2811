"""Released attempts as the national figures count them."""

from django.db.models import DateField
from django.db.models.functions import TruncMonth

from ..models import Assessment, Attempt


def released_attempt_facts():
    """(learner id, assessment id, month released, passed?) of every released attempt (scored,
    and the result released to the learner); the month (first day, UK time) worked out by the
    database; an iterator, for hundreds of thousands of attempts."""
    return (
        Attempt.objects.filter(status=Attempt.Status.SUBMITTED, released_at__isnull=False)
        .annotate(month=TruncMonth("released_at", output_field=DateField()))
        .values_list("user_id", "assessment_id", "month", "passed")
        .order_by()
        .iterator(chunk_size=10000)
    )


def assessment_titles(*, ids) -> dict[int, str]:
    """The titles of these assessments, by id. One query."""
    return dict(Assessment.objects.filter(pk__in=list(ids)).values_list("pk", "title"))
