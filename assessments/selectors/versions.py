"""Read paths for a question's version history."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from ..models import QuestionVersion, Response


@dataclass(frozen=True)
class VersionRow:
    """One version of a question, for its version history."""

    number: int
    created_at: datetime
    attempts: int  # attempts that were given this version
    regraded: int  # answers regraded against this version after it corrected an older one
    current: bool  # the version the question gives now


def version_history(*, question, current_id: int | None) -> list[VersionRow]:
    """Every version of the question, newest first, with how many attempts were given it and how
    many answers were regraded against it. Three queries, however many versions and attempts."""
    versions = list(
        QuestionVersion.objects.filter(question=question)
        .order_by("-number")
        .values_list("pk", "number", "created_at")
    )
    responses = Response.objects.filter(version__question=question)
    given = dict(responses.values_list("version_id").annotate(n=Count("pk")).order_by())
    regraded = dict(
        Response.objects.filter(regraded_against__question=question)
        .values_list("regraded_against_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        VersionRow(
            number=number,
            created_at=created_at,
            attempts=given.get(pk, 0),
            regraded=regraded.get(pk, 0),
            current=pk == current_id,
        )
        for pk, number, created_at in versions
    ]
