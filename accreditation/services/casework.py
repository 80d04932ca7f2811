"""Casework quality reviews: an assessor reads a real case file the candidate handled and records,
item by item against the requirement's checklist, whether it meets the standard."""

from django.db import transaction
from django.utils.text import Truncator

from academy import selectors as people
from academy.audit import record

from ..errors import ConflictOfInterestError, DecisionIncompleteError, WrongStateError
from ..models import Candidacy, CaseworkReview, Requirement
from .assessing import Judgement
from .awarding import check_award
from .renewal import check_renewal


@transaction.atomic
def record_casework_review(
    *,
    candidacy: Candidacy,
    requirement: Requirement,
    reviewer,
    case_reference: str,
    judgements: dict[int, Judgement],
    summary: str,
) -> CaseworkReview:
    """Record a review against the checklist (`judgements` by ChecklistItem id). It is
    competent when every item is met; otherwise not yet competent, and another review of a
    different case is needed. A review is never changed: a later one stands instead."""
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if requirement.version_id != candidacy.version_id or (
        requirement.kind != Requirement.Kind.CASEWORK_REVIEW
    ):
        raise WrongStateError("This candidate's programme has no such casework review.")
    if candidacy.status == Candidacy.Status.WITHDRAWN:
        raise WrongStateError("This candidate has withdrawn from the programme.")
    if people.is_too_close_to_judge(judge=reviewer, person_id=candidacy.candidate_id):
        raise ConflictOfInterestError(
            "You may not review this casework: it is your own, or the candidate is in your "
            "organisation or your team."
        )
    items = list(requirement.checklist.items.select_related("competency").order_by("sort_order"))
    problems = []
    if not case_reference.strip():
        problems.append("Give the case file's reference.")
    if not summary.strip():
        problems.append("Write a summary of what the review found.")
    unjudged = [
        item for item in items if item.pk not in judgements or judgements[item.pk].met is None
    ]
    if unjudged:
        problems.append(f"Answer every item of the checklist ({len(unjudged)} left).")
    if problems:
        raise DecisionIncompleteError(problems)
    results = [
        {
            "item": item.text,
            "competency": item.competency.name if item.competency else "",
            "met": judgements[item.pk].met,
            "comment": judgements[item.pk].comment.strip(),
        }
        for item in items
    ]
    competent = all(result["met"] for result in results)
    review = CaseworkReview.objects.create(
        candidacy=candidacy,
        requirement=requirement,
        reviewer=reviewer,
        case_reference=case_reference.strip(),
        results=results,
        outcome=(
            CaseworkReview.Outcome.COMPETENT
            if competent
            else CaseworkReview.Outcome.NOT_YET_COMPETENT
        ),
        summary=summary.strip(),
    )
    record(
        actor=reviewer,
        action="casework_review.recorded",
        target=review,
        reason=Truncator(review.summary).chars(200),
        outcome=review.outcome,
        case_reference=review.case_reference,
    )
    if competent:
        check_award(candidacy=candidacy)
        check_renewal(candidacy=candidacy)
    return review
