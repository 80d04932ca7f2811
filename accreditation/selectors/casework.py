"""Casework reviews waiting for an assessor, and a candidacy's review as the assessor opens it."""

from dataclasses import dataclass

from django.http import Http404

from academy import selectors as people

from ..models import Candidacy, CaseworkReview, Requirement
from .assessing import candidate_label


@dataclass(frozen=True)
class CaseworkToReview:
    candidacy: Candidacy
    requirement: Requirement
    candidate: str
    reviews: int
    last_outcome: str


def _reviewable(reviewer):
    return (
        Candidacy.objects.filter(status__in=[Candidacy.Status.ACTIVE, Candidacy.Status.AWARDED])
        .exclude(candidate__in=people.people_too_close_to_judge(judge=reviewer))
        .select_related("candidate", "programme")
    )


def casework_to_review(*, reviewer) -> list[CaseworkToReview]:
    """Each candidate (the reviewer may judge) with a casework review their programme needs and
    no competent review yet, in three queries whatever the number."""
    requirements: dict[int, list[Requirement]] = {}
    for requirement in Requirement.objects.filter(
        kind=Requirement.Kind.CASEWORK_REVIEW
    ).select_related("checklist"):
        requirements.setdefault(requirement.version_id, []).append(requirement)
    candidacies = list(_reviewable(reviewer).filter(version_id__in=list(requirements)))
    outcomes: dict[tuple[int, int], list[str]] = {}
    for candidacy_id, requirement_id, outcome in (
        CaseworkReview.objects.filter(candidacy__in=[c.pk for c in candidacies])
        .order_by("recorded_at", "pk")
        .values_list("candidacy_id", "requirement_id", "outcome")
    ):
        outcomes.setdefault((candidacy_id, requirement_id), []).append(outcome)
    rows = []
    for candidacy in candidacies:
        for requirement in requirements[candidacy.version_id]:
            done = outcomes.get((candidacy.pk, requirement.pk), [])
            if CaseworkReview.Outcome.COMPETENT in done:
                continue
            rows.append(
                CaseworkToReview(
                    candidacy=candidacy,
                    requirement=requirement,
                    candidate=candidate_label(candidacy),
                    reviews=len(done),
                    last_outcome=done[-1] if done else "",
                )
            )
    return rows


def casework_for_review(*, reviewer, candidacy_id: int, requirement_id: int):
    """The candidacy and its casework requirement, with the reviews so far and the checklist,
    or 404 for one the reviewer may not judge or that does not exist."""
    candidacy = _reviewable(reviewer).filter(pk=candidacy_id).first()
    requirement = (
        Requirement.objects.filter(
            pk=requirement_id,
            kind=Requirement.Kind.CASEWORK_REVIEW,
            version_id=getattr(candidacy, "version_id", None),
        )
        .select_related("checklist")
        .first()
    )
    if candidacy is None or requirement is None:
        raise Http404("No casework to review found.")
    items = list(requirement.checklist.items.select_related("competency").order_by("sort_order"))
    reviews = list(
        CaseworkReview.objects.filter(candidacy=candidacy, requirement=requirement)
        .select_related("reviewer")
        .order_by("recorded_at")
    )
    return candidacy, requirement, items, reviews
