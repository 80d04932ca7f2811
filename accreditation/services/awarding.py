"""Awarding: when a candidate has met every requirement of their version, the candidacy is
awarded once, and the certificates app is told (signals.requirements_met)."""

from django.db import transaction
from django.utils import timezone

from academy.audit import record

from .. import selectors
from ..models import Candidacy
from ..signals import requirements_met


@transaction.atomic
def check_award(*, candidacy: Candidacy) -> bool:
    """Award the candidacy if every requirement needed to be awarded is met; True if this call
    awarded it. The row lock makes two requirements met at the same moment award it once."""
    candidacy = (
        Candidacy.objects.select_for_update()
        .select_related("programme", "version", "candidate")
        .get(pk=candidacy.pk)
    )
    if candidacy.status != Candidacy.Status.ACTIVE:
        return False
    rows = selectors.needed_for_award(selectors.requirement_rows(candidacy=candidacy))
    if not rows or not all(row.met for row in rows):
        return False
    candidacy.status = Candidacy.Status.AWARDED
    candidacy.awarded_at = candidacy.cycle_started_at = timezone.now()
    candidacy.save(update_fields=["status", "awarded_at", "cycle_started_at"])
    record(
        actor=None,
        action="candidacy.awarded",
        target=candidacy,
        reason="Every requirement met",
        version=candidacy.version.number,
    )
    requirements_met.send(sender=Candidacy, candidacy=candidacy)
    return True


def check_awards_for(*, person, course_id: int | None = None, assessment_id: int | None = None):
    """Check the award of each of the person's active candidacies whose version requires this
    course or assessment (every active one when neither is given)."""
    candidacies = Candidacy.objects.filter(candidate=person, status=Candidacy.Status.ACTIVE)
    if course_id is not None:
        candidacies = candidacies.filter(version__requirements__course_id=course_id)
    if assessment_id is not None:
        candidacies = candidacies.filter(version__requirements__assessment_id=assessment_id)
    for candidacy in candidacies.distinct():
        check_award(candidacy=candidacy)
