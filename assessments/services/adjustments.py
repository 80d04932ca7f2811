"""Learners' reasonable adjustments (extra time, no time limit, extra attempts): the one writer."""

from django.db import transaction
from django.utils import timezone

from academy.audit import record

from ..models import Adjustment, Assessment
from .errors import AssessmentError

ADJUSTMENT_FIELDS = ("extra_minutes", "no_time_limit", "extra_attempts", "reason")


@transaction.atomic
def grant_adjustment(
    *,
    learner,
    assessment: Assessment,
    by,
    extra_minutes: int = 0,
    no_time_limit: bool = False,
    extra_attempts: int = 0,
    reason: str,
) -> Adjustment:
    """Set the learner's adjustment for the assessment (creating or replacing it) and record who
    made it, when, why, and the old and new values. Applies to attempts started from now on: an
    attempt already under way keeps its deadline. Setting everything to 0 withdraws it (the
    record and its history stay)."""
    reason = (reason or "").strip()
    if not reason:
        raise AssessmentError("Give the reason for the adjustment.")
    if extra_minutes is None:
        extra_minutes = 0
    if extra_attempts is None:
        extra_attempts = 0
    if extra_minutes < 0 or extra_attempts < 0:
        raise AssessmentError("Extra time and extra attempts cannot be negative.")
    if no_time_limit and extra_minutes:
        raise AssessmentError(
            "Choose either extra time or no time limit: with no time limit, extra time means "
            "nothing."
        )
    existing = (
        Adjustment.objects.select_for_update()
        .filter(learner=learner, assessment=assessment)
        .first()
    )
    old = {field: getattr(existing, field) for field in ADJUSTMENT_FIELDS} if existing else None
    new = {
        "extra_minutes": extra_minutes,
        "no_time_limit": bool(no_time_limit),
        "extra_attempts": extra_attempts,
        "reason": reason,
    }
    adjustment, created = Adjustment.objects.update_or_create(
        learner=learner,
        assessment=assessment,
        defaults={**new, "granted_by": by, "granted_at": timezone.now()},
    )
    record(
        actor=by,
        action="adjustment.granted" if created else "adjustment.changed",
        target=adjustment,
        reason=reason,
        learner_id=learner.pk,
        assessment_id=assessment.pk,
        old=old,
        new=new,
    )
    return adjustment
